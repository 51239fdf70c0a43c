"""Sending claimed rows: is each still wanted, digest grouping, the channel, and the outcome.

Marking a row sent is a separate short transaction right after the provider accepted it, so the
at-least-once window is one message per sender: killed after the provider took the message and before
the commit, that message is offered again — with the same Message-ID (e-mail) or Idempotency-Key/reference
(SMS gateway), so a provider that deduplicates delivers it once.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.addresses.models import Address
from app.extensions import db
from app.notifications.channels import DeliveryChannel, DeliveryError, PermanentFailure, channel_from_config
from app.notifications.confirmation import issue_code
from app.notifications.messages import compose, compose_digest
from app.notifications.models import (
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
)
from app.notifications.outbox.claims import (
    claim,
    close_outcome_connection,
    finish,
    mark_sent,
    open_outcome_connection,
)
from app.shutoffs.models import Shutoff, ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH_SIZE = 50
# Longest provider error kept on a row.
MAX_ERROR_LENGTH = 2000


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


@dataclass
class SendStats:
    """Rows per outcome in one run, and the providers' error messages."""

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


def still_wanted(row: OutboxMessage, today: date) -> str | None:
    """Why a claimed row should not go out any more (recorded as its last_error), or None if it should."""
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


def group_into_messages(rows: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    """One message per row, except a digest subscription's reminders: one message for all of them (in `rows`
    order, the digests after the single messages)."""
    digests: dict[int, list[OutboxMessage]] = defaultdict(list)
    units: list[list[OutboxMessage]] = []
    for row in rows:
        if row.kind == MessageKind.REMINDER and row.subscription.digest:
            digests[row.subscription_id].append(row)
        else:
            units.append([row])
    return units + list(digests.values())


class Sender:
    """One send run: opens each channel once, sends claimed rows, records every outcome.

    `channels` replaces the configured channel per contact channel (tests, benchmarks).
    """

    def __init__(self, lease_seconds: int | None = None, channels: dict[Channel, DeliveryChannel] | None = None):
        config = current_app.config
        self.lease_seconds = lease_seconds or int(config["NOTIFY_LEASE_SECONDS"])
        self._channels = dict(channels or {})
        self._owned: list[DeliveryChannel] = []
        self.conn = open_outcome_connection()

    def channel(self, kind: Channel) -> DeliveryChannel:
        """The delivery channel for e-mail or SMS, opened on first use from NOTIFY_CHANNEL_EMAIL / _SMS."""
        if kind not in self._channels:
            setting = "NOTIFY_CHANNEL_EMAIL" if kind == Channel.EMAIL else "NOTIFY_CHANNEL_SMS"
            self._channels[kind] = channel_from_config(current_app.config[setting], current_app.config)
            self._owned.append(self._channels[kind])
        return self._channels[kind]

    def close(self) -> None:
        for channel in self._owned:
            channel.close()
        self._owned.clear()
        close_outcome_connection(self.conn)

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(
        self, *, ids: list[int] | None = None, batch_size: int = BATCH_SIZE, max_batches: int | None = None
    ) -> SendStats:
        """Claim `batch_size` rows at a time (among `ids` when given) and send them, until none are left or
        `max_batches` batches were sent."""
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
        """Send rows claimed with `token`; what is not sent before the lease nearly ends goes back to pending."""
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
        wanted = []
        for row in rows:
            reason = still_wanted(row, today)
            if reason:
                finish(self.conn, [row.id], token, status=OutboxStatus.SKIPPED, last_error=reason)
                stats.skipped += 1
            else:
                wanted.append(row)
        units = group_into_messages(wanted)
        for index, unit in enumerate(units):
            # Stop before the lease runs out: another sender may take the rest over after that.
            if utcnow() >= lease_until - timedelta(seconds=min(10, self.lease_seconds / 4)):
                rest = [r.id for u in units[index:] for r in u]
                finish(self.conn, rest, token, status=OutboxStatus.PENDING)
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
                code = issue_code(sub)
                db.session.commit()
                message = compose(first, code=code)
            elif len(unit) > 1 or (first.kind == MessageKind.REMINDER and sub.digest):
                message = compose_digest(sub, unit, key=f"digest-{first.id}")
            else:
                message = compose(first)
            provider_id = self.channel(sub.channel).send(message)
        except PermanentFailure as exc:
            self._failed(token, unit, first.attempts + 1, exc, stats)
            return
        except DeliveryError as exc:
            attempts = first.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                self._failed(token, unit, attempts, exc, stats)
            else:
                finish(
                    self.conn,
                    ids,
                    token,
                    status=OutboxStatus.PENDING,
                    attempts=attempts,
                    last_error=str(exc)[:MAX_ERROR_LENGTH],
                    next_attempt_at=utcnow() + backoff(attempts),
                )
                stats.retried += len(unit)
                stats.errors.append(str(exc))
            return
        if len(ids) == 1:
            ours = mark_sent(self.conn, ids[0], token, provider_id)
        else:
            ours = finish(self.conn, ids, token, status=OutboxStatus.SENT, provider_id=provider_id, sent_at=utcnow())
        if not ours:
            log.warning("outbox rows %s were taken over by another sender after their lease ran out", ids)
        stats.sent += len(unit)

    def _failed(self, token: str, unit: list[OutboxMessage], attempts: int, exc: DeliveryError, stats: SendStats):
        """The provider refused, or the tries ran out: recorded for good."""
        finish(
            self.conn,
            [r.id for r in unit],
            token,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            last_error=str(exc)[:MAX_ERROR_LENGTH],
        )
        stats.failed += len(unit)
        stats.errors.append(str(exc))
