"""Time at the edges: UTC inside the database, Europe/Vilnius for calendar days."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VILNIUS = ZoneInfo("Europe/Vilnius")


def utcnow() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today_in_vilnius() -> date:
    """Today's calendar date in Vilnius."""
    return datetime.now(VILNIUS).date()
