"""Confirmed subscribers and the reminders they were sent, written straight into the tables."""

from app.extensions import db
from app.notifications.contacts import identity_key
from app.notifications.models import (
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
)
from app.shutoffs.models import Shutoff
from app.timeutil import utcnow


def add_subscriber(channel: Channel, contact: str, *codes: str, lead_days: str = "10,1", **fields) -> Subscription:
    """A confirmed subscription of `contact` following the buildings `codes` (committed)."""
    values = {
        "channel": channel,
        "contact": contact,
        "consent_text": "Sutinku",
        "consent_version": "1",
        "lead_days_csv": lead_days,
        "confirmed_at": utcnow(),
        **fields,
    }
    values.setdefault("contact_key", identity_key(channel, contact))
    subscription = Subscription(**values)
    subscription.addresses.extend(SubscriptionAddress(address_code=code) for code in codes)
    db.session.add(subscription)
    db.session.commit()
    return subscription


def add_sent_reminder(subscription: Subscription, shutoff: Shutoff) -> OutboxMessage:
    """The reminder of `shutoff` as sent to `subscription` (committed)."""
    message = OutboxMessage(
        subscription_id=subscription.id,
        shutoff_id=shutoff.id,
        kind=MessageKind.REMINDER,
        lead_days=10,
        variant=shutoff.first_day.isoformat(),
        status=OutboxStatus.SENT,
        sent_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    return message
