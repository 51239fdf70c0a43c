"""The outbox: plan what is due, claim rows, send them, record the outcome.

Several senders (cron on several machines) may run at once. A sender claims rows by setting
status=sending, its own claim token and a lease; on PostgreSQL the candidate rows are picked with
SELECT … FOR UPDATE SKIP LOCKED, on SQLite with one atomic UPDATE (SQLite lets one writer in at a
time). A sender killed halfway leaves its rows in `sending`; when the lease runs out another sender
takes them again. Marking a row sent is a separate short transaction right after the provider
accepted it, so the at-least-once window is one message per sender: killed after the provider took
the message and before the commit, that message is offered again — with the same Message-ID (e-mail)
or Idempotency-Key/reference (SMS gateway), so a provider that deduplicates delivers it once.
"""

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app.addresses.models import Address
from app.extensions import db
from app.notifications.channels import Channel as DeliveryChannel
from app.notifications.channels import DeliveryError, PermanentFailure, channel_from_config
from app.notifications.messages import compose, compose_digest
from app.notifications.models import (
    LEAD_DAY_CHOICES,
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
)
from app.shutoffs.models import Shutoff, ShutoffChange, ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH_SIZE = 50
CHANGE_LOOKBACK_DAYS = 60


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


# ----------------------------------------------------------------------------------------------- planning


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    """Insert what is not there yet (the unique key decides); several planners may run at once."""
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


def reminder_lead(first_day: date, today: date, lead_days: list[int]) -> int | None:
    """The lead time whose reminder is due today: the smallest one already reached, if the shutoff is ahead."""
    if first_day <= today:
        return None
    reached = [lead for lead in lead_days if first_day - timedelta(days=lead) <= today]
    return min(reached) if reached else None


