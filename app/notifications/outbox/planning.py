"""Planning: which messages have come due, written into the outbox once each (its unique key decides)."""

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.notifications.models import (
    CHANGE_KINDS,
    LEAD_DAY_CHOICES,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
)
from app.shutoffs.models import Shutoff, ShutoffChange, ShutoffStatus
from app.timeutil import VILNIUS

# How far back a schedule change may lie and still be told to those reminded before it.
CHANGE_LOOKBACK_DAYS = 60
# "Hot water is back" still makes sense this many days after the last day (a send run missed by cron).
BACK_MESSAGE_DAYS = 2


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
            *_deliverable_subscriptions(),
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


def _deliverable_subscriptions():
    """Confirmed, not unsubscribed, and not refused by the provider for good."""
    return (
        Subscription.confirmed_at.is_not(None),
        Subscription.unsubscribed_at.is_(None),
        Subscription.undeliverable_at.is_(None),
    )


def _what_changed(told_kind: MessageKind, changes: list[ShutoffChange]) -> tuple[MessageKind, str] | None:
    """The message (kind, variant) that tells a subscriber about `changes` (oldest first, all made after the
    last message it was sent about the shutoff, `told_kind`), or None when, taken together, they are not news:
    moved and moved back, a note edited, cancelled and restored before anyone was told.

    A move's variant carries the days the subscriber knew (`change-<id>:<first>:<last>`), so the message
    names them however many changes came in between."""
    latest = changes[-1]
    if latest.status == ShutoffStatus.CANCELLED:
        return None if told_kind == MessageKind.CANCELLED else (MessageKind.CANCELLED, f"change-{latest.id}")
    if told_kind == MessageKind.CANCELLED:
        return MessageKind.RESTORED, f"change-{latest.id}"
    known = (changes[0].previous_first_day, changes[0].previous_last_day)
    if known[0] is None or known[1] is None:
        return (MessageKind.MOVED, f"change-{latest.id}") if latest.status == ShutoffStatus.MOVED else None
    if known == (latest.first_day, latest.last_day):
        return None
    return MessageKind.MOVED, f"change-{latest.id}:{known[0].isoformat()}:{known[1].isoformat()}"


def plan_changes(today: date, now: datetime) -> int:
    """ "Moved", "cancelled" and "planned again" messages for subscribers told of a shutoff (a reminder or an
    earlier change message was sent) before it changed, for changes of the last CHANGE_LOOKBACK_DAYS days to
    shutoffs not over by `today`. One message per subscriber and shutoff says where things stand now.

    A move or a restore names the new days, so the reminder due today for them is not sent as well: it is
    recorded as skipped (its unique key then keeps it from being planned again; later lead times still
    come). Returns how many messages were new; commits."""
    since = now - timedelta(days=CHANGE_LOOKBACK_DAYS)
    recently_changed = select(ShutoffChange.shutoff_id).where(ShutoffChange.changed_at >= since)
    told = db.session.execute(
        select(
            OutboxMessage.subscription_id,
            Subscription.lead_days_csv,
            OutboxMessage.shutoff_id,
            OutboxMessage.kind,
            OutboxMessage.sent_at,
        )
        .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
        .where(
            OutboxMessage.kind.in_([MessageKind.REMINDER, *CHANGE_KINDS]),
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.shutoff_id.in_(recently_changed),
            *_deliverable_subscriptions(),
        )
        .order_by(OutboxMessage.subscription_id, OutboxMessage.shutoff_id, OutboxMessage.sent_at)
    ).all()
    last_told = {(sub_id, shutoff_id): (leads, kind, sent_at) for sub_id, leads, shutoff_id, kind, sent_at in told}
    shutoffs = {
        shutoff.id: shutoff
        for shutoff in db.session.scalars(
            select(Shutoff)
            .where(Shutoff.id.in_({shutoff_id for _, shutoff_id in last_told}), Shutoff.last_day >= today)
            .options(selectinload(Shutoff.changes))
        )
    }
    messages, skipped_reminders = [], []
    for (sub_id, shutoff_id), (leads, told_kind, sent_at) in sorted(last_told.items()):
        shutoff = shutoffs.get(shutoff_id)
        if shutoff is None:
            continue
        changes = [c for c in shutoff.changes if c.changed_at > sent_at and c.changed_at >= since]
        news = _what_changed(told_kind, changes) if changes else None
        if news is None:
            continue
        kind, variant = news
        messages.append(_outbox_row(sub_id, shutoff_id, kind, 0, variant, now))
        lead = reminder_lead(shutoff.first_day, today, [int(x) for x in leads.split(",") if x.strip()])
        if kind != MessageKind.CANCELLED and lead is not None:
            reminder = _outbox_row(sub_id, shutoff_id, MessageKind.REMINDER, lead, shutoff.first_day.isoformat(), now)
            skipped_reminders.append(
                reminder | {"status": OutboxStatus.SKIPPED, "last_error": "told in the change message"}
            )
    created = _insert_ignoring_duplicates(messages)
    _insert_ignoring_duplicates(skipped_reminders)
    return created


def plan_hot_water_back(today: date, now: datetime) -> int:
    """ "Hot water is back" for subscribers who asked for it, the day after a shutoff's last day (or up to
    BACK_MESSAGE_DAYS days later, should a send run be missed), when they had confirmed by its last day.
    Returns how many rows were new; commits."""
    query = (
        select(Subscription.id, Subscription.confirmed_at, Shutoff.id, Shutoff.last_day)
        .join(SubscriptionAddress, SubscriptionAddress.subscription_id == Subscription.id)
        .join(Shutoff, Shutoff.address_code == SubscriptionAddress.address_code)
        .where(
            Subscription.hot_water_back.is_(True),
            *_deliverable_subscriptions(),
            Shutoff.status != ShutoffStatus.CANCELLED,
            Shutoff.last_day < today,
            Shutoff.last_day >= today - timedelta(days=BACK_MESSAGE_DAYS),
        )
    )
    rows = [
        _outbox_row(sub_id, shutoff_id, MessageKind.HOT_WATER_BACK, 0, last_day.isoformat(), now)
        for sub_id, confirmed_at, shutoff_id, last_day in db.session.execute(query)
        if confirmed_at.astimezone(VILNIUS).date() <= last_day
    ]
    return _insert_ignoring_duplicates(rows)
