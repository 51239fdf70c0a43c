"""How the resident pages present a building: its iCalendar feed's wording and the calendar app link."""

from flask_babel import gettext as _

from app.addresses.matcher import AddressRecord
from app.i18n import locale_code
from app.shutoffs.calendar import shutoffs_calendar
from app.shutoffs.models import Shutoff


def building_calendar(building: AddressRecord, shutoffs: list[Shutoff], page_url: str) -> bytes:
    """The building's shutoffs as iCalendar, worded in the language being spoken; each event links to the page.

    Events are built as every feed builds them (app.shutoffs.calendar.shutoff_event)."""
    return shutoffs_calendar(
        name=_("Karšto vandens išjungimai: %(address)s", address=building.label),
        shutoffs=shutoffs,
        label=lambda s: building.label,
        page_url=lambda s: page_url,
        language=locale_code(),
    )


def webcal_url(feed_url: str) -> str:
    """The feed's address with the webcal: scheme, which opens the reader's calendar app to subscribe."""
    return "webcal://" + feed_url.split("://", 1)[1]
