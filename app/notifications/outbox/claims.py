"""Claiming outbox rows and recording outcomes: every database dialect and connection detail of sending.

Several senders (cron on several machines) may run at once. A sender claims rows by setting
status=sending, its own claim token and a lease; on PostgreSQL the candidate rows are picked with
SELECT … FOR UPDATE SKIP LOCKED, on SQLite with one atomic UPDATE (SQLite lets one writer in at a
time). A sender killed halfway leaves its rows in `sending`; when the lease runs out another sender
takes them again. Every outcome is recorded only while the claim token is still the sender's own, so a
lease taken over is never overwritten.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, and_, bindparam, or_, select, update
from sqlalchemy.orm import scoped_session

from app.extensions import db
from app.notifications.models import OutboxMessage, OutboxStatus, Subscription
from app.timeutil import utcnow

# Claims and outcomes go through either the session (an in-memory database) or a connection of their own.
OutcomeConnection = scoped_session | Connection

_OUTBOX = OutboxMessage.__table__
_SUBSCRIPTIONS = Subscription.__table__

# The hot path, one row per message sent (executemany): compiled once, parameters bound per call.
_MARK_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row_id"), _OUTBOX.c.claim_token == bindparam("token"))
    .values(
        status=OutboxStatus.SENT,
        provider_id=bindparam("provider_id"),
        sent_at=bindparam("sent_at"),
        attempted_at=bindparam("sent_at"),
        claim_token=None,
        lease_until=None,
    )
)


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Due and pending, or claimed by a sender whose lease has run out."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def _dialect(conn: OutcomeConnection) -> str:
    return conn.dialect.name if isinstance(conn, Connection) else conn.get_bind().dialect.name


def claim(
    limit: int, lease_seconds: int, *, ids: list[int] | None = None, connection: OutcomeConnection | None = None
) -> tuple[str, datetime, list[int]]:
    """Claim up to `limit` due rows (only among `ids` when given) for `lease_seconds` seconds.

    Returns (claim token, lease end in UTC, claimed row ids); commits. Two senders never get the same row.
    """
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


def mark_sent(conn: OutcomeConnection, token: str, sent: list[tuple[int, str, datetime]]) -> int:
    """Messages the provider accepted, (row id, provider id, when, UTC) each, recorded in one commit.

    Returns how many rows were still claimed with `token` (the others were taken over by another sender
    after their lease ran out, and are left to it)."""
    if not sent:
        return 0
    result = conn.execute(
        _MARK_SENT,
        [{"row_id": row_id, "token": token, "provider_id": provider, "sent_at": at} for row_id, provider, at in sent],
    )
    conn.commit()
    return result.rowcount or 0


def finish(conn: OutcomeConnection, row_ids: list[int], token: str, **values) -> bool:
    """Record an outcome (column values) for claimed rows and release them; commits.

    Only rows still claimed with `token` change; False when some were taken over by another sender.
    """
    # The plain table, not the ORM entity: this runs for every failure and skip, and the ORM's bulk path is slow.
    result = conn.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id.in_(row_ids), _OUTBOX.c.claim_token == token)
        .values(claim_token=None, lease_until=None, **values)
    )
    conn.commit()
    return (result.rowcount or 0) == len(row_ids)


def mark_undeliverable(conn: OutcomeConnection, subscription_id: int, reason: str) -> None:
    """The provider refused the subscription's contact for good: nothing more goes to it until it signs up
    anew (services.confirm of a new sign-up clears this); commits."""
    conn.execute(
        update(_SUBSCRIPTIONS)
        .where(_SUBSCRIPTIONS.c.id == subscription_id)
        .values(undeliverable_at=utcnow(), undeliverable_reason=reason)
    )
    conn.commit()


def open_outcome_connection() -> OutcomeConnection:
    """Where claims and outcomes go: a connection of their own, committed every few messages without expiring the
    session's objects. SQLite in WAL mode: synchronous=NORMAL, so a commit is not an fsync — a killed
    process loses nothing committed (only a power cut could lose the last marks, which are then offered
    again with the same Message-ID). An in-memory database (tests) has one connection: the session.
    """
    if db.engine.url.database in (None, "", ":memory:"):
        return db.session
    conn = db.engine.connect()
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal":
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
    return conn


def close_outcome_connection(conn: OutcomeConnection) -> None:
    """Give back what `open_outcome_connection` opened (the session is left to Flask-SQLAlchemy)."""
    if not isinstance(conn, Connection):
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=FULL")
    conn.close()
