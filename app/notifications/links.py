"""Absolute links put into messages (no request needed: `flask notify send` runs from cron)."""

from flask import current_app, has_request_context, request

from app.notifications import tokens
from app.notifications.models import Subscription

DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    configured = current_app.config.get("SERVER_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_BASE_URL


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def confirm_token(sub: Subscription) -> str:
    return tokens.make_token(_secret(), tokens.CONFIRM_SALT, sub.id, sub.token_nonce, timed=True)


def unsubscribe_token(sub: Subscription) -> str:
    return tokens.make_token(_secret(), tokens.UNSUBSCRIBE_SALT, sub.id, sub.token_nonce)


def manage_token(sub: Subscription) -> str:
    return tokens.make_token(_secret(), tokens.MANAGE_SALT, sub.id, sub.token_nonce)


def code_page_token(sub: Subscription) -> str:
    return tokens.make_token(_secret(), tokens.CODE_PAGE_SALT, sub.id, sub.token_nonce, timed=True)


def confirm_url(sub: Subscription) -> str:
    return f"{base_url()}/subscribe/confirm/{confirm_token(sub)}"


def unsubscribe_url(sub: Subscription) -> str:
    return f"{base_url()}/unsubscribe/{unsubscribe_token(sub)}"


def manage_url(sub: Subscription) -> str:
    return f"{base_url()}/manage/{manage_token(sub)}"


def short_unsubscribe_url(sub: Subscription) -> str:
    """For SMS, where every character counts: /u/<id>.<nonce> (72 random bits), leading to the same page."""
    return f"{base_url()}/u/{sub.id}.{sub.token_nonce}"
