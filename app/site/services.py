"""What the resident pages need: the answer to a search, labels, links. Views stay short."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

import segno
from flask import current_app, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.addresses.lookup import lookup
from app.addresses.matcher import AddressRecord, MatchResult
from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffKind, ShutoffStatus
from app.shutoffs.queries import horizon_days, upcoming_shutoffs
from app.site.dates import format_date_range, weekday_name

KIND_LABELS = {
    ShutoffKind.HYDRAULIC_TEST: _l("hidrauliniai bandymai"),
    ShutoffKind.REPAIR: _l("remontas"),
    ShutoffKind.RECONSTRUCTION: _l("rekonstrukcija"),
}
STATUS_LABELS = {
    ShutoffStatus.PLANNED: _l("Planuojama"),
    ShutoffStatus.MOVED: _l("Perkelta"),
    ShutoffStatus.CANCELLED: _l("Atšaukta"),
}


@dataclass(frozen=True)
class SearchAnswer:
    """A search result and, when one building was found, its shutoffs within the horizon."""

    result: MatchResult
    shutoffs: list[Shutoff]


def answer_search(query: str, today: date) -> SearchAnswer:
    """Match the query; for a found building, fetch what is coming up within the horizon."""
    result = lookup(query)
    shutoffs = upcoming_shutoffs(result.address.code, today) if result.status == "found" and result.address else []
    return SearchAnswer(result=result, shutoffs=shutoffs)


def locale_code() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def date_range(first: date, last: date, with_year: bool = False) -> str:
    """A range of days in the current language ("birželio 3–5 d.")."""
    return format_date_range(first, last, locale_code(), with_year=with_year)


def weekday_range(first: date, last: date) -> str:
    """ "trečiadienis–penktadienis" (or one weekday) in the current language."""
    start, end = weekday_name(first, locale_code()), weekday_name(last, locale_code())
    return start if first == last else f"{start}–{end}"


def kind_label(kind: ShutoffKind | str) -> str:
    return str(KIND_LABELS.get(ShutoffKind(kind), kind))


def status_label(status: ShutoffStatus | str) -> str:
    return str(STATUS_LABELS.get(ShutoffStatus(status), status))


def is_cancelled(shutoff: Shutoff) -> bool:
    return shutoff.status == ShutoffStatus.CANCELLED


def active_shutoffs(shutoffs: list[Shutoff]) -> list[Shutoff]:
    """The shutoffs still going ahead (planned or moved)."""
    return [s for s in shutoffs if not is_cancelled(s)]


def within_horizon(shutoffs: list[Shutoff], today: date) -> list[Shutoff]:
    until = today + timedelta(days=horizon_days())
    return [s for s in shutoffs if s.last_day >= today and s.first_day <= until]


def previous_days(shutoff: Shutoff) -> tuple[date, date] | None:
    """For a moved shutoff, the days it was planned for before the latest move."""
    for change in reversed(shutoff.changes):
        before = (change.previous_first_day, change.previous_last_day)
        if all(before) and before != (shutoff.first_day, shutoff.last_day):
            return before
    return None


def nothing_planned_message() -> str:
    """ "Artimiausias 4 savaites išjungimų nenumatyta", from SHUTOFF_HORIZON_DAYS."""
    days = horizon_days()
    if days % 7 == 0:
        weeks = days // 7
        return ngettext(
            "Artimiausią %(num)d savaitę išjungimų nenumatyta",
            "Artimiausias %(num)d savaites išjungimų nenumatyta",
            weeks,
        )
    return ngettext(
        "Artimiausią %(num)d dieną išjungimų nenumatyta",
        "Artimiausias %(num)d dienas išjungimų nenumatyta",
        days,
    )


def nearby_houses(result: MatchResult) -> list[AddressRecord]:
    """street_only: the buildings behind the nearest house numbers, so each can be a link."""
    return list(result.nearby)


def building_record(code: str) -> AddressRecord | None:
    """The building as the index knows it (label included); None for unknown codes."""
    from app.addresses.models import Address

    address = db.session.get(Address, code)
    if address is None:
        return None
    return AddressRecord(address.code, address.street_code, address.number, address.block, address.label)


def absolute_url(endpoint: str, **values) -> str:
    """A full URL for print and calendars: SERVER_BASE_URL when set, else the request's host."""
    base = current_app.config.get("SERVER_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def path_without_language() -> str:
    """This page's path and query minus `lang`, so the language switch can come back to it."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + ("?" + urlencode(args) if args else "")


def subscribe_url(code: str) -> str:
    """The sign-up page for one building (built by the notifications feature)."""
    return "/subscribe?" + urlencode({"address": code})


def qr_svg(url: str, title: str) -> Markup:
    """A QR code as inline SVG (scalable for print); the data is our own URL."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=1, border=2, title=title, svgclass="qr__image", lineclass="qr__line", omitsize=True)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 -- segno's own SVG of our own URL
