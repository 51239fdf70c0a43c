"""Shutoffs as an iCalendar feed a phone can subscribe to: one building's (the site) or a list's (managers)."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from app.shutoffs.models import Shutoff, ShutoffStatus

UID_DOMAIN = "karstas-vanduo"


def shutoff_uid(shutoff: Shutoff) -> str:
    """Stable per shutoff, so a re-published change replaces the event instead of adding one."""
    return f"shutoff-{shutoff.id}@{UID_DOMAIN}"


def shutoffs_calendar(
    *,
    name: str,
    shutoffs: Iterable[Shutoff],
    summary: Callable[[Shutoff], str],
    description: Callable[[Shutoff], str],
    url: Callable[[Shutoff], str],
    language: str,
    location: Callable[[Shutoff], str] | None = None,
) -> bytes:
    """All-day events (DTEND exclusive); cancelled ones stay with STATUS:CANCELLED; SEQUENCE counts changes."""
    calendar = Calendar()
    calendar.add("prodid", "-//Karstas vanduo//Vilnius hot water shutoffs//LT")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", "Europe/Vilnius")
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for shutoff in shutoffs:
        event = Event()
        event.add("uid", shutoff_uid(shutoff))
        event.add("dtstamp", _utc(shutoff.updated_at))
        event.add("last-modified", _utc(shutoff.updated_at))
        event.add("created", _utc(shutoff.created_at))
        event.add("dtstart", shutoff.first_day)
        event.add("dtend", shutoff.last_day + timedelta(days=1))
        event.add("summary", summary(shutoff))
        event.add("description", description(shutoff))
        event.add("url", url(shutoff))
        if location:
            event.add("location", location(shutoff))
        event.add("transp", "TRANSPARENT")
        event.add("sequence", len(shutoff.changes))
        event.add("status", "CANCELLED" if shutoff.status == ShutoffStatus.CANCELLED else "CONFIRMED")
        event["summary"].params["LANGUAGE"] = language
        calendar.add_component(event)
    return calendar.to_ical()


def one_line(text: str) -> str:
    """Text for a property that must stay on one content line: control characters and runs of whitespace
    become one space (a list's name typed with a line break would otherwise break the whole feed)."""
    return " ".join("".join(" " if not ch.isprintable() else ch for ch in text).split())


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime(2000, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
