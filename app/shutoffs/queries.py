"""What residents ask of the schedule: is anything coming up at my address?"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffStatus

if TYPE_CHECKING:
    from app.shutoffs.published import PublishedShutoff

RECENT_DAYS = 60


def horizon_days() -> int:
    return int(current_app.config["SHUTOFF_HORIZON_DAYS"])


def upcoming_shutoffs(address_code: str, today: date, horizon: int | None = None) -> list[Shutoff]:
    """Shutoffs overlapping today … today + horizon (ongoing ones count), cancelled ones included, by first day."""
    horizon = horizon_days() if horizon is None else horizon
    until = today + timedelta(days=horizon)
    return list(
        db.session.scalars(
            select(Shutoff)
            .where(Shutoff.address_code == address_code, Shutoff.last_day >= today, Shutoff.first_day <= until)
            .order_by(Shutoff.first_day, Shutoff.id)
        )
    )


def hot_water_off_soon(shutoffs: Iterable["Shutoff | PublishedShutoff"]) -> bool:
    """True when any of the given shutoffs (rows or their in-memory copies) is still going ahead."""
    return any(s.status != ShutoffStatus.CANCELLED for s in shutoffs)


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