def plan_reminders(today: date, now: datetime) -> int:
    """One row per (subscription, shutoff, lead time) that has come due; existing rows are left alone."""
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
            rows.append(
                {
                    "subscription_id": sub_id,
                    "shutoff_id": shutoff_id,
                    "kind": MessageKind.REMINDER,
                    "lead_days": lead,
                    "variant": first_day.isoformat(),
                    "status": OutboxStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
    return _insert_ignoring_duplicates(rows)


def _is_moved(change: ShutoffChange) -> bool:
    """The days changed (a change row that only touched the note or status is not news to residents)."""
    if change.previous_first_day is None:
        return change.status == ShutoffStatus.MOVED
    return (change.previous_first_day, change.previous_last_day) != (change.first_day, change.last_day)


def plan_changes(today: date, now: datetime) -> int:
    """Messages that a shutoff moved or was cancelled, to subscribers reminded of it before the change."""
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
        rows.append(
            {
                "subscription_id": sub_id,
                "shutoff_id": change.shutoff_id,
                "kind": kind,
                "lead_days": 0,
                "variant": f"change-{change.id}",
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    return _insert_ignoring_duplicates(rows)


# ----------------------------------------------------------------------------------------------- claiming


def _claimable(now: datetime):
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def _dialect(conn) -> str:
    return conn.get_bind().dialect.name if hasattr(conn, "get_bind") else conn.dialect.name


def claim(
    limit: int, lease_seconds: int, *, ids: list[int] | None = None, connection=None
) -> tuple[str, datetime, list[int]]:
    """Claim up to `limit` due rows for this sender; returns (claim token, lease end, row ids)."""
    conn = connection if connection is not None else db.session
    now = utcnow()
    token = secrets.token_hex(16)
    lease_until = now + timedelta(seconds=lease_seconds)
    candidates = select(OutboxMessage.id).where(_claimable(now))
    if ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(ids))
    # Grouped by subscription so a digest subscriber's reminders tend to land in one claim.
    candidates = candidates.order_by(OutboxMessage.subscription_id, OutboxMessage.id).limit(limit)
    if _dialect(conn) == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
        chosen = list(conn.scalars(candidates))
        where = OutboxMessage.id.in_(chosen) if chosen else None
    else:
        # One UPDATE statement: SQLite runs it under its single write lock, so two senders never share a row.
        where = OutboxMessage.id.in_(candidates.scalar_subquery())
    claimed: list[int] = []
    if where is not None:
        conn.execute(
            update(OutboxMessage)
            .where(where, _claimable(now))
            .values(status=OutboxStatus.SENDING, claim_token=token, lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        claimed = list(conn.scalars(select(OutboxMessage.id).where(OutboxMessage.claim_token == token)))
    conn.commit()
    return token, lease_until, claimed


# ----------------------------------------------------------------------------------------------- sending


@dataclass
class SendStats:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "SendStats") -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retried += other.retried
        self.skipped += other.skipped
        self.errors += other.errors


_OUTBOX = OutboxMessage.__table__
_MARK_SENT = text(
    "UPDATE notification_outbox SET status = 'sent', provider_id = :provider_id, sent_at = :sent_at, "
    "claim_token = NULL, lease_until = NULL WHERE id = :row_id AND claim_token = :token"
).bindparams(bindparam("sent_at", type_=_OUTBOX.c.sent_at.type))


def _mark_sent(conn, row_id: int, token: str, provider_id: str) -> bool:
    """The hot path: one message sent, committed at once (the at-least-once window is this one message)."""
    result = conn.execute(
        _MARK_SENT, {"provider_id": provider_id, "sent_at": utcnow(), "row_id": row_id, "token": token}
    )
    conn.commit()
    return (result.rowcount or 0) == 1


def _finish(conn, row_ids: list[int], token: str, **values) -> bool:
    """Record an outcome, only if the claim is still ours (a lease taken over is not overwritten)."""
    # The plain table, not the ORM entity: this runs once per message and the ORM's bulk path is slow.
    result = conn.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id.in_(row_ids), _OUTBOX.c.claim_token == token)
        .values(claim_token=None, lease_until=None, **values)
    )
    conn.commit()
    return (result.rowcount or 0) == len(row_ids)


def _still_wanted(row: OutboxMessage, today: date) -> str | None:
    """Why a claimed row should not go out any more, or None if it should."""
    sub = row.subscription
    if sub.unsubscribed_at is not None:
        return "unsubscribed"
    if row.kind == MessageKind.CONFIRMATION:
        return "already confirmed" if sub.confirmed_at is not None else None
    if sub.confirmed_at is None:
        return "not confirmed"
    shutoff = row.shutoff
    if shutoff is None:
        return "shutoff deleted"
    if shutoff.address_code not in sub.address_codes:
        return "address no longer followed"
    if row.kind == MessageKind.REMINDER:
        if shutoff.status == ShutoffStatus.CANCELLED:
            return "shutoff cancelled"
        if shutoff.first_day.isoformat() != row.variant:
            return "shutoff moved"
        if shutoff.first_day <= today:
            return "too late"
    return None


def _outcome_connection():
    """Claims and outcomes go through their own connection, committed per message without expiring the
    session's objects. SQLite in WAL mode: synchronous=NORMAL, so a commit is not an fsync — a killed
    process loses nothing committed (only a power cut could lose the last marks, which are then offered
    again with the same Message-ID). An in-memory database (tests) has one connection: use the session.
    """
    if db.engine.url.database in (None, "", ":memory:"):
        return db.session
    conn = db.engine.connect()
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal":
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
    return conn


class Sender:
    """One send run: opens each channel once, sends claimed rows, records every outcome."""

    def __init__(self, lease_seconds: int | None = None, channels: dict[Channel, DeliveryChannel] | None = None):
        config = current_app.config
        self.lease_seconds = lease_seconds or int(config["NOTIFY_LEASE_SECONDS"])
        self._channels = dict(channels or {})
        self._owned: list[DeliveryChannel] = []
        self.conn = _outcome_connection()

    def channel(self, kind: Channel) -> DeliveryChannel:
        if kind not in self._channels:
            setting = "NOTIFY_CHANNEL_EMAIL" if kind == Channel.EMAIL else "NOTIFY_CHANNEL_SMS"
            self._channels[kind] = channel_from_config(current_app.config[setting], current_app.config)
            self._owned.append(self._channels[kind])
        return self._channels[kind]

    def close(self) -> None:
        for channel in self._owned:
            channel.close()
        self._owned.clear()
        if self.conn is not db.session:
            if self.conn.dialect.name == "sqlite":
                self.conn.exec_driver_sql("PRAGMA synchronous=FULL")
            self.conn.close()

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, *, ids: list[int] | None = None, batch_size: int = BATCH_SIZE, max_batches: int | None = None):
        stats = SendStats()
        batches = 0
        while max_batches is None or batches < max_batches:
            token, lease_until, claimed = claim(batch_size, self.lease_seconds, ids=ids, connection=self.conn)
            if not claimed:
                break
            stats.add(self.send_claimed(token, lease_until, claimed))
            batches += 1
        return stats

    def send_claimed(self, token: str, lease_until: datetime, row_ids: list[int]) -> SendStats:
        stats = SendStats()
        rows = list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.id.in_(row_ids))
                .options(
                    selectinload(OutboxMessage.subscription)
                    .selectinload(Subscription.addresses)
                    .selectinload(SubscriptionAddress.address)
                    .selectinload(Address.street),
                    selectinload(OutboxMessage.shutoff).selectinload(Shutoff.address).selectinload(Address.street),
                )
                .order_by(OutboxMessage.subscription_id, OutboxMessage.id)
                .execution_options(populate_existing=True)
            )
        )
        today = today_in_vilnius()
        digests: dict[int, list[OutboxMessage]] = defaultdict(list)
        units: list[list[OutboxMessage]] = []
        for row in rows:
            reason = _still_wanted(row, today)
            if reason:
                _finish(self.conn, [row.id], token, status=OutboxStatus.SKIPPED, last_error=reason)
                stats.skipped += 1
            elif row.kind == MessageKind.REMINDER and row.subscription.digest:
                digests[row.subscription_id].append(row)
            else:
                units.append([row])
        units.extend(digests.values())
        for index, unit in enumerate(units):
            # Stop before the lease runs out: another sender may take the rest over after that.
            if utcnow() >= lease_until - timedelta(seconds=min(10, self.lease_seconds / 4)):
                rest = [r.id for u in units[index:] for r in u]
                _finish(self.conn, rest, token, status=OutboxStatus.PENDING)
                break
            self._send_unit(token, unit, stats)
        db.session.commit()  # end the read transaction; nothing of ours is pending in the session
        return stats

    def _send_unit(self, token: str, unit: list[OutboxMessage], stats: SendStats) -> None:
        first = unit[0]
        sub = first.subscription
        ids = [r.id for r in unit]
        try:
            if first.kind == MessageKind.CONFIRMATION and sub.channel == Channel.SMS:
                from app.notifications.services import issue_code

                code = issue_code(sub)
                db.session.commit()
                message = compose(first, code=code)
            elif len(unit) > 1 or (first.kind == MessageKind.REMINDER and sub.digest):
                message = compose_digest(sub, unit, key=f"digest-{first.id}")
            else:
                message = compose(first)
            provider_id = self.channel(sub.channel).send(message)
        except PermanentFailure as exc:
            _finish(
                self.conn,
                ids,
                token,
                status=OutboxStatus.FAILED,
                attempts=first.attempts + 1,
                last_error=str(exc)[:2000],
            )
            stats.failed += len(unit)
            stats.errors.append(str(exc))
            return
        except DeliveryError as exc:
            attempts = first.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                _finish(
                    self.conn, ids, token, status=OutboxStatus.FAILED, attempts=attempts, last_error=str(exc)[:2000]
                )
                stats.failed += len(unit)
            else:
                _finish(
                    self.conn,
                    ids,
                    token,
                    status=OutboxStatus.PENDING,
                    attempts=attempts,
                    last_error=str(exc)[:2000],
                    next_attempt_at=utcnow() + backoff(attempts),
                )
                stats.retried += len(unit)
            stats.errors.append(str(exc))
            return
        if len(ids) == 1:
            ours = _mark_sent(self.conn, ids[0], token, provider_id)
        else:
            ours = _finish(self.conn, ids, token, status=OutboxStatus.SENT, provider_id=provider_id, sent_at=utcnow())
        if not ours:
            log.warning("outbox rows %s were taken over by another sender after their lease ran out", ids)
        stats.sent += len(unit)


def send_due(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> tuple[int, SendStats]:
    """Plan what is due today, then send everything claimable. Returns (rows planned, send stats)."""
    now = utcnow()
    today = today_in_vilnius()
    # Changes first: "moved" reads better before the reminder for the new dates.
    planned = plan_changes(today, now) + plan_reminders(today, now)
    with Sender() as sender:
        stats = sender.run(batch_size=batch_size, max_batches=max_batches)
    return planned, stats


def send_now(row_ids: list[int]) -> SendStats:
    """Send specific rows right away (a confirmation during the sign-up request); failures stay for cron."""
    with Sender() as sender:
        try:
            return sender.run(ids=row_ids)
        except DeliveryError:  # pragma: no cover -- failures are recorded on the row; the page answers the same
            return SendStats()
