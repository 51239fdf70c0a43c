"""The SMTP channel against a real aiosmtpd server: login from settings, refusals, MIME that mail readers parse."""

import base64
import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.notifications.channels import OutgoingMessage, TemporaryFailure
from app.notifications.channels.smtp import SMTPChannel
from tests.notifications.helpers import Mailbox, free_port


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"vst", b"slaptas")
    return AuthResult(success=ok)


@pytest.fixture
def auth_server():
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    yield controller, mailbox
    controller.stop()


MESSAGE = OutgoingMessage(
    to="jonas@example.lt",
    subject="Žirmūnų g. 12A: karšto vandens nebus birželio 3–5",
    text="Karšto vandens nebus.",
    html="<p>Karšto vandens <strong>nebus</strong>.</p>",
    idempotency_key="outbox-7",
    headers={"List-Unsubscribe": "<https://example.lt/unsubscribe/x>"},
)


def test_login_from_settings_then_send(auth_server):
    controller, mailbox = auth_server
    with SMTPChannel(
        "127.0.0.1", controller.port, sender="Karštas vanduo <pranesimai@example.lt>", security="none",
        username="vst", password="slaptas", timeout=5,
    ) as channel:  # fmt: skip
        provider_id = channel.send(MESSAGE)
    assert "queued as" in provider_id
    [received] = mailbox.messages
    assert received["Subject"] == MESSAGE.subject
    assert received["From"].addresses[0].display_name == "Karštas vanduo"
    assert received["Message-ID"] == "<outbox-7@example.lt>"
    assert received.get_body(("plain",)).get_content().strip() == "Karšto vandens nebus."
    assert "<strong>nebus</strong>" in received.get_body(("html",)).get_content()
    assert mailbox.envelopes == [("pranesimai@example.lt", ["jonas@example.lt"])]


def test_a_wrong_password_is_a_temporary_failure_and_sends_nothing(auth_server):
    controller, mailbox = auth_server
    channel = SMTPChannel(
        "127.0.0.1", controller.port, sender="a@example.lt", security="none", username="vst", password="x", timeout=5
    )
    with pytest.raises(TemporaryFailure):
        channel.send(MESSAGE)
    channel.close()
    assert mailbox.messages == []


def test_an_unreachable_server_is_a_temporary_failure():
    channel = SMTPChannel("127.0.0.1", free_port(), sender="a@example.lt", security="none", timeout=2)
    with pytest.raises(TemporaryFailure):
        channel.send(MESSAGE)


def test_security_must_be_none_starttls_or_ssl():
    with pytest.raises(ValueError, match="SMTP_SECURITY"):
        SMTPChannel("localhost", 25, sender="a@example.lt", security="tls")


def test_the_mime_is_valid_for_mail_readers():
    raw = SMTPChannel("h", 25, sender="Karštas vanduo <a@example.lt>").build(MESSAGE)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed.is_multipart()
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["List-Unsubscribe"] == "<https://example.lt/unsubscribe/x>"
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))


def test_a_long_subject_is_folded_into_encoded_words_of_whole_characters():
    channel = SMTPChannel("127.0.0.1", 25, sender="pranesimai@example.lt", security="none")
    subject = "Viršuliškių g. 1: karšto vandens išjungimas perkeltas"
    head = channel.build(OutgoingMessage(to="ona@example.lt", subject=subject, text="x", idempotency_key="k"))
    lines = head.split(b"\r\n\r\n")[0].decode("ascii").split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Subject: "))
    folded = [lines[start].removeprefix("Subject: ")]
    folded += [line.removeprefix(" ") for line in lines[start + 1 :] if line.startswith(" ")]
    # RFC 2047 §5: every encoded-word on its own holds whole characters; lines stay under 78.
    words = [base64.b64decode(word.removeprefix("=?utf-8?b?").removesuffix("?=")).decode("utf-8") for word in folded]
    assert "".join(words) == subject
    assert words == ["Viršuliškių g. 1: karšto vandens i", "šjungimas perkeltas"]  # 38 bytes: "š" would cross 39
    assert max(len(line) for line in lines[start : start + len(folded)]) <= 78
