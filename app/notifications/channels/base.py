"""What every delivery channel shares: the outgoing message, the two kinds of failure and the base class."""

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
    """Trying again will not help (refused recipient, 4xx from the gateway).

    `contact_refused`: the provider refused the recipient itself (no such mailbox, SMTP 5xx to RCPT TO), so
    nothing more should go to that contact until it signs up anew.
    """

    def __init__(self, message: str, *, contact_refused: bool = False):
        super().__init__(message)
        self.contact_refused = contact_refused


class DeliveryChannel:
    """A way to deliver messages (SMTP, an SMS gateway, the console); may hold a connection until `close()`."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection, if any."""

    def send(self, message: OutgoingMessage) -> str:
        """Deliver one message; returns the provider's id. TemporaryFailure / PermanentFailure otherwise."""
        raise NotImplementedError
