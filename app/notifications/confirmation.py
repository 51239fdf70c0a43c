"""Codes sent by SMS: issued when the message is composed, only their hash kept, tries counted atomically."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from app.extensions import db
from app.notifications import tokens
from app.notifications.models import Subscription
from app.timeutil import utcnow


def issue_code(sub: Subscription, kind: tokens.CodeKind = tokens.CodeKind.SIGN_UP) -> str:
    """A fresh 6-digit code for `sub`, valid tokens.CODE_MAX_AGE seconds with tokens.CODE_MAX_ATTEMPTS tries.
    Only its HMAC is stored on `sub` (not committed: the caller commits); an earlier code stops working."""
    code = tokens.new_code()
    sub.code_hash = tokens.hash_code(current_app.config["SECRET_KEY"], kind, sub.id, code)
    sub.code_expires_at = utcnow() + timedelta(seconds=tokens.CODE_MAX_AGE)
    sub.code_attempts = 0
    return code


def take_a_try(subscription_id: int) -> bool:
    """Count one try at the code of a subscription, in the database: True when it was one of the
    tokens.CODE_MAX_ATTEMPTS allowed. One UPDATE … WHERE code_attempts < 5, so concurrent requests on any
    number of workers can never get more tries between them; commits."""
    result = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription_id, Subscription.code_attempts < tokens.CODE_MAX_ATTEMPTS)
        .values(code_attempts=Subscription.code_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return (result.rowcount or 0) == 1
