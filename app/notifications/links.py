"""Absolute links put into messages: built from the routes (app.urls.absolute_url), from a request or from
the CLI alike (`flask notify send` runs from cron)."""

from flask import current_app

from app.notifications import tokens
from app.notifications.models import Subscription
from app.urls import absolute_url


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
    return absolute_url("notifications.confirm", token=confirm_token(sub))


def unsubscribe_url(sub: Subscription) -> str:
    return absolute_url("notifications.unsubscribe", token=unsubscribe_token(sub))


def manage_url(sub: Subscription) -> str:
    return absolute_url("notifications.manage", token=manage_token(sub))


def short_unsubscribe_url(sub: Subscription) -> str:
    """For SMS, where every character counts: /u/<id>.<nonce> (72 random bits), leading to the same page."""
    return absolute_url("notifications.short_unsubscribe", short=f"{sub.id}.{sub.token_nonce}")
