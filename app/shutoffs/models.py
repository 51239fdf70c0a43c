"""Shutoffs per address, the schedule batches they came from, and their history."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.addresses.models import Address
from app.extensions import db, string_enum
from app.timeutil import utcnow

# Where `flask shutoffs import` without --schedule publishes, and where a shutoff made without a schedule goes.
DEFAULT_SCHEDULE_NAME = "Pagrindinis grafikas"


class ShutoffKind(enum.StrEnum):
    HYDRAULIC_TEST = "hydraulic_test"
    REPAIR = "repair"
    RECONSTRUCTION = "reconstruction"


class ShutoffStatus(enum.StrEnum):
    PLANNED = "planned"
    MOVED = "moved"
    CANCELLED = "cancelled"


class Schedule(db.Model):
    """A named schedule ("2027 hidrauliniai bandymai", "Remontai"): a file published into it changes only it.

    `version` counts its publications; a preview computed against one version cannot be published after
    another publication (app.shutoffs.importer checks and raises it in the publishing transaction).
    """

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduleBatch(db.Model):
    """One uploaded schedule file, as published into one schedule."""

    __tablename__ = "schedule_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(255))
    source_sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(default=0)
    published_by: Mapped[str] = mapped_column(String(255), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    schedule: Mapped[Schedule] = relationship()


class Shutoff(db.Model):
    """Hot water off at one address from first_day to last_day inclusive (Vilnius calendar days)."""

    __tablename__ = "shutoffs"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days_in_order"),
        Index("ix_shutoffs_address_days", "address_code", "last_day", "first_day"),
        Index("ix_shutoffs_schedule_address", "schedule_id", "address_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id"))
    address_code: Mapped[str] = mapped_column(ForeignKey("addresses.code"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    kind: Mapped[ShutoffKind] = mapped_column(string_enum(ShutoffKind, "shutoff_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ShutoffStatus] = mapped_column(
        string_enum(ShutoffStatus, "shutoff_status"), default=ShutoffStatus.PLANNED
    )
    # The piece of work at this building, within its schedule (app.shutoffs.changes): `nr:<work number>` when
    # the file numbers its work, else `kind:<kind>`. A later file names the same work to move or cancel it.
    work_key: Mapped[str] = mapped_column(String(60), default="")
    # The batch that first published it; each later change names its own batch in ShutoffChange.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    address: Mapped[Address] = relationship()
    schedule: Mapped[Schedule] = relationship()
    batch: Mapped[ScheduleBatch | None] = relationship()
    changes: Mapped[list["ShutoffChange"]] = relationship(
        back_populates="shutoff", order_by="ShutoffChange.id", cascade="all, delete-orphan"
    )


class ShutoffChange(db.Model):
    """History: a move, cancellation or reinstatement of a shutoff, when and by which batch."""

    __tablename__ = "shutoff_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    shutoff_id: Mapped[int] = mapped_column(ForeignKey("shutoffs.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_batches.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ShutoffStatus] = mapped_column(string_enum(ShutoffStatus, "shutoff_status"))
    previous_first_day: Mapped[date | None]
    previous_last_day: Mapped[date | None]
    first_day: Mapped[date]
    last_day: Mapped[date]

    shutoff: Mapped[Shutoff] = relationship(back_populates="changes")
    batch: Mapped[ScheduleBatch | None] = relationship()


@event.listens_for(Session, "before_flush")
def _default_schedule(session: Session, flush_context, instances) -> None:
    """A shutoff added without a schedule belongs to the default one (created when it does not exist yet)."""
    orphans = [o for o in session.new if isinstance(o, Shutoff) and o.schedule_id is None and o.schedule is None]
    if not orphans:
        return
    with session.no_autoflush:
        schedule = session.scalars(select(Schedule).where(Schedule.name == DEFAULT_SCHEDULE_NAME)).first()
    for shutoff in orphans:
        shutoff.schedule = schedule or Schedule(name=DEFAULT_SCHEDULE_NAME)
        schedule = shutoff.schedule
