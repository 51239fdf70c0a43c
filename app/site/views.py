"""Resident pages: the address search and its answer, the building page, its calendar and notice."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask_babel import gettext as _

from app.shutoffs.queries import shutoffs_for_address_page
from app.site import services
from app.site.calendar import shutoffs_calendar
from app.site.forms import SearchForm
from app.timeutil import today_in_vilnius
from app.urls import safe_next_path

bp = Blueprint("site", __name__)

LANGUAGE_NAMES = (("lt", "Lietuvių"), ("en", "English"), ("ru", "Русский"), ("pl", "Polski"))
ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    """The address box; with `?q=` the answer comes first."""
    form = SearchForm(request.args)
    if "q" not in request.args:
        return render_template("site/home.html", form=form, answer=None)
    if not form.validate():
        return render_template("site/home.html", form=form, answer=None, form_has_errors=True)
    today = today_in_vilnius()
    answer = services.answer_search(form.q.data, today)
    return render_template("site/home.html", form=form, answer=answer, today=today)


@bp.get("/address/<code>")
def address(code: str):
    """One building: upcoming and recent shutoffs, sign-up, calendar, notice."""
    building = _building_or_404(code)
    today = today_in_vilnius()
    upcoming, recent = shutoffs_for_address_page(code, today)
    feed_url = services.absolute_url("site.address_calendar", code=code)
    return render_template(
        "site/address.html",
        building=building,
        upcoming=upcoming,
        recent=recent,
        today=today,
        calendar_webcal="webcal://" + feed_url.split("://", 1)[1],
    )


@bp.get("/address/<code>/shutoffs.ics")
def address_calendar(code: str):
    """The building's shutoffs as an iCalendar feed (upcoming and recent)."""
    building = _building_or_404(code)
    upcoming, recent = shutoffs_for_address_page(code, today_in_vilnius())
    page_url = services.absolute_url("site.address", code=code)
    body = shutoffs_calendar(
        name=_("Karšto vandens išjungimai: %(address)s", address=building.label),
        shutoffs=recent + upcoming,
        summary=lambda s: _calendar_summary(s, building.label),
        description=lambda s: _calendar_description(s, page_url),
        url=lambda s: page_url,
        language=services.locale_code(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="karstas-vanduo-{code}.ics"'
    response.headers["Cache-Control"] = "public, max-age=900"
    response.headers["Vary"] = "Cookie"  # the language comes from the cookie
    return response


@bp.get("/address/<code>/notice")
def address_notice(code: str):
    """A printable A4 stairwell notice with big dates and a QR code to the building page."""
    building = _building_or_404(code)
    today = today_in_vilnius()
    upcoming, _recent = shutoffs_for_address_page(code, today)
    page_url = services.absolute_url("site.address", code=code)
    qr = services.qr_svg(page_url, _("QR kodas: %(url)s", url=page_url))
    return render_template(
        "site/notice.html",
        building=building,
        shutoffs=services.active_shutoffs(upcoming),
        today=today,
        page_url=page_url,
        qr=qr,
    )


@bp.get("/language/<lang>")
def set_language(lang: str):
    """Remember the chosen language in a cookie and go back to the page the reader was on."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next_path(request.args.get("next")))
    response.set_cookie("lang", lang, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure)
    return response


def _building_or_404(code: str):
    building = services.building_record(code) if len(code) <= 20 else None
    if building is None:
        abort(404)
    return building


def _calendar_summary(shutoff, label: str) -> str:
    if services.is_cancelled(shutoff):
        return _(
            "Atšaukta: karšto vandens išjungimas (%(kind)s), %(address)s",
            kind=services.kind_label(shutoff.kind),
            address=label,
        )
    return _("Karšto vandens nebus (%(kind)s), %(address)s", kind=services.kind_label(shutoff.kind), address=label)


def _calendar_description(shutoff, page_url: str) -> str:
    lines = [shutoff.note] if shutoff.note else []
    lines.append(_("Naujausia informacija: %(url)s", url=page_url))
    return "\n".join(lines)


@bp.record_once
def _register_template_helpers(state) -> None:
    """Helpers every template (the widget's too, macros included) uses to write shutoffs the same way."""
    state.app.jinja_env.globals.update(
        date_range=services.date_range,
        weekday_range=services.weekday_range,
        kind_label=services.kind_label,
        status_label=services.status_label,
        is_cancelled=services.is_cancelled,
        active_shutoffs=services.active_shutoffs,
        within_horizon=services.within_horizon,
        previous_days=services.previous_days,
        nothing_planned_message=services.nothing_planned_message,
        nearby_houses=services.nearby_houses,
        subscribe_url=services.subscribe_url,
        path_without_language=services.path_without_language,
    )
