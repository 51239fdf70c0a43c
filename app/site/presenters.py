"""How the resident pages present a building: its iCalendar feed's wording and the calendar app link."""

from flask_babel import gettext as _

from app.addresses.matcher import AddressRecord
from app.i18n import locale_code
from app.shutoffs.calendar import shutoffs_calendar
from app.shutoffs.models import Shutoff
from app.shutoffs.queries import is_cancelled
from app.wording import kind_label


def building_calendar(building: AddressRecord, shutoffs: list[Shutoff], page_url: str) -> bytes:
    """The building's shutoffs as iCalendar, worded in the language being spoken; each event links to the page."""
    return shutoffs_calendar(
        name=_("Karšto vandens išjungimai: %(address)s", address=building.label),
        shutoffs=shutoffs,
        summary=lambda s: _calendar_summary(s, building.label),
        description=lambda s: _calendar_description(s, page_url),
        url=lambda s: page_url,
        language=locale_code(),
    )


def webcal_url(feed_url: str) -> str:
    """The feed's address with the webcal: scheme, which opens the reader's calendar app to subscribe."""
    return "webcal://" + feed_url.split("://", 1)[1]


def _calendar_summary(shutoff: Shutoff, label: str) -> str:
    if is_cancelled(shutoff):
        return _(
            "Atšaukta: karšto vandens išjungimas (%(kind)s), %(address)s",
            kind=kind_label(shutoff.kind, _),
            address=label,
        )
    return _("Karšto vandens nebus (%(kind)s), %(address)s", kind=kind_label(shutoff.kind, _), address=label)


def _calendar_description(shutoff: Shutoff, page_url: str) -> str:
    lines = [shutoff.note] if shutoff.note else []
    lines.append(_("Naujausia informacija: %(url)s", url=page_url))
    return "\n".join(lines)
