"""Delivery status, as GOV.UK Notify keeps it: the SMS gateway's delivery receipts, and sent / delivered /
failed per day and channel for the staff.

A receipt (JSON, POSTed by the gateway to the callback URL) names the message by the reference we gave it
(`outbox-<row id>`, or `digest-<row id>` for a digest) or by the gateway's own id (the provider_id recorded
when it took the message), and says `delivered`, `temporary-failure` (the phone stayed off until the
gateway gave up) or `permanent-failure` (no such number, barred). A permanent failure marks the contact
undeliverable: nothing more goes to it until it signs up anew.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select, update

from app.extensions import db
from app.notifications.models import Channel, DeliveryStatus, OutboxMessage, OutboxStatus, Subscription
from app.timeutil import VILNIUS, utcnow

STATS_DAYS = 30
MAX_REASON_LENGTH = 500


class BadReceipt(ValueError):
    """The receipt is not one we can read (its reason says what is missing)."""


@dataclass(frozen=True)
class Receipt:
    reference: str
    provider_id: str
    status: DeliveryStatus
    error: str = ""


def read_receipt(payload: object) -> Receipt:
    """A gateway's JSON body → Receipt; BadReceipt when it names no message or no known status."""
    if not isinstance(payload, dict):
        raise BadReceipt("expected a JSON object")
    reference, provider_id = payload.get("reference"), payload.get("id")
    reference = reference if isinstance(reference, str) else ""
    provider_id = provider_id if isinstance(provider_id, str) else ""
    if not (reference or provider_id):
        raise BadReceipt("a receipt needs a reference or an id")
    try:
        status = DeliveryStatus(payload.get("status"))
    except ValueError as exc:
        raise BadReceipt(f"status must be one of {', '.join(DeliveryStatus)}") from exc
    error = payload.get("error")
    return Receipt(
        reference[:64], provider_id[:255], status, error[:MAX_REASON_LENGTH] if isinstance(error, str) else ""
    )


def _row_id(reference: str) -> int | None:
    for prefix in ("outbox-", "digest-"):
        number = reference.removeprefix(prefix)
        if number != reference and number.isascii() and number.isdigit() and len(number) < 12:
            return int(number)
    return None


def record_receipt(receipt: Receipt) -> int:
    """Record a receipt on the sent SMS rows it names (every row of a digest); a permanent failure also marks
    their subscription undeliverable. Returns how many rows it named; commits."""
    named = []
    row_id = _row_id(receipt.reference)
    if row_id is not None:
        named.append(OutboxMessage.id == row_id)
        provider_of_row = select(OutboxMessage.provider_id).where(OutboxMessage.id == row_id).scalar_subquery()
        if receipt.reference.startswith("digest-"):
            named.append(OutboxMessage.provider_id == provider_of_row)
    if receipt.provider_id:
        named.append(OutboxMessage.provider_id == receipt.provider_id)
    rows = list(
        db.session.execute(
            select(OutboxMessage.id, OutboxMessage.subscription_id)
            .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
            .where(or_(*named), OutboxMessage.status == OutboxStatus.SENT, Subscription.channel == Channel.SMS)
        )
    )
    if not rows:
        return 0
    now = utcnow()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([row_id for row_id, _ in rows]))
        .values(delivery_status=receipt.status, delivered_at=now, last_error=receipt.error or None)
        .execution_options(synchronize_session=False)
    )
    if receipt.status == DeliveryStatus.PERMANENT_FAILURE:
        db.session.execute(
            update(Subscription)
            .where(Subscription.id.in_({sub_id for _, sub_id in rows}))
            .values(undeliverable_at=now, undeliverable_reason=receipt.error or "the gateway could not deliver")
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return len(rows)


@dataclass
class DayCounts:
    """One Vilnius day: messages sent (taken by the provider), delivered (receipt) and failed, per channel."""

    day: date
    counts: dict[Channel, dict[str, int]] = field(
        default_factory=lambda: {channel: {"sent": 0, "delivered": 0, "failed": 0} for channel in Channel}
    )


def daily_counts(today: date, days: int = STATS_DAYS) -> list[DayCounts]:
    """The last `days` Vilnius days up to `today`, newest first. A row counts on the day its last attempt
    ended: sent when the provider took it, delivered when a receipt said so, failed when it was refused, ran
    out of tries, or a receipt reported a failure."""
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time(), tzinfo=VILNIUS).astimezone(UTC)
    hour = _hour_of(OutboxMessage.attempted_at)
    query = (
        select(hour, Subscription.channel, OutboxMessage.status, OutboxMessage.delivery_status, func.count())
        .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
        .where(OutboxMessage.attempted_at >= since, OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]))
        .group_by(hour, Subscription.channel, OutboxMessage.status, OutboxMessage.delivery_status)
    )
    table = {first + timedelta(days=n): DayCounts(first + timedelta(days=n)) for n in range(days)}
    for hour_text, channel, status, delivery, count in db.session.execute(query):
        moment = datetime.strptime(hour_text, "%Y-%m-%d %H").replace(tzinfo=UTC)
        day = table.get(moment.astimezone(VILNIUS).date())
        if day is None:
            continue
        counts = day.counts[Channel(channel)]
        if status == OutboxStatus.SENT:
            counts["sent"] += count
        if delivery == DeliveryStatus.DELIVERED:
            counts["delivered"] += count
        elif status == OutboxStatus.FAILED or delivery is not None:
            counts["failed"] += count
    return sorted(table.values(), key=lambda d: d.day, reverse=True)


def _hour_of(column):
    """The UTC hour of a stored moment as "YYYY-MM-DD HH" (grouped in SQL; the Vilnius day is found after)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)
