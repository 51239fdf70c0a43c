"""What residents ask of the schedule: is anything coming up at my address?

The search answer (site, widget and API alike) reads the published schedule held in memory
(app.shutoffs.published); the building page and its calendar read the database, because they show the
recent past and each shutoff's history too.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.addresses.lookup import lookup
from app.addresses.matcher import AddressRecord, MatchResult
from app.addresses.models import Address
from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffStatus
from app.shutoffs.published import PublishedShutoff, coming_shutoffs, days_before_latest_move

RECENT_DAYS = 60
# Longer than any register code (9 digits today); a longer path segment is not looked up at all.
MAX_CODE_LENGTH = 20


@dataclass(frozen=True)
class SearchAnswer:
    """A search result and, when one building was found, its shutoffs within the horizon (by first day)."""

    result: MatchResult
    shutoffs: list[PublishedShutoff]


def horizon_days() -> int:
    """How far ahead "the coming weeks" reach, in days (SHUTOFF_HORIZON_DAYS; 28 by default)."""
    return int(current_app.config["SHUTOFF_HORIZON_DAYS"])


def answer_search(query: str, today: date) -> SearchAnswer:
    """Match what was typed; for a found building, what is coming up within the horizon (cancelled included)."""
    result = lookup(query)
    found = result.status == "found" and result.address is not None
    shutoffs = coming_shutoffs(result.address.code, today, horizon_days()) if found else []
    return SearchAnswer(result=result, shutoffs=shutoffs)


def building_record(code: str) -> AddressRecord | None:
    """The building with this register code, retired ones too, with its label ("Žirmūnų g. 12A");
    None for an unknown code (or one longer than any register code)."""
    address = db.session.get(Address, code) if len(code) <= MAX_CODE_LENGTH else None
    if address is None:
        return None
    return AddressRecord(address.code, address.street_code, address.number, address.block, address.label)


def is_cancelled(shutoff: "Shutoff | PublishedShutoff") -> bool:
    """True for a shutoff the schedule called off (it stays listed, struck through)."""
    return shutoff.status == ShutoffStatus.CANCELLED


def active_shutoffs(shutoffs: Iterable["Shutoff | PublishedShutoff"]) -> list["Shutoff | PublishedShutoff"]:
    """The shutoffs still going ahead (planned or moved), in the order given."""
    return [s for s in shutoffs if not is_cancelled(s)]


def hot_water_off_soon(shutoffs: Iterable["Shutoff | PublishedShutoff"]) -> bool:
    """True when any of the given shutoffs (rows or their in-memory copies) is still going ahead."""
    return bool(active_shutoffs(shutoffs))


def previous_days(shutoff: "Shutoff | PublishedShutoff") -> tuple[date, date] | None:
    """For a moved shutoff, the days (first, last) it was planned for before its latest move; else None."""
    if isinstance(shutoff, PublishedShutoff):
        return shutoff.previous_days
    return days_before_latest_move(shutoff.changes, shutoff.first_day, shutoff.last_day)


def shutoffs_for_address_page(address_code: str, today: date) -> tuple[list[Shutoff], list[Shutoff]]:
    """(upcoming: ending today or later, recent: ended in the last RECENT_DAYS days) for the building page."""
    rows = list(
        db.session.scalars(
            select(Shutoff)
            .where(Shutoff.address_code == address_code, Shutoff.last_day >= today - timedelta(days=RECENT_DAYS))
            .order_by(Shutoff.first_day, Shutoff.id)
        )
    )
    return [s for s in rows if s.last_day >= today], [s for s in rows if s.last_day < today]
