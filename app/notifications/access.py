"""Who may open what: signed links and SMS codes → the subscription they name, and asking for a way in.

Each kind of link carries its own secret (tokens.Purpose); a code typed for a subscription counts against
its five tries in the database. A contact asks for the way into its settings (a link by e-mail, a code by
SMS) and gets the same answer whether it is subscribed or not.
"""

import enum
import secrets

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.notifications import links, tokens
from app.notifications.confirmation import take_a_try
from app.notifications.contacts import identity_key
from app.notifications.models import Channel, MessageKind, OutboxMessage, Subscription
from app.timeutil import utcnow


class CodeCheck(enum.StrEnum):
    """The outcome of typing an SMS code."""

    RIGHT = "right"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY_TRIES = "too_many_tries"


def subscription_from_token(token: str, purpose: tokens.Purpose) -> Subscription:
    """The subscription a signed link of `purpose` names. tokens.ExpiredToken when it is older than
    tokens.MAX_AGE[purpose], tokens.RevokedToken when its secret has changed since, tokens.InvalidToken for
    anything else (forged, mangled, for a subscription that is gone)."""
    keys = (*current_app.config["OLD_SECRET_KEYS"], current_app.config["SECRET_KEY"])
    sub_id, secret = tokens.read_token(keys, purpose, token)
    sub = db.session.get(Subscription, sub_id)
    if sub is None:
        raise tokens.InvalidToken("no such subscription")
    if not tokens.secrets_match(links.row_secret(sub, purpose), secret):
        raise tokens.RevokedToken("the link's secret has changed")
    return sub


def subscription_from_short_link(short: str) -> Subscription:
    """The subscription behind an SMS link /u/<id>.<secret>; tokens.RevokedToken when the secret has changed
    since (it was used), tokens.InvalidToken for anything else."""
    parsed = tokens.parse_short_link(short)
    sub = db.session.get(Subscription, parsed[0]) if parsed else None
    if parsed is None or sub is None:
        raise tokens.InvalidToken("no such subscription")
    if not tokens.secrets_match(sub.short_link_secret, parsed[1]):
        raise tokens.RevokedToken("the link's secret has changed")
    return sub


def check_code(sub: Subscription, code: str, kind: tokens.CodeKind) -> CodeCheck:
    """An SMS code typed for `sub`: 6 digits, tokens.CODE_MAX_AGE seconds, tokens.CODE_MAX_ATTEMPTS tries
    counted in the database (confirmation.take_a_try). A right code is used up; commits. Confirming a
    sign-up is left to the caller (`confirm`)."""
    if sub.code_expires_at is None or sub.code_expires_at < utcnow():
        return CodeCheck.EXPIRED
    if not take_a_try(sub.id):
        return CodeCheck.TOO_MANY_TRIES
    db.session.refresh(sub)
    if tokens.code_matches(current_app.config["SECRET_KEY"], kind, sub.id, code, sub.code_hash):
        sub.code_hash = None
        db.session.commit()
        return CodeCheck.RIGHT
    if sub.code_attempts >= tokens.CODE_MAX_ATTEMPTS:
        return CodeCheck.TOO_MANY_TRIES
    return CodeCheck.WRONG


def subscription_of_contact(channel: Channel, contact_key: str) -> Subscription | None:
    """The contact's confirmed subscription the settings open: the active one, else the latest one it
    unsubscribed (so it can still delete its data). None when the contact has none."""
    return db.session.scalars(
        select(Subscription)
        .where(
            Subscription.channel == channel,
            Subscription.contact_key == contact_key,
            Subscription.confirmed_at.is_not(None),
        )
        .order_by(Subscription.unsubscribed_at.is_not(None), Subscription.confirmed_at.desc())
    ).first()


def queue_manage_access(channel: Channel, contact: str) -> OutboxMessage | None:
    """A contact asks for a way into its settings: queues a manage link (e-mail) or code (SMS) to its
    subscription and commits. Returns the row, or None when the contact has no subscription (the caller
    answers the same either way). contacts.InvalidContact when `contact` is not one."""
    sub = subscription_of_contact(channel, identity_key(channel, contact))
    if sub is None:
        return None
    row = OutboxMessage(subscription=sub, kind=MessageKind.MANAGE, variant=secrets.token_hex(8))
    db.session.add(row)
    db.session.commit()
    return row


def pending_sign_up(ids: list, channel: Channel) -> Subscription | None:
    """Among the subscriptions `ids` (as a browser's session remembers them: anything), the one of `channel`
    still waiting for confirmation."""
    wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)][:2]
    if not wanted:
        return None
    return db.session.scalars(
        select(Subscription).where(
            Subscription.id.in_(wanted), Subscription.channel == channel, Subscription.confirmed_at.is_(None)
        )
    ).first()


def queue_code_again(sub: Subscription) -> OutboxMessage | None:
    """Send a pending SMS sign-up a new code (the old one stops working); commits. None when `sub` is not a
    pending SMS sign-up."""
    if sub.channel != Channel.SMS or sub.confirmed_at is not None:
        return None
    row = OutboxMessage(subscription=sub, kind=MessageKind.CONFIRMATION, variant=f"again-{secrets.token_hex(6)}")
    db.session.add(row)
    db.session.commit()
    return row
