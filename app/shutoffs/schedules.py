"""Named schedules: find one by name, list them, clean a name staff typed."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.requests import has_control_characters
from app.shutoffs.models import DEFAULT_SCHEDULE_NAME, Schedule, Shutoff, ShutoffStatus

__all__ = ["DEFAULT_SCHEDULE_NAME", "ScheduleNameError", "clean_schedule_name", "find_schedule", "schedule_summaries"]
MAX_NAME_LENGTH = 120


class ScheduleNameError(ValueError):
    """A schedule name that cannot be used; str() is the message to show."""


@dataclass(frozen=True, slots=True)
class ScheduleSummary:
    """A schedule as the upload form lists it."""

    name: str
    version: int
    going_ahead: int  # its shutoffs not cancelled and not over


def clean_schedule_name(text: str | None) -> str:
    """The name with its spacing tidied; raises ScheduleNameError when empty, too long or with control characters."""
    if text is not None and has_control_characters(text.strip()):
        raise ScheduleNameError(_("Grafiko pavadinime negali būti valdymo simbolių (pvz., eilutės pabaigos)."))
    name = " ".join((text or "").split())
    if not name:
        raise ScheduleNameError(_("Įveskite grafiko pavadinimą."))
    if len(name) > MAX_NAME_LENGTH:
        raise ScheduleNameError(
            _("Grafiko pavadinimas per ilgas: ne daugiau kaip %(max)d simbolių.", max=MAX_NAME_LENGTH)
        )
    return name


def find_schedule(name: str) -> Schedule | None:
    """The schedule with this name, capitals and spacing aside ("remontai" finds "Remontai"); None if there is none."""
    wanted = " ".join(name.split()).casefold()
    return next((s for s in db.session.scalars(select(Schedule)) if s.name.casefold() == wanted), None)


def schedule_version(name: str) -> int:
    """How many times the schedule was published (0 for one that does not exist yet)."""
    schedule = find_schedule(name)
    return schedule.version if schedule is not None else 0


def schedule_summaries(today: date) -> list[ScheduleSummary]:
    """Every schedule, by name, with how many of its shutoffs are still going ahead."""
    counts = dict(
        db.session.execute(
            select(Shutoff.schedule_id, func.count())
            .where(Shutoff.status != ShutoffStatus.CANCELLED, Shutoff.last_day >= today)
            .group_by(Shutoff.schedule_id)
        ).all()
    )
    schedules = db.session.scalars(select(Schedule).order_by(Schedule.name))
    return [ScheduleSummary(s.name, s.version, counts.get(s.id, 0)) for s in schedules]
