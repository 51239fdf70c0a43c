"""The widget's answer: the site's own search answer, and links that open the full site in its language."""

from datetime import date

from flask import Flask, has_request_context, request, url_for

from app.addresses.matcher import MatchResult
from app.shutoffs.models import Shutoff
from app.site.services import answer_search, subscribe_url
from app.timeutil import today_in_vilnius

# Set by /embed for the request it answers; read by the URL defaults below.
WIDGET_LANG_KEY = "karstas.widget_lang"
# Pages of the full site a widget link may open; they get the widget's language.
FULL_SITE_BLUEPRINTS = ("site.", "notifications.")


def answer_for(query: str) -> tuple[MatchResult, list[Shutoff], date]:
    """(result, upcoming shutoffs, today) for what was typed, exactly as the site answers it."""
    today = today_in_vilnius()
    answer = answer_search(query, today)
    return answer.result, answer.shutoffs, today


def speak_widget_language(lang: str) -> None:
    """Links to the full site rendered for this request carry ?lang=, so the new tab keeps the language."""
    request.environ[WIDGET_LANG_KEY] = lang


def _add_widget_language(endpoint: str, values: dict) -> None:
    if not has_request_context() or WIDGET_LANG_KEY not in request.environ:
        return
    if endpoint.startswith(FULL_SITE_BLUEPRINTS) and "lang" not in values:
        values["lang"] = request.environ[WIDGET_LANG_KEY]


def init_url_defaults(app: Flask) -> None:
    app.url_defaults(_add_widget_language)


def full_site_links(result: MatchResult | None, lang: str) -> dict[str, str]:
    """Where the widget sends a reader on the full site (in a new tab): home and, for a building, sign-up."""
    links = {"home": url_for("site.home", lang=lang)}
    if result is not None and result.status == "found" and result.address is not None:
        path = subscribe_url(result.address.code)
        links["subscribe"] = f"{path}{'&' if '?' in path else '?'}lang={lang}"
    return links
