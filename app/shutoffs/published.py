"""The published schedule held in memory per worker, for the hot lookup path (no query per request).

The API, the site's search answer and the widget all read the schedule here (through
app.shutoffs.queries.answer_search or season_shutoffs), so they answer "is hot water off soon?" alike.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.datacache import VersionedCache
from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffChange, ShutoffStatus
from app.timeutil import today_in_vilnius

# Shutoffs that ended more than this long ago are not kept in memory.
KEEP_PAST_DAYS = 7


@dataclass(frozen=True, slots=True)
class PublishedShutoff:
    """One shutoff as published: days are Vilnius calendar days, inclusive; kind and status are enum values."""

    id: int
    first_day: date
    last_day: date
    kind: str
    status: str
    note: str
    # For a moved shutoff: the days it was planned for before its latest move.
    previous_days: tuple[date, date] | None = None


def days_before_latest_move(changes: Iterable, first_day: date, last_day: date) -> tuple[date, date] | None:
    """(first, last) a shutoff was planned for before its latest move; None when it never moved.

    `changes`: ShutoffChange rows (or rows with their previous_first_day / previous_last_day) in the
    order they happened; a change that kept the days (a cancellation) is not a move.
    """
    for change in reversed(list(changes)):
        before = (change.previous_first_day, change.previous_last_day)
        if all(before) and before != (first_day, last_day):
            return before
    return None


def _build() -> dict[str, tuple[PublishedShutoff, ...]]:
    since = today_in_vilnius() - timedelta(days=KEEP_PAST_DAYS)
    rows = db.session.execute(
        select(
            Shutoff.address_code,
            Shutoff.id,
            Shutoff.first_day,
            Shutoff.last_day,
            Shutoff.kind,
            Shutoff.status,
            Shutoff.note,
        )
        .where(Shutoff.last_day >= since)
        .order_by(Shutoff.first_day, Shutoff.id)
    )
    moves = _moves_since(since)
    by_address: dict[str, list[PublishedShutoff]] = defaultdict(list)
    for code, id_, first, last, kind, status, note in rows:
        previous = days_before_latest_move(moves.get(id_, ()), first, last)
        by_address[code].append(PublishedShutoff(id_, first, last, str(kind), str(status), note or "", previous))
    return {code: tuple(items) for code, items in by_address.items()}


def _moves_since(since: date) -> dict[int, list]:
    """The history of every moved shutoff still kept, by shutoff id, oldest change first."""
    rows = db.session.execute(
        select(ShutoffChange.shutoff_id, ShutoffChange.previous_first_day, ShutoffChange.previous_last_day)
        .join(Shutoff, Shutoff.id == ShutoffChange.shutoff_id)
        .where(Shutoff.last_day >= since, Shutoff.status == ShutoffStatus.MOVED)
        .order_by(ShutoffChange.id)
    )
    by_shutoff: dict[int, list] = defaultdict(list)
    for row in rows:
        by_shutoff[row.shutoff_id].append(row)
    return by_shutoff


_cache: VersionedCache[dict[str, tuple[PublishedShutoff, ...]]] = VersionedCache("schedule", _build)


def season_shutoffs(address_code: str, today: date) -> list[PublishedShutoff]:
    """Every published shutoff at the address that has not ended by `today` (the whole season), cancelled ones
    included, by first day."""
    return [s for s in _cache.get().get(address_code, ()) if s.last_day >= today]


def warm() -> int:
    """Build (or bring up to date) this worker's copy now: before gunicorn forks, and for /readyz.

    Returns how many buildings have a shutoff in it."""
    return len(_cache.get())


def forget_published() -> None:
    """Drop this worker's copy (the schedule changed in this process)."""
    _cache.forget()
