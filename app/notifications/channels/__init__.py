"""Delivery channels: SMTP, an SMS HTTP gateway, and the console for development.

Each channel is opened once per send run (`with channel:`) and `send(message)` returns the provider's id
or raises TemporaryFailure (retry later) / PermanentFailure (record and stop).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutgoingMessage:
    to: str  # an e-mail address or an E.164 phone number
    text: str
    idempotency_key: str  # stable across retries (Message-ID / gateway reference)
    subject: str = ""
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class DeliveryError(Exception):
    """The provider did not take the message."""


class TemporaryFailure(DeliveryError):
    """Worth trying again later (timeouts, 4xx SMTP replies, 5xx from the gateway)."""


class PermanentFailure(DeliveryError):
    """Trying again will not help (refused recipient, 4xx from the gateway)."""


class Channel:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection, if any."""

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError


def channel_from_config(name: str, config) -> Channel:
    """The channel a setting names: smtp, sms_http or console."""
    if name == "smtp":
        from app.notifications.channels.smtp import SMTPChannel

        return SMTPChannel.from_config(config)
    if name == "sms_http":
        from app.notifications.channels.sms_http import SMSGatewayChannel

        return SMSGatewayChannel.from_config(config)
    if name == "console":
        from app.notifications.channels.console import ConsoleChannel

        return ConsoleChannel()
    raise ValueError(f"unknown notification channel {name!r} (smtp, sms_http or console)")
