"""E-mail through an SMTP server (STARTTLS or SSL, login from settings, timeouts).

Internationalised addresses: a domain in Unicode is sent in its ASCII (IDNA) form; a local part in Unicode
(`jūratė@example.lt`) needs the server's SMTPUTF8 extension (RFC 6531), which is used when the server offers
it; when it does not, the message fails for good with the reason (the sign-up form asks
`offers_smtputf8()` first and refuses such addresses while the server cannot take them).
"""

import base64
import hashlib
import smtplib
import ssl
from email.utils import formataddr, formatdate, parseaddr

from email_validator import EmailNotValidError, validate_email

from app.notifications.channels.base import DeliveryChannel, OutgoingMessage, PermanentFailure, TemporaryFailure


class SMTPChannel(DeliveryChannel):
    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        security: str = "starttls",
        username: str = "",
        password: str = "",
        timeout: float = 15,
    ):
        if security not in ("none", "starttls", "ssl"):
            raise ValueError("SMTP_SECURITY must be none, starttls or ssl")
        self.host, self.port, self.sender, self.security = host, port, sender, security
        self.username, self.password, self.timeout = username, password, timeout
        self._smtp: smtplib.SMTP | None = None
        name, address = parseaddr(sender)
        self._from_header = formataddr((name, address), charset="utf-8")
        self._envelope_from = address
        self._domain = address.rpartition("@")[2] or "localhost"

    @classmethod
    def from_config(cls, config) -> "SMTPChannel":
        return cls(
            config["SMTP_HOST"],
            int(config["SMTP_PORT"]),
            sender=config["MAIL_FROM"],
            security=config["SMTP_SECURITY"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            timeout=float(config["SMTP_TIMEOUT"]),
        )

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                smtp.starttls(context=context)
        smtp.ehlo_or_helo_if_needed()
        if self.username:
            smtp.login(self.username, self.password)
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def offers_smtputf8(self) -> bool:
        """Whether the server takes internationalised addresses (its EHLO lists SMTPUTF8); False when it cannot
        be reached."""
        try:
            smtp = self._connect()
        except (TimeoutError, smtplib.SMTPException, OSError):
            return False
        try:
            return smtp.has_extn("smtputf8")
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def build(self, message: OutgoingMessage, *, utf8: bool = False) -> bytes:
        """The message as MIME bytes (CRLF). Built by hand: the email package takes milliseconds per message.

        `utf8`: the header fields may carry UTF-8 as is (RFC 6532, sent with SMTPUTF8) — the To address
        needs it when its local part is not ASCII. ValueError when a header value holds a line break."""
        if any("\r" in value or "\n" in value for value in (message.to, message.subject, *message.headers.values())):
            raise ValueError("a header value holds a line break")  # never a header smuggled in
        # The same Message-ID on every retry: a provider or mailbox that deduplicates sees one message.
        message_id = f"<{message.idempotency_key}@{self._domain}>"
        headers = [
            ("From", self._from_header),
            ("To", message.to if utf8 else envelope_address(message.to)),
            ("Subject", _encoded(message.subject)),
            ("Date", formatdate(localtime=False)),
            ("Message-ID", message_id),
            ("MIME-Version", "1.0"),
            *((key, _encoded(value)) for key, value in message.headers.items()),
        ]
        text_part = _base64_part("text/plain", message.text)
        if message.html:
            boundary = "==_kv_" + hashlib.sha1(message_id.encode()).hexdigest()[:24]  # noqa: S324 -- a boundary, not security
            headers.append(("Content-Type", f'multipart/alternative; boundary="{boundary}"'))
            body = (
                f"--{boundary}\r\n".encode()
                + text_part
                + f"\r\n--{boundary}\r\n".encode()
                + _base64_part("text/html", message.html)
                + f"\r\n--{boundary}--\r\n".encode()
            )
            return _head(headers, utf8) + b"\r\n" + body
        return _head(headers, utf8) + text_part

    def send(self, message: OutgoingMessage) -> str:
        to = envelope_address(message.to)
        needs_utf8 = not to.isascii()
        mime = self.build(message, utf8=needs_utf8)
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            if needs_utf8 and not self._smtp.has_extn("smtputf8"):
                raise PermanentFailure("the SMTP server does not take internationalised addresses (no SMTPUTF8)")
            options = ["SMTPUTF8", "BODY=8BITMIME"] if needs_utf8 else []
            return self._transaction(self._envelope_from, to, mime, message.idempotency_key, options)
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            code = next(iter(exc.recipients.values()))[0]
            if 500 <= code < 600:
                raise PermanentFailure(f"recipient refused: {exc}", contact_refused=True) from exc
            raise TemporaryFailure(f"recipient refused: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            self._reset()
            if 500 <= exc.smtp_code < 600 and exc.smtp_code not in (530, 535):
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise TemporaryFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(f"SMTP: {exc!r}") from exc

    def _transaction(self, envelope_from: str, to: str, mime: bytes, key: str, options: list[str]) -> str:
        smtp = self._smtp
        assert smtp is not None
        # mail/rcpt/data by hand, to keep the server's reply to DATA ("250 2.0.0 Ok: queued as …") as the id.
        code, reply = smtp.mail(envelope_from, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
        code, reply = smtp.rcpt(to)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
        code, reply = smtp.data(mime)
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        return reply.decode("utf-8", "replace")[:255] or key

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def envelope_address(address: str) -> str:
    """The address as the SMTP envelope carries it: the domain in its ASCII (IDNA) form, so only a local part
    in Unicode needs SMTPUTF8 (`ona@ąžuolas.lt` → `ona@xn--uolas-2wa16f.lt`). Returned as given when it does
    not parse (the server then refuses it, and that is recorded)."""
    if address.isascii():
        return address
    try:
        result = validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return address
    return result.ascii_email or f"{result.local_part}@{result.ascii_domain}"


def _head(headers: list[tuple[str, str]], utf8: bool) -> bytes:
    text = "".join(f"{key}: {value}\r\n" for key, value in headers)
    return text.encode("utf-8" if utf8 else "ascii")


def _encoded(value: str) -> str:
    """A header value: as is when ASCII, RFC 2047 base64 encoded-words otherwise (whole characters per word)."""
    if value.isascii():
        return value
    data = value.encode("utf-8")
    words, start = [], 0
    while start < len(data):
        end = min(start + 39, len(data))  # 39 bytes → 52 base64 characters: lines stay under 78
        while end < len(data) and data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        words.append(data[start:end])
        start = end
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def _base64_part(content_type: str, text: str) -> bytes:
    body = base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")
    return f"Content-Type: {content_type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode() + body
