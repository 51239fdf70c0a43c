"""Template helpers are installed by the app factory: a feature's template works without any blueprint."""

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from flask import Flask, render_template_string

from app.extensions import babel
from app.i18n import select_locale
from app.templating import register_template_helpers
from config import TestConfig
from tests.helpers.html import soup

APP = Path(__file__).resolve().parents[1] / "app"

NOTICE = """{% from "macros/notice.html" import stairwell_notice %}
{{ stairwell_notice(building, shutoffs, "https://karstasvanduo.lt/address/1", "", today) }}"""


def test_the_notice_macro_renders_with_the_factorys_helpers_and_no_blueprint_at_all():
    app = Flask(__name__, template_folder=str(APP / "templates"))
    app.config.from_object(TestConfig)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(APP / "translations")
    babel.init_app(app, locale_selector=select_locale)
    register_template_helpers(app)
    shutoff = SimpleNamespace(first_day=date(2026, 6, 3), last_day=date(2026, 6, 5), kind="repair", note="")
    building = {"code": "1", "label": "Žirmūnų g. 12A"}
    with app.test_request_context("/?lang=en"):
        html = render_template_string(NOTICE, building=building, shutoffs=[shutoff], today=date(2026, 6, 1))
        empty = render_template_string(NOTICE, building=building, shutoffs=[], today=date(2026, 6, 1))
    page = SimpleNamespace(data=html.encode())
    assert (
        " ".join(soup(page).select_one(".notice__dates li").get_text(" ").split()) == "3–5 June Wednesday–Friday Repair"
    )
    assert "No shutoffs are planned for the next 4 weeks" in empty
