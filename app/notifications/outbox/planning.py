"""Planning: which messages have come due, written into the outbox once each (its unique key decides)."""

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.notifications.models import (
    LEAD_DAY_CHOICES,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
)
from app.shutoffs.models import Shutoff, ShutoffChange, ShutoffStatus

# How far back a schedule change may lie and still be told to those reminded before it.
CHANGE_LOOKBACK_DAYS = 60


def reminder_lead(first_day: date, today: date, lead_days: list[int]) -> int | None:
    """The lead time (days) whose reminder is due today: the smallest one already reached, if the shutoff is
    still ahead; None otherwise. Signing up 5 days before a shutoff still gets the 10-day reminder."""
    if first_day <= today:
        return None
    reached = [lead for lead in lead_days if first_day - timedelta(days=lead) <= today]
    return min(reached) if reached else None


def _outbox_row(subscription_id: int, shutoff_id: int, kind: MessageKind, lead_days: int, variant: str, now: datetime):
    """The column values of one pending outbox row, due at once."""
    return {
        "subscription_id": subscription_id,
        "shutoff_id": shutoff_id,
        "kind": kind,
        "lead_days": lead_days,
        "variant": variant,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    """Insert what is not there yet (the unique key decides; several planners may run at once); commits.

    Returns how many rows were new."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__
    # executemany of one small statement (SQLAlchemy batches it); RETURNING counts what was new.
    statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
    created = len(db.session.execute(statement, rows).all())
    db.session.commit()
    return created


def plan_reminders(today: date, now: datetime) -> int:
    """One row per (subscription, shutoff, lead time) that has come due by `today` (Vilnius); `now` (UTC) is
    when they are due. Existing rows are left alone. Returns how many rows were new; commits."""
    until = today + timedelta(days=max(LEAD_DAY_CHOICES))
    query = (
        select(Subscription.id, Subscription.lead_days_csv, Shutoff.id, Shutoff.first_day)
        .join(SubscriptionAddress, SubscriptionAddress.subscription_id == Subscription.id)
        .join(Shutoff, Shutoff.address_code == SubscriptionAddress.address_code)
        .where(
            Subscription.confirmed_at.is_not(None),
            Subscription.unsubscribed_at.is_(None),
            Shutoff.status != ShutoffStatus.CANCELLED,
            Shutoff.first_day > today,
            Shutoff.first_day <= until,
        )
    )
    rows = []
    for sub_id, lead_csv, shutoff_id, first_day in db.session.execute(query):
        leads = [int(x) for x in lead_csv.split(",") if x.strip()]
        lead = reminder_lead(first_day, today, leads)
        if lead is not None:
            rows.append(_outbox_row(sub_id, shutoff_id, MessageKind.REMINDER, lead, first_day.isoformat(), now))
    return _insert_ignoring_duplicates(rows)


def _is_moved(change: ShutoffChange) -> bool:
    """The days changed (a change row that only touched the note or status is not news to residents)."""
    if change.previous_first_day is None:
        return change.status == ShutoffStatus.MOVED
    return (change.previous_first_day, change.previous_last_day) != (change.first_day, change.last_day)


def plan_changes(today: date, now: datetime) -> int:
    """ "Moved" and "cancelled" messages for subscribers reminded of a shutoff before it changed (changes of the
    last CHANGE_LOOKBACK_DAYS days that are not over by `today`). Returns how many rows were new; commits."""
    told = (
        select(OutboxMessage.subscription_id, OutboxMessage.shutoff_id, OutboxMessage.sent_at)
        .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
        .where(
            OutboxMessage.kind == MessageKind.REMINDER,
            OutboxMessage.status == OutboxStatus.SENT,
            Subscription.unsubscribed_at.is_(None),
        )
        .subquery()
    )
    query = (
        select(told.c.subscription_id, ShutoffChange)
        .join(told, told.c.shutoff_id == ShutoffChange.shutoff_id)
        .where(
            ShutoffChange.changed_at >= now - timedelta(days=CHANGE_LOOKBACK_DAYS),
            ShutoffChange.changed_at > told.c.sent_at,
            ShutoffChange.last_day >= today,
        )
        .order_by(ShutoffChange.id, told.c.subscription_id)
    )
    rows, seen = [], set()
    for sub_id, change in db.session.execute(query):
        if change.status == ShutoffStatus.CANCELLED:
            kind = MessageKind.CANCELLED
        elif _is_moved(change):
            kind = MessageKind.MOVED
        else:
            continue
        key = (sub_id, change.shutoff_id, kind, change.id)
        if key in seen:
            continue
        seen.add(key)
        rows.append(_outbox_row(sub_id, change.shutoff_id, kind, 0, f"change-{change.id}", now))
    return _insert_ignoring_duplicates(rows)
