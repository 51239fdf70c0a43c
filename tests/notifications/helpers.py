"""Signing up as a resident does, reading links in messages, what is stored, and a mailbox for aiosmtpd."""

import email
import email.policy
import re
import socket
from datetime import date, datetime

from sqlalchemy import select

from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffChange, ShutoffStatus
from tests.helpers.html import csrf_token


def sign_up(client, *, address_codes: list[str], email: str = "", phone: str = "", **extra):
    """Open the form for the addresses and submit it as a resident would."""
    page = client.get("/subscribe", query_string=[("address", c) for c in address_codes])
    form = {
        "csrf_token": csrf_token(page),
        "address_codes": address_codes,
        "email": email,
        "phone": phone,
        "lead_days": ["10", "1"],
        "language": "lt",
        "consent": "y",
    }
    form.update(extra)
    return client.post("/subscribe", data={k: v for k, v in form.items() if v is not None})


def link_in(text: str, path: str) -> str:
    """The first absolute link to `path` in a message."""
    match = re.search(rf"https?://[^\s<>\"]+{re.escape(path)}[^\s<>\"]+", text)
    assert match, f"no {path} link in: {text}"
    return match.group(0)


def local(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    return re.sub(r"^https?://[^/]+", "", url)


def stored(model, *where) -> list:
    """The rows of `model` in the database that match `where`, in id order."""
    return list(db.session.scalars(select(model).where(*where).order_by(model.id)))


def record_change(
    shutoff: Shutoff,
    status: ShutoffStatus,
    changed_at: datetime,
    *,
    first: date | None = None,
    last: date | None = None,
) -> ShutoffChange:
    """Change a published shutoff as a schedule import does: its status (and days), with the history row."""
    previous = (shutoff.first_day, shutoff.last_day)
    shutoff.status = status
    shutoff.first_day, shutoff.last_day = first or shutoff.first_day, last or shutoff.last_day
    change = ShutoffChange(
        shutoff=shutoff,
        status=status,
        previous_first_day=previous[0],
        previous_last_day=previous[1],
        first_day=shutoff.first_day,
        last_day=shutoff.last_day,
        changed_at=changed_at,
    )
    db.session.add(change)
    db.session.commit()
    return change


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What the SMTP server received, parsed; `refuse` holds recipients it answers 550 for."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]
