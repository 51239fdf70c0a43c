"""What residents ask of the schedule: is anything coming up at my address?

The search answer (site, widget and API alike) reads the published schedule held in memory
(app.shutoffs.published); the building page and its calendar read the database, because they show the
recent past and each shutoff's history too.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.addresses.lookup import lookup
from app.addresses.matcher import AddressRecord, MatchResult
from app.addresses.models import Address
from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffStatus
from app.shutoffs.published import PublishedShutoff, days_before_latest_move, season_shutoffs
from app.wording import overlaps_horizon

RECENT_DAYS = 60
# Longer than any register code (9 digits today); a longer path segment is not looked up at all.
MAX_CODE_LENGTH = 20


@dataclass(frozen=True)
class SearchAnswer:
    """A search result and, when one building was found, its shutoffs (by first day): those within the horizon,
    the whole season (every one not ended), and the next one going ahead when it lies beyond the horizon."""

    result: MatchResult
    shutoffs: list[PublishedShutoff]
    season: list[PublishedShutoff] = field(default_factory=list)
    next_planned: PublishedShutoff | None = None


def horizon_days() -> int:
    """How far ahead "the coming weeks" reach, in days (SHUTOFF_HORIZON_DAYS; 28 by default)."""
    return int(current_app.config["SHUTOFF_HORIZON_DAYS"])


def answer_search(query: str, today: date) -> SearchAnswer:
    """Match what was typed; for a found building, its season of shutoffs and those within the horizon
    (cancelled included), and the next planned one when nothing goes ahead within the horizon."""
    result = lookup(query)
    if result.status != "found" or result.address is None:
        return SearchAnswer(result=result, shutoffs=[])
    season = season_shutoffs(result.address.code, today)
    coming = within_horizon(season, today)
    return SearchAnswer(result, coming, season, next_planned(season, today))


def within_horizon(shutoffs: Iterable[PublishedShutoff], today: date) -> list[PublishedShutoff]:
    """The shutoffs overlapping today … today + horizon_days() (wording.overlaps_horizon), in the order given."""
    days = horizon_days()
    return [s for s in shutoffs if overlaps_horizon(s.first_day, s.last_day, today, days)]


def next_planned(season: Iterable[PublishedShutoff], today: date) -> PublishedShutoff | None:
    """The first shutoff still going ahead after the horizon, when none goes ahead within it; else None."""
    going_ahead = active_shutoffs(season)
    if hot_water_off_soon(within_horizon(going_ahead, today)):
        return None
    return next((s for s in going_ahead if s.first_day > today), None)


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
