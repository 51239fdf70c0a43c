"""Resident pages: the address search and its answer, the building page, its calendar and notice."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_from_directory
from flask_babel import gettext as _

from app.addresses.matcher import AddressRecord
from app.forms import SearchForm
from app.i18n import remember_language
from app.qr import qr_svg
from app.shutoffs.queries import active_shutoffs, answer_search, building_record, shutoffs_for_address_page
from app.site import presenters
from app.timeutil import today_in_vilnius
from app.urls import absolute_url, safe_next_path

bp = Blueprint("site", __name__)

FAVICON_MAX_AGE_SECONDS = 7 * 24 * 3600


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers ask for at the site's root (app/static/favicon.ico)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=FAVICON_MAX_AGE_SECONDS)


@bp.get("/")
def home():
    """The address box; with `?q=` the answer comes first."""
    form = SearchForm(request.args)
    if "q" not in request.args:
        return render_template("site/home.html", form=form, answer=None)
    if not form.validate():
        return render_template("site/home.html", form=form, answer=None, form_has_errors=True)
    today = today_in_vilnius()
    answer = answer_search(form.q.data, today)
    return render_template("site/home.html", form=form, answer=answer, today=today)


@bp.get("/address/<code>")
def address(code: str):
    """One building: upcoming and recent shutoffs, sign-up, calendar, notice."""
    building = _building_or_404(code)
    today = today_in_vilnius()
    upcoming, recent = shutoffs_for_address_page(code, today)
    return render_template(
        "site/address.html",
        building=building,
        upcoming=upcoming,
        recent=recent,
        today=today,
        calendar_url=absolute_url("site.address_calendar", code=code),
        calendar_webcal=presenters.webcal_url(absolute_url("site.address_calendar", code=code)),
    )


@bp.get("/address/<code>/shutoffs.ics")
def address_calendar(code: str):
    """The building's shutoffs as an iCalendar feed (upcoming and recent)."""
    building = _building_or_404(code)
    upcoming, recent = shutoffs_for_address_page(code, today_in_vilnius())
    body = presenters.building_calendar(building, recent + upcoming, absolute_url("site.address", code=code))
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
    page_url = absolute_url("site.address", code=code)
    return render_template(
        "site/notice.html",
        building=building,
        shutoffs=active_shutoffs(upcoming),
        today=today,
        page_url=page_url,
        qr=qr_svg(page_url, _("QR kodas: %(url)s", url=page_url)),
    )


@bp.get("/language/<lang>")
def set_language(lang: str):
    """Remember the chosen language in a cookie and go back to the page the reader was on."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    return remember_language(redirect(safe_next_path(request.args.get("next"))), lang)


def _building_or_404(code: str) -> AddressRecord:
    return building_record(code) or abort(404)
