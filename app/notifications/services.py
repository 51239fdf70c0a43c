"""Sign-up, confirmation, preferences, unsubscribe and deletion: what the views and other features call."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.addresses.lookup import lookup
from app.addresses.matcher import AddressRecord
from app.addresses.models import Address
from app.extensions import db
from app.notifications.contacts import identity_key, normalise_phone, validated_email
from app.notifications.models import (
    DEFAULT_LEAD_DAYS,
    LEAD_DAY_CHOICES,
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
    new_secret,
)
from app.shutoffs.models import Shutoff, ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow

UNCONFIRMED_KEPT_DAYS = 7


def _known_codes(address_codes: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(c.strip() for c in address_codes if c and c.strip()))
    if not wanted:
        return []
    found = set(db.session.scalars(select(Address.code).where(Address.code.in_(wanted))))
    return [c for c in wanted if c in found]


def building_labels(address_codes: list[str]) -> dict[str, str]:
    """Register code → label ("Žirmūnų g. 12A") of the codes that name a building, in the order given."""
    wanted = list(dict.fromkeys(c.strip() for c in address_codes if c and c.strip()))
    if not wanted:
        return {}
    found = {
        a.code: a.label
        for a in db.session.scalars(
            select(Address).where(Address.code.in_(wanted)).options(selectinload(Address.street))
        )
    }
    return {code: found[code] for code in wanted if code in found}


def find_building(text: str) -> AddressRecord | None:
    """The one building an address typed by a resident names (the matcher's confident answer), else None."""
    result = lookup(text)
    return result.address if result.status == "found" else None


def _clean_lead_days(lead_days: list[int] | None) -> list[int]:
    days = sorted({int(d) for d in (lead_days or []) if int(d) in LEAD_DAY_CHOICES}, reverse=True)
    return days or list(DEFAULT_LEAD_DAYS)


def _language(language: str) -> str:
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def start_subscriptions(
    *,
    email: str | None,
    phone: str | None,
    address_codes: list[str],
    language: str,
    lead_days: list[int],
    consent_text: str,
    consent_version: str,
    digest: bool = False,
    hot_water_back: bool = False,
) -> list[OutboxMessage]:
    """A pending subscription per contact given (e-mail and/or phone as typed), each with its confirmation
    message (a link or a code) queued in the outbox; commits.

    Returns the confirmation rows, e-mail first (`row.subscription` is the new subscription): the caller
    sends them at once (`outbox.send_now`) or leaves them to `flask notify send`. Unknown address codes are
    dropped; lead days outside LEAD_DAY_CHOICES are dropped (none left: DEFAULT_LEAD_DAYS); an unknown
    language becomes the default one. Known contacts get a new pending subscription too (the answer never
    tells whether a contact was known); confirming merges it into the contact's existing subscription.

    Raises ValueError when no address code is known or neither contact is given, and
    contacts.InvalidContact when a contact is not an e-mail address / a mobile number.
    """
    codes = _known_codes(address_codes)
    if not codes:
        raise ValueError("no known address codes")
    contacts = []
    if email:
        contacts.append((Channel.EMAIL, validated_email(email)))
    if phone:
        contacts.append((Channel.SMS, normalise_phone(phone)))
    if not contacts:
        raise ValueError("an e-mail address or a phone number is needed")
    now = utcnow()
    created = []
    for channel, contact in contacts:
        sub = Subscription(
            channel=channel,
            contact=contact,
            contact_key=identity_key(channel, contact),
            language=_language(language),
            digest=digest,
            hot_water_back=hot_water_back,
            consent_text=consent_text,
            consent_version=consent_version,
            consented_at=now,
            created_at=now,
        )
        sub.lead_days = _clean_lead_days(lead_days)
        sub.addresses = [SubscriptionAddress(address_code=code) for code in codes]
        created.append(OutboxMessage(subscription=sub, kind=MessageKind.CONFIRMATION, variant=""))
    db.session.add_all(created)
    db.session.commit()
    return created


def _active_subscription(sub: Subscription) -> Subscription | None:
    """The other confirmed, not unsubscribed subscription of the same contact identity, if any."""
    return db.session.scalars(
        select(Subscription).where(
            Subscription.channel == sub.channel,
            Subscription.contact_key == sub.contact_key,
            Subscription.id != sub.id,
            Subscription.confirmed_at.is_not(None),
            Subscription.unsubscribed_at.is_(None),
        )
    ).first()


def _merge_into(existing: Subscription, sub: Subscription) -> None:
    """Fold a newly confirmed sign-up into the contact's subscription: the union of buildings, the newer
    lead times, language and "hot water is back" choice, a digest if either was, the earliest consent (its
    wording, version and time). Signing up anew makes an undeliverable contact deliverable again."""
    have = set(existing.address_codes)
    existing.addresses.extend(SubscriptionAddress(address_code=c) for c in sub.address_codes if c not in have)
    existing.lead_days = sub.lead_days
    existing.language = sub.language
    existing.hot_water_back = sub.hot_water_back
    existing.digest = existing.digest or sub.digest
    existing.undeliverable_at = existing.undeliverable_reason = None
    if sub.consented_at < existing.consented_at:
        existing.consent_text, existing.consent_version, existing.consented_at = (
            sub.consent_text,
            sub.consent_version,
            sub.consented_at,
        )
    _delete_subscriptions([sub.id])


def confirm(sub: Subscription) -> Subscription:
    """Mark a pending sign-up confirmed and return the contact's subscription; commits.

    A contact identity (contacts.identity_key: `Jonas@example.lt` is `jonas@example.lt`) has one active
    subscription: when it already has one, the sign-up is merged into it (see `_merge_into`) and deleted,
    and that subscription is returned. Two confirmations of the same contact at once end the same way (the
    unique index on the active contact refuses the second; it merges instead). The confirmation link and
    code are used up. ValueError for a subscription that is already confirmed.
    """
    if sub.confirmed_at is not None:
        raise ValueError("already confirmed")
    existing = _active_subscription(sub)
    if existing is None:
        sub.confirmed_at = utcnow()
        sub.code_hash = None
        sub.confirm_secret = new_secret()
        try:
            db.session.commit()
            return sub
        except IntegrityError:  # another sign-up of this contact was confirmed since we looked
            db.session.rollback()
            existing = _active_subscription(sub)
            if existing is None:
                raise
    _merge_into(existing, sub)
    db.session.commit()
    return existing


def unsubscribe(sub: Subscription) -> None:
    """No more messages; what is waiting in the outbox is dropped. The unsubscribe links used up (e-mail and
    SMS) get new secrets, so a copy of one no longer opens anything; commits."""
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = utcnow()
    sub.unsubscribe_secret = new_secret()
    sub.short_link_secret = new_secret()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.subscription_id == sub.id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, last_error="unsubscribed")
    )
    db.session.commit()


