"""Shutoffs per address, the schedule batches they came from, and their history."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.addresses.models import Address
from app.extensions import db, string_enum
from app.timeutil import utcnow


class ShutoffKind(enum.StrEnum):
    HYDRAULIC_TEST = "hydraulic_test"
    REPAIR = "repair"
    RECONSTRUCTION = "reconstruction"


class ShutoffStatus(enum.StrEnum):
    PLANNED = "planned"
    MOVED = "moved"
    CANCELLED = "cancelled"


class ScheduleBatch(db.Model):
    """One uploaded schedule file, as published."""

    __tablename__ = "schedule_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(String(255))
    source_sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(default=0)
    published_by: Mapped[str] = mapped_column(String(255), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class Shutoff(db.Model):
    """Hot water off at one address from first_day to last_day inclusive (Vilnius calendar days)."""

    __tablename__ = "shutoffs"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days_in_order"),
        Index("ix_shutoffs_address_days", "address_code", "last_day", "first_day"),
        # One shutoff per (address, source key): two publications racing cannot duplicate a row's work.
        Index(
            "uq_shutoffs_address_source_key",
            "address_code",
            "source_key",
            unique=True,
            sqlite_where=text("source_key != ''"),
            postgresql_where=text("source_key != ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    address_code: Mapped[str] = mapped_column(ForeignKey("addresses.code"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    kind: Mapped[ShutoffKind] = mapped_column(string_enum(ShutoffKind, "shutoff_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ShutoffStatus] = mapped_column(
        string_enum(ShutoffStatus, "shutoff_status"), default=ShutoffStatus.PLANNED
    )
    # Which published row this came from: a re-import matches on (address, source key) to update, not duplicate.
    source_key: Mapped[str] = mapped_column(String(200), default="")
    # The batch that first published it; each later change names its own batch in ShutoffChange.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    address: Mapped[Address] = relationship()
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
