"""NOTIFY_CHANNEL_SMS=off: no SMS gateway yet. The forms then take no phone numbers; a message already queued for a
phone waits (a temporary failure each run, so the sender's backoff applies) until a gateway is configured."""

from flask import current_app

from app.notifications.channels.base import DeliveryChannel, OutgoingMessage, TemporaryFailure


def sms_offered() -> bool:
    """Whether the site takes and promises SMS: NOTIFY_CHANNEL_SMS is not "off" (no SMS gateway yet). The forms
    ask for a phone number, and the pages mention SMS, only then (a template global, app.templating)."""
    return current_app.config["NOTIFY_CHANNEL_SMS"] != "off"


class SwitchedOffChannel(DeliveryChannel):
    def send(self, message: OutgoingMessage) -> str:
        raise TemporaryFailure("this channel is off (NOTIFY_CHANNEL_SMS=off): no SMS gateway is configured")
