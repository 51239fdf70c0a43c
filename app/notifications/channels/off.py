"""NOTIFY_CHANNEL_SMS=off: no SMS gateway yet. The forms then take no phone numbers; a message already queued for a
phone waits (a temporary failure each run, so the sender's backoff applies) until a gateway is configured."""

from app.notifications.channels.base import DeliveryChannel, OutgoingMessage, TemporaryFailure


class SwitchedOffChannel(DeliveryChannel):
    def send(self, message: OutgoingMessage) -> str:
        raise TemporaryFailure("this channel is off (NOTIFY_CHANNEL_SMS=off): no SMS gateway is configured")
