"""Subscriptions (one contact, its buildings, its consent) and the outbox of messages to them."""

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.addresses.models import Address
from app.extensions import db, string_enum
from app.shutoffs.models import Shutoff
from app.timeutil import utcnow

DEFAULT_LEAD_DAYS = (10, 1)
LEAD_DAY_CHOICES = (14, 10, 7, 5, 3, 2, 1)


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class MessageKind(enum.StrEnum):
    CONFIRMATION = "confirmation"  # the sign-up's link (e-mail) or code (SMS)
    REMINDER = "reminder"
    MOVED = "moved"  # the days changed: one message with the new days
    CANCELLED = "cancelled"
    RESTORED = "restored"  # a cancelled shutoff is planned again
    HOT_WATER_BACK = "hot_water_back"  # the day after the last day, for those who asked for it
    MANAGE = "manage"  # the way into the settings a contact asked for: a link (e-mail) or a code (SMS)


# Kinds that report a change to a shutoff the subscriber was already told about.
CHANGE_KINDS = (MessageKind.MOVED, MessageKind.CANCELLED, MessageKind.RESTORED)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one sender until lease_until
    SENT = "sent"
    FAILED = "failed"  # permanently: the provider refused it or retries ran out
    SKIPPED = "skipped"  # no longer true or wanted when its turn came (unsubscribed, cancelled, moved)


class DeliveryStatus(enum.StrEnum):
    """What the provider reported after taking the message (an SMS gateway's delivery receipt)."""

    DELIVERED = "delivered"
    TEMPORARY_FAILURE = "temporary-failure"  # the phone was off or out of reach until the provider gave up
    PERMANENT_FAILURE = "permanent-failure"  # no such number, barred …: the contact is undeliverable


def new_secret() -> str:
    """A random secret for one kind of link of one subscription (96 bits, URL-safe, 16 characters)."""
    return secrets.token_urlsafe(12)


# A subscription that is confirmed and not unsubscribed: at most one per contact identity.
_ACTIVE = text("confirmed_at IS NOT NULL AND unsubscribed_at IS NULL")


class Subscription(db.Model):
    """One contact (an e-mail or a phone in E.164) following some buildings.

    `contact` is the display form (what we send to and show); `contact_key` is its identity
    (contacts.identity_key): one active subscription per identity, however the contact was spelled.
    Pending sign-ups of a known contact are separate rows until confirmed (confirmation merges them).

    Each kind of link has its own random secret (`*_secret`), so no link reveals or leads to another's
    rights: the confirmation link, the unsubscribe link of e-mails, the short link of SMS (which only
    unsubscribes) and the manage link. Changing a secret revokes the links of that kind already sent.
    """

    __tablename__ = "notification_subscriptions"
    __table_args__ = (
        Index("ix_notification_subscriptions_contact_key", "channel", "contact_key"),
        Index(
            "uq_notification_subscriptions_active_contact",
            "channel",
            "contact_key",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "notification_channel"))
    contact: Mapped[str] = mapped_column(String(254))
    contact_key: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="lt")
    # Days before the first day of a shutoff, e.g. "10,1".
    lead_days_csv: Mapped[str] = mapped_column(String(40), default="10,1")
    digest: Mapped[bool] = mapped_column(default=False)
    consent_text: Mapped[str] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(40))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    confirm_secret: Mapped[str] = mapped_column(String(32), default=new_secret)
    unsubscribe_secret: Mapped[str] = mapped_column(String(32), default=new_secret)
    short_link_secret: Mapped[str] = mapped_column(String(32), default=new_secret)
    manage_secret: Mapped[str] = mapped_column(String(32), default=new_secret)
    # "Hot water is back" the day after a shutoff's last day (asked for at sign-up; off by default).
    hot_water_back: Mapped[bool] = mapped_column(default=False)
    # The provider refused the contact for good (no such mailbox or number): nothing more is sent to this
    # subscription; signing up anew (and confirming) clears it.
    undeliverable_at: Mapped[datetime | None]
    undeliverable_reason: Mapped[str | None] = mapped_column(Text)
    # The code sent by SMS (sign-up, or a way into the settings): only its hash is kept; tries are counted
    # in the database, atomically, so they hold across workers.
    code_hash: Mapped[str | None] = mapped_column(String(128))
    code_expires_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(default=0)

    addresses: Mapped[list["SubscriptionAddress"]] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", order_by="SubscriptionAddress.id"
    )

    @property
    def lead_days(self) -> list[int]:
        return sorted({int(x) for x in self.lead_days_csv.split(",") if x.strip()}, reverse=True)

    @lead_days.setter
    def lead_days(self, values: list[int]) -> None:
        self.lead_days_csv = ",".join(str(v) for v in sorted(set(values), reverse=True))

    @property
    def address_codes(self) -> list[str]:
        return [a.address_code for a in self.addresses]


class SubscriptionAddress(db.Model):
    __tablename__ = "notification_subscription_addresses"
    __table_args__ = (UniqueConstraint("subscription_id", "address_code", name="uq_subscription_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("notification_subscriptions.id", ondelete="CASCADE"))
    address_code: Mapped[str] = mapped_column(ForeignKey("addresses.code"), index=True)

    subscription: Mapped[Subscription] = relationship(back_populates="addresses")
    address: Mapped[Address] = relationship()


class OutboxMessage(db.Model):
    """One message to one subscription. The unique key makes planning and sending idempotent.

    `variant` tells apart messages that are legitimately repeated for the same shutoff: a reminder
    carries the first day it announced (a shutoff moved later gets fresh reminders), a "moved" or
    "cancelled" message the ShutoffChange it reports.
    """

    __tablename__ = "notification_outbox"
    __table_args__ = (
        UniqueConstraint(
            "subscription_id", "shutoff_id", "kind", "lead_days", "variant", name="uq_notification_outbox_message"
        ),
        Index("ix_notification_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("notification_subscriptions.id", ondelete="CASCADE"), index=True
    )
    shutoff_id: Mapped[int | None] = mapped_column(ForeignKey("shutoffs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MessageKind] = mapped_column(string_enum(MessageKind, "notification_kind"))
    lead_days: Mapped[int] = mapped_column(default=0)
    variant: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus, "notification_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    lease_until: Mapped[datetime | None]
    provider_id: Mapped[str | None] = mapped_column(String(255), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # When the last attempt ended (sent, failed or to be retried): the day the staff statistics count it on.
    attempted_at: Mapped[datetime | None]
    # The provider's delivery receipt, when it sends one (SMS gateways do).
    delivery_status: Mapped[DeliveryStatus | None] = mapped_column(string_enum(DeliveryStatus, "notification_delivery"))
    delivered_at: Mapped[datetime | None]

    subscription: Mapped[Subscription] = relationship()
    shutoff: Mapped[Shutoff | None] = relationship()

    @property
    def idempotency_key(self) -> str:
        """Stable across retries: the Message-ID / gateway reference a provider can deduplicate on."""
        return f"outbox-{self.id}"
