"""The SMS double opt-in code: issued when the confirmation message is composed, only its hash kept."""

from datetime import timedelta

from flask import current_app

from app.notifications import tokens
from app.notifications.models import Subscription
from app.timeutil import utcnow


def issue_code(sub: Subscription) -> str:
    """A fresh 6-digit code for the confirmation SMS, valid tokens.CODE_MAX_AGE seconds with
    tokens.CODE_MAX_ATTEMPTS tries. Only its HMAC is stored on `sub` (not committed: the caller commits)."""
    code = tokens.new_code()
    sub.code_hash = tokens.hash_code(current_app.config["SECRET_KEY"], sub.id, code)
    sub.code_expires_at = utcnow() + timedelta(seconds=tokens.CODE_MAX_AGE)
    sub.code_attempts = 0
    return code
