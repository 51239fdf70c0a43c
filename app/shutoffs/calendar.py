"""Shutoffs as an iCalendar feed a phone can subscribe to: one building's (the site) or a list's (managers).

Every feed builds each event with shutoff_event(), so one shutoff is the same event everywhere: the same
UID, title, description, status and SEQUENCE in a building's feed and in any managers' list feed that has
the building. A phone subscribed to both shows it once, and a change replaces it in both.

Wording is the language being spoken (Flask-Babel's gettext): a feed is fetched in one language.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event, vText

from app.shutoffs.models import Shutoff, ShutoffStatus
from app.wording import kind_label

UID_DOMAIN = "karstas-vanduo"


def shutoff_uid(shutoff: Shutoff) -> str:
    """Stable per shutoff, so a re-published change replaces the event instead of adding one."""
    return f"shutoff-{shutoff.id}@{UID_DOMAIN}"


def event_title(shutoff: Shutoff, label: str) -> str:
    """ "Karšto vandens nebus (hidrauliniai bandymai), Žirmūnų g. 12A"; "Atšaukta: …" for a cancelled one.

    No word about the time (planned, under way, ended): the event's dates say it, and a title that said
    "planned" would be wrong the day after the last day.
    """
    kind = kind_label(shutoff.kind, _)
    if shutoff.status == ShutoffStatus.CANCELLED:
        return _("Atšaukta: karšto vandens išjungimas (%(kind)s), %(address)s", kind=kind, address=label)
    return _("Karšto vandens nebus (%(kind)s), %(address)s", kind=kind, address=label)


def event_description(shutoff: Shutoff, page_url: str) -> str:
    """The schedule's note, whether the dates were moved or the shutoff called off, and the building's page."""
    lines = [shutoff.note] if shutoff.note else []
    if shutoff.status == ShutoffStatus.CANCELLED:
        lines.append(_("Išjungimas atšauktas: karštas vanduo bus."))
    elif shutoff.status == ShutoffStatus.MOVED:
        lines.append(_("Išjungimo datos pakeistos."))
    lines.append(_("Naujausia informacija: %(url)s", url=page_url))
    return "\n".join(lines)


def shutoff_event(shutoff: Shutoff, label: str, page_url: str, language: str) -> Event:
    """One shutoff as an all-day VEVENT (DTEND exclusive): cancelled ones stay with STATUS:CANCELLED so a
    calendar that has the event strikes it through; SEQUENCE counts the changes the schedule made."""
    event = Event()
    event.add("uid", shutoff_uid(shutoff))
    event.add("dtstamp", _utc(shutoff.updated_at))
    event.add("last-modified", _utc(shutoff.updated_at))
    event.add("created", _utc(shutoff.created_at))
    event.add("dtstart", shutoff.first_day)
    event.add("dtend", shutoff.last_day + timedelta(days=1))
    event.add("summary", one_line(event_title(shutoff, label)))
    event["summary"].params["LANGUAGE"] = language
    event.add("description", event_description(shutoff, page_url))
    event.add("location", one_line(label))
    event.add("url", page_url)
    event.add("transp", "TRANSPARENT")
    event.add("sequence", len(shutoff.changes))
    event.add("status", "CANCELLED" if shutoff.status == ShutoffStatus.CANCELLED else "CONFIRMED")
    return event


def shutoffs_calendar(
    *,
    name: str,
    shutoffs: Iterable[Shutoff],
    label: Callable[[Shutoff], str],
    page_url: Callable[[Shutoff], str],
    language: str,
) -> bytes:
    """A feed named `name` with one event per shutoff; `label` and `page_url` give each one's building."""
    calendar = Calendar()
    calendar.add("prodid", "-//Karstas vanduo//Vilnius hot water shutoffs//LT")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(one_line(name)))  # TEXT (RFC 5545 3.8.8.2): `;`, `,` and `\` escaped
    calendar.add("x-wr-timezone", "Europe/Vilnius")
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for shutoff in shutoffs:
        calendar.add_component(shutoff_event(shutoff, label(shutoff), page_url(shutoff), language))
    return calendar.to_ical()


def one_line(text: str) -> str:
    """Text for a property that must stay on one content line: control characters and runs of whitespace
    become one space (a list's name typed with a line break would otherwise break the whole feed)."""
    return " ".join("".join(" " if not ch.isprintable() else ch for ch in text).split())


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime(2000, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
