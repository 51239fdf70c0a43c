"""Absolute links put into messages: built from the routes (app.urls.absolute_url), from a request or from
the CLI alike (`flask notify send` runs from cron). Each kind of link carries only its own secret."""

from flask import current_app

from app.notifications.models import Subscription
from app.notifications.tokens import Purpose, make_token
from app.urls import absolute_url

_SECRET_OF = {
    Purpose.CONFIRM: "confirm_secret",
    Purpose.UNSUBSCRIBE: "unsubscribe_secret",
    Purpose.MANAGE: "manage_secret",
}


def row_secret(sub: Subscription, purpose: Purpose) -> str:
    """The subscription's own secret for links of `purpose`."""
    return getattr(sub, _SECRET_OF[purpose])


def token(sub: Subscription, purpose: Purpose) -> str:
    """A signed token for a link of `purpose` to `sub`."""
    return make_token(current_app.config["SECRET_KEY"], purpose, sub.id, row_secret(sub, purpose))


def confirm_url(sub: Subscription) -> str:
    return absolute_url("notifications.confirm", token=token(sub, Purpose.CONFIRM))


def unsubscribe_url(sub: Subscription) -> str:
    return absolute_url("notifications.unsubscribe", token=token(sub, Purpose.UNSUBSCRIBE))


def manage_url(sub: Subscription) -> str:
    """The settings page; valid tokens.MAX_AGE[MANAGE] seconds (90 days) from now."""
    return absolute_url("notifications.manage", token=token(sub, Purpose.MANAGE))


def short_unsubscribe_url(sub: Subscription) -> str:
    """For SMS, where every character counts: /u/<id>.<secret> (96 random bits of its own). It only unsubscribes."""
    return absolute_url("notifications.short_unsubscribe", short=f"{sub.id}.{sub.short_link_secret}")
