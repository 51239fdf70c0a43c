"""Delivery channels: SMTP, an SMS HTTP gateway, and the console for development.

A send run opens each channel on its first message and closes it at the end of the run;
`send(message)` returns the provider's id or raises TemporaryFailure (retry later) /
PermanentFailure (record and stop).
"""

from app.notifications.channels.base import (
    DeliveryChannel,
    DeliveryError,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from app.notifications.channels.console import ConsoleChannel
from app.notifications.channels.sms_http import SMSGatewayChannel
from app.notifications.channels.smtp import SMTPChannel

__all__ = [
    "DeliveryChannel",
    "DeliveryError",
    "OutgoingMessage",
    "PermanentFailure",
    "TemporaryFailure",
    "channel_from_config",
]


def channel_from_config(name: str, config) -> DeliveryChannel:
    """The channel a setting names (smtp, sms_http or console), built from `config`; ValueError for others."""
    if name == "smtp":
        return SMTPChannel.from_config(config)
    if name == "sms_http":
        return SMSGatewayChannel.from_config(config)
    if name == "console":
        return ConsoleChannel()
    raise ValueError(f"unknown notification channel {name!r} (smtp, sms_http or console)")