def update_preferences(
    sub: Subscription, *, address_codes: list[str], lead_days: list[int], language: str, hot_water_back: bool
) -> None:
    """Replace the buildings, lead times (days before a shutoff), message language and the "hot water is
    back" choice of a subscription; commits. Buildings kept keep their rows; unknown codes and lead days
    outside LEAD_DAY_CHOICES are dropped (none left: DEFAULT_LEAD_DAYS); an unknown language becomes the
    default one.

    Raises ValueError when none of `address_codes` names a building (nothing is changed then).
    """
    codes = _known_codes(address_codes)
    if not codes:
        raise ValueError("no known address codes")
    keep = {a.address_code: a for a in sub.addresses}
    sub.addresses = [keep.get(c) or SubscriptionAddress(address_code=c) for c in codes]
    sub.lead_days = _clean_lead_days(lead_days)
    sub.language = _language(language)
    sub.hot_water_back = hot_water_back
    db.session.commit()


def delete_subscription(sub: Subscription) -> int:
    """ "Delete all my data" from a manage link: the subscription it names (its buildings, consent and
    messages) and the contact's sign-ups never confirmed (however the contact was spelled), nothing else.
    Returns how many subscriptions went; commits."""
    ids = [
        sub.id,
        *list(
            db.session.scalars(
                select(Subscription.id).where(
                    Subscription.channel == sub.channel,
                    Subscription.contact_key == sub.contact_key,
                    Subscription.confirmed_at.is_(None),
                    Subscription.id != sub.id,
                )
            )
        ),
    ]
    _delete_subscriptions(ids)
    db.session.commit()
    return len(ids)


def coming_shutoffs(sub: Subscription) -> list[tuple[str, Shutoff]]:
    """(building label, shutoff) for every shutoff not cancelled and not over at the buildings `sub` follows,
    by first day: what an SMS digest could not list."""
    today = today_in_vilnius()
    rows = db.session.scalars(
        select(Shutoff)
        .where(
            Shutoff.address_code.in_(sub.address_codes),
            Shutoff.status != ShutoffStatus.CANCELLED,
            Shutoff.last_day >= today,
        )
        .options(selectinload(Shutoff.address).selectinload(Address.street))
        .order_by(Shutoff.first_day, Shutoff.id)
    )
    return [(shutoff.address.label, shutoff) for shutoff in rows]


def _delete_subscriptions(ids: list[int]) -> None:
    # Explicit child deletes: SQLite does not enforce ON DELETE CASCADE unless asked to per connection.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.subscription_id.in_(ids)))
    db.session.execute(delete(SubscriptionAddress).where(SubscriptionAddress.subscription_id.in_(ids)))
    db.session.execute(delete(Subscription).where(Subscription.id.in_(ids)))
    db.session.expire_all()


def purge_unconfirmed(days: int = UNCONFIRMED_KEPT_DAYS) -> int:
    """Delete sign-ups never confirmed within `days` days."""
    cutoff = utcnow() - timedelta(days=days)
    ids = list(
        db.session.scalars(
            select(Subscription.id).where(Subscription.confirmed_at.is_(None), Subscription.created_at < cutoff)
        )
    )
    if ids:
        _delete_subscriptions(ids)
    db.session.commit()
    return len(ids)
