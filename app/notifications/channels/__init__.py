"""Delivery channels: SMTP, an SMS HTTP gateway, and the console for development.

A send run opens each channel on its first message and closes it at the end of the run;
`send(message)` returns the provider's id or raises TemporaryFailure (retry later) /
PermanentFailure (record and stop).
"""

import time

from flask import current_app

from app.notifications.channels.base import (
    DeliveryChannel,
    DeliveryError,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from app.notifications.channels.console import ConsoleChannel
from app.notifications.channels.off import SwitchedOffChannel
from app.notifications.channels.sms_http import SMSGatewayChannel
from app.notifications.channels.smtp import SMTPChannel

__all__ = [
    "DeliveryChannel",
    "DeliveryError",
    "OutgoingMessage",
    "PermanentFailure",
    "TemporaryFailure",
    "channel_from_config",
    "email_takes_international_addresses",
]

# Seconds the SMTP server's answer (does it offer SMTPUTF8?) is kept per process.
_SMTPUTF8_CHECK_SECONDS = 600
_smtputf8_checked: dict[tuple, tuple[float, bool]] = {}


def channel_from_config(name: str, config) -> DeliveryChannel:
    """The channel a setting names (smtp, sms_http, console or off), built from `config`; ValueError for others."""
    if name == "smtp":
        return SMTPChannel.from_config(config)
    if name == "sms_http":
        return SMSGatewayChannel.from_config(config)
    if name == "console":
        return ConsoleChannel()
    if name == "off":
        return SwitchedOffChannel()
    raise ValueError(f"unknown notification channel {name!r} (smtp, sms_http, console or off)")


def email_takes_international_addresses() -> bool:
    """Whether the configured e-mail channel can deliver to a local part in Unicode (`jūratė@example.lt`):
    the console always; SMTP when the server offers SMTPUTF8 (asked once per _SMTPUTF8_CHECK_SECONDS, and
    only when such an address is typed)."""
    config = current_app.config
    if config["NOTIFY_CHANNEL_EMAIL"] != "smtp":
        return config["NOTIFY_CHANNEL_EMAIL"] == "console"
    server = (config["SMTP_HOST"], int(config["SMTP_PORT"]), config["SMTP_SECURITY"])
    checked = _smtputf8_checked.get(server)
    if checked is None or time.monotonic() - checked[0] > _SMTPUTF8_CHECK_SECONDS:
        checked = (time.monotonic(), SMTPChannel.from_config(config).offers_smtputf8())
        _smtputf8_checked[server] = checked
    return checked[1]
