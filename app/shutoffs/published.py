"""The published schedule held in memory per worker, for the hot lookup path (no query per request)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.datacache import VersionedCache
from app.extensions import db
from app.shutoffs.models import Shutoff
from app.timeutil import today_in_vilnius

# Shutoffs that ended more than this long ago are not kept in memory.
KEEP_PAST_DAYS = 7


@dataclass(frozen=True, slots=True)
class PublishedShutoff:
    id: int
    first_day: date
    last_day: date
    kind: str
    status: str
    note: str


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
    by_address: dict[str, list[PublishedShutoff]] = defaultdict(list)
    for code, id_, first, last, kind, status, note in rows:
        by_address[code].append(PublishedShutoff(id_, first, last, str(kind), str(status), note or ""))
    return {code: tuple(items) for code, items in by_address.items()}


_cache: VersionedCache[dict[str, tuple[PublishedShutoff, ...]]] = VersionedCache("schedule", _build)


def coming_shutoffs(address_code: str, today: date, horizon_days: int) -> list[PublishedShutoff]:
    """Published shutoffs overlapping today … today + horizon (ongoing ones count), by first day."""
    until = today + timedelta(days=horizon_days)
    return [s for s in _cache.get().get(address_code, ()) if s.last_day >= today and s.first_day <= until]


def warm() -> int:
    """Build (or bring up to date) this worker's copy now: before gunicorn forks, and for /readyz.

    Returns how many buildings have a shutoff in it."""
    return len(_cache.get())


def forget_published() -> None:
    """Drop this worker's copy (the schedule changed in this process)."""
    _cache.forget()
