"""Sending claimed rows: is each still wanted, digest grouping, the channel, and the outcome.

Rows the provider accepted are marked sent together, in one short transaction after every
MARKS_PER_COMMIT messages and at the end of each batch (one commit per message was most of a sender's
database time, and two senders on SQLite queued for its write lock). So the at-least-once window is at
most MARKS_PER_COMMIT messages per sender: killed after the provider took them and before the commit,
they are offered again — with the same Message-ID (e-mail) or Idempotency-Key/reference (SMS gateway), so
a provider that deduplicates delivers each once. Nothing is lost: a killed sender's rows stay claimed
until its lease runs out, and are then taken over.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.addresses.models import Address
from app.extensions import db
from app.notifications.channels import (
    DeliveryChannel,
    DeliveryError,
    OutgoingMessage,
    PermanentFailure,
    channel_from_config,
)
from app.notifications.confirmation import issue_code
from app.notifications.messages import compose, compose_digest
from app.notifications.models import (
    CHANGE_KINDS,
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
)
from app.notifications.outbox.claims import (
    claim,
    close_outcome_connection,
    finish,
    mark_sent,
    mark_undeliverable,
    open_outcome_connection,
)
from app.notifications.outbox.planning import BACK_MESSAGE_DAYS
from app.notifications.tokens import CodeKind
from app.shutoffs.models import Shutoff, ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow
from app.urls import links_context

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH_SIZE = 50
# Messages accepted by the provider before their rows are marked sent in one commit (the at-least-once window).
MARKS_PER_COMMIT = 10
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


def _reported_change_id(row: OutboxMessage) -> int | None:
    """The ShutoffChange a change message reports (its variant is `change-<id>` or `change-<id>:<old days>`)."""
    number = row.variant.removeprefix("change-").partition(":")[0]
    return int(number) if number.isascii() and number.isdigit() else None


def still_wanted(row: OutboxMessage, today: date) -> str | None:
    """Why a claimed row should not go out any more (recorded as its last_error), or None if it should."""
    sub = row.subscription
    if row.kind == MessageKind.CONFIRMATION:
        return "already confirmed" if sub.confirmed_at is not None else None
    if row.kind == MessageKind.MANAGE:  # asked for just now; an unsubscribed contact may still delete its data
        return None if sub.confirmed_at is not None else "not confirmed"
    reason = _subscriber_gone(sub)
    if reason:
        return reason
    shutoff = row.shutoff
    if shutoff is None:
        return "shutoff deleted"
    if shutoff.address_code not in sub.address_codes:
        return "address no longer followed"
    return _SHUTOFF_CHECKS.get(row.kind, _always)(row, shutoff, today)


def _subscriber_gone(sub: Subscription) -> str | None:
    if sub.unsubscribed_at is not None:
        return "unsubscribed"
    if sub.confirmed_at is None:
        return "not confirmed"
    if sub.undeliverable_at is not None:
        return "contact undeliverable"
    return None


def _reminder_still_true(row: OutboxMessage, shutoff: Shutoff, today: date) -> str | None:
    if shutoff.status == ShutoffStatus.CANCELLED:
        return "shutoff cancelled"
    if shutoff.first_day.isoformat() != row.variant:
        return "shutoff moved"
    return "too late" if shutoff.first_day <= today else None


def _change_still_latest(row: OutboxMessage, shutoff: Shutoff, today: date) -> str | None:
    latest = max((change.id for change in shutoff.changes), default=None)
    return "changed again since" if latest is not None and _reported_change_id(row) != latest else None


def _back_still_true(row: OutboxMessage, shutoff: Shutoff, today: date) -> str | None:
    if shutoff.status == ShutoffStatus.CANCELLED or shutoff.last_day.isoformat() != row.variant:
        return "shutoff changed"
    return "too late" if today > shutoff.last_day + timedelta(days=BACK_MESSAGE_DAYS) else None


def _always(row: OutboxMessage, shutoff: Shutoff, today: date) -> str | None:
    return None


# What must still hold of a shutoff for each kind of message about it.
_SHUTOFF_CHECKS = {
    MessageKind.REMINDER: _reminder_still_true,
    MessageKind.HOT_WATER_BACK: _back_still_true,
    **dict.fromkeys(CHANGE_KINDS, _change_still_latest),
}


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
        # Accepted by the provider, not marked sent yet: (row id, provider id, when).
        self._accepted: list[tuple[int, str, datetime]] = []
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
        with links_context():
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
                    # One query for the rows with their subscription, shutoff and building (many-to-one: joined),
                    # one each for the codes the subscriptions follow and the shutoffs' changes. The buildings'
                    # labels of a subscription only where a message names them all (a confirmation), loaded then.
                    joinedload(OutboxMessage.subscription, innerjoin=True).selectinload(Subscription.addresses),
                    joinedload(OutboxMessage.shutoff).joinedload(Shutoff.address).joinedload(Address.street),
                    joinedload(OutboxMessage.shutoff).selectinload(Shutoff.changes),
                )
                .order_by(OutboxMessage.subscription_id, OutboxMessage.id)
                .execution_options(populate_existing=True)
            )
        )
        today = today_in_vilnius()
        wanted, skipped = [], defaultdict(list)
        for row in rows:
            reason = still_wanted(row, today)
            if reason:
                skipped[reason].append(row.id)
            else:
                wanted.append(row)
        for reason, ids in skipped.items():
            finish(self.conn, ids, token, status=OutboxStatus.SKIPPED, last_error=reason)
            stats.skipped += len(ids)
        units = group_into_messages(wanted)
        index = 0
        try:
            for index, unit in enumerate(units):
                # Stop before the lease runs out: another sender may take the rest over after that.
                if utcnow() >= lease_until - timedelta(seconds=min(10, self.lease_seconds / 4)):
                    self._mark_accepted(token)
                    rest = [r.id for u in units[index:] for r in u]
                    finish(self.conn, rest, token, status=OutboxStatus.PENDING)
                    break
                self._send_unit(token, unit, stats)
        except (SystemExit, KeyboardInterrupt):
            # Stopped (SIGTERM, Ctrl-C): what was never started goes back to pending for the next run; the
            # message on its way stays claimed (it may have gone) and is offered again once the lease ends.
            self._mark_accepted(token)
            finish(self.conn, [r.id for u in units[index + 1 :] for r in u], token, status=OutboxStatus.PENDING)
            raise
        finally:
            self._mark_accepted(token)
        db.session.commit()  # end the read transaction; nothing of ours is pending in the session
        return stats

    def _mark_accepted(self, token: str) -> None:
        """Record the messages the provider accepted since the last commit as sent."""
        ours = mark_sent(self.conn, token, self._accepted)
        if ours < len(self._accepted):
            rows = [row_id for row_id, _provider, _at in self._accepted]
            log.warning(
                "%d of outbox rows %s were taken over by another sender after their lease ran out",
                len(rows) - ours,
                rows,
            )
        self._accepted.clear()

    def _compose(self, unit: list[OutboxMessage]) -> OutgoingMessage:
        """The one message for a unit of rows; a code sent by SMS is issued (and its hash committed) here."""
        first = unit[0]
        sub = first.subscription
        if sub.channel == Channel.SMS and first.kind in (MessageKind.CONFIRMATION, MessageKind.MANAGE):
            code = issue_code(sub, CodeKind.SIGN_UP if first.kind == MessageKind.CONFIRMATION else CodeKind.MANAGE)
            db.session.commit()
            return compose(first, code=code)
        if len(unit) > 1 or (first.kind == MessageKind.REMINDER and sub.digest):
            return compose_digest(sub, unit, key=f"digest-{first.id}")
        return compose(first)

    def _send_unit(self, token: str, unit: list[OutboxMessage], stats: SendStats) -> None:
        """Compose, build and send one message; whatever goes wrong is recorded on its rows and the run goes on."""
        first = unit[0]
        ids = [r.id for r in unit]
        try:
            channel = first.subscription.channel
            provider_id = self.channel(channel).send(self._compose(unit))
        except PermanentFailure as exc:
            if exc.contact_refused:
                mark_undeliverable(self.conn, first.subscription_id, str(exc)[:MAX_ERROR_LENGTH])
            self._failed(token, unit, first.attempts + 1, str(exc), stats)
            return
        except Exception as exc:  # one bad message must never stop the others: recorded on its rows
            if isinstance(exc, DeliveryError):
                reason = str(exc)
            else:
                log.exception("outbox rows %s could not be composed or sent", ids)
                reason = f"{type(exc).__name__}: {exc}"
                db.session.rollback()
            self._retry_or_fail(token, unit, reason, stats)
            return
        accepted_at = utcnow()
        self._accepted += [(row_id, provider_id, accepted_at) for row_id in ids]
        if len(self._accepted) >= MARKS_PER_COMMIT:
            self._mark_accepted(token)
        stats.sent += len(unit)

    def _retry_or_fail(self, token: str, unit: list[OutboxMessage], reason: str, stats: SendStats) -> None:
        """Try again later (1, 2, 4 … minutes); after MAX_ATTEMPTS tries, failed for good."""
        attempts = unit[0].attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self._failed(token, unit, attempts, reason, stats)
            return
        self._record(token, unit, reason, OutboxStatus.PENDING, attempts, next_attempt_at=utcnow() + backoff(attempts))
        stats.retried += len(unit)
        stats.errors.append(reason)

    def _failed(self, token: str, unit: list[OutboxMessage], attempts: int, reason: str, stats: SendStats) -> None:
        """The provider refused, or the tries ran out: recorded for good."""
        self._record(token, unit, reason, OutboxStatus.FAILED, attempts)
        stats.failed += len(unit)
        stats.errors.append(reason)

    def _record(
        self, token: str, unit: list[OutboxMessage], reason: str, status: OutboxStatus, attempts: int, **values
    ):
        finish(
            self.conn,
            [r.id for r in unit],
            token,
            status=status,
            attempts=attempts,
            last_error=reason[:MAX_ERROR_LENGTH],
            attempted_at=utcnow(),
            **values,
        )
