"""What the app accepts from the wire before any view sees it.

NUL characters mean nothing in an address, a name or an e-mail, and PostgreSQL refuses them in text
columns (a 500 where SQLite would have stored them). They are dropped from query strings and form fields,
and a URL path segment containing one matches no route (a 404).

Integers in URLs (`<int:…>`) are ASCII digits within the database's INTEGER range: `/admin/uploads/²`,
`/admin/uploads/٣` and `/admin/uploads/9223372036854775808` match no row and give a 404, never a
database error (PostgreSQL raises on 2**63, SQLite on 2**64) or another row (`int("٣")` is 3).

Control characters (C0, DEL, C1, the Unicode line and paragraph separators) never go into a header, a
redirect or a stored name: `has_control_characters` is the one test for them. An uploaded file's name is
cut to its printable base name of at most 255 characters before any view sees it (PostgreSQL refuses a
NUL in it, and a longer one in the VARCHAR(255) columns that keep it).

The session cookie is read only when the request brought cookies.
"""

import re

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import BaseConverter, IntegerConverter, Map
from werkzeug.utils import cached_property

# PostgreSQL's INTEGER, the type of every id column (SQLite's is wider): no row has a larger id.
DATABASE_INTEGER_MAX = 2**31 - 1
# The columns that keep an uploaded file's name are VARCHAR(255).
MAX_FILENAME_LENGTH = 255
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str) -> bool:
    """Whether text holds a character that could end a header line or hide in a name (CR, LF, NUL, tab…)."""
    return CONTROL_CHARACTERS.search(text) is not None


def clean_filename(name: str | None) -> str:
    """An uploaded file's name as kept and shown: the base name (after the last / or \\), printable characters
    only, at most MAX_FILENAME_LENGTH with its extension kept; '' when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(ch for ch in base if ch.isprintable())
    if len(printable) <= MAX_FILENAME_LENGTH:
        return printable
    stem, dot, extension = printable.rpartition(".")
    if not dot or len(extension) > 10:
        return printable[:MAX_FILENAME_LENGTH]
    return f"{stem[: MAX_FILENAME_LENGTH - len(extension) - 1]}.{extension}"


def database_integer(text: str | None) -> int | None:
    """A whole number typed or posted as ASCII digits 0-9 (spaces around allowed) within 0…DATABASE_INTEGER_MAX;
    None for anything else ("²", "٣", "+3", "3_000", "-1", an overlong number)."""
    digits = (text or "").strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(DATABASE_INTEGER_MAX)):
        return None
    number = int(digits)
    return number if number <= DATABASE_INTEGER_MAX else None


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
        return values
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in values.items(multi=True)
    )


class CleanRequest(Request):
    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])
        for upload in self.__dict__["files"].values():
            upload.filename = clean_filename(upload.filename)


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed-cookie session; a request without cookies gets an empty session straight away.

    Flask builds the cookie's signer (an itsdangerous serializer, about 20 µs) and parses the Cookie
    header (every header is scanned for it) before it finds there is no session; API calls, health probes
    and first visits bring no cookies at all. With any cookie, Flask reads the session as it always does.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and "HTTP_COOKIE" not in request.environ:
            return self.session_class()
        return super().open_session(app, request)


class SegmentConverter(BaseConverter):
    """The default `<name>` converter, minus NUL."""

    regex = "[^/\x00]+"


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:name>`: ASCII digits 0-9 only, at most DATABASE_INTEGER_MAX unless the rule names another max.

    Werkzeug's own converter matches `\\d`, which takes any Unicode decimal digit (`٣`, `߃`).
    """

    regex = "[0-9]+"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DATABASE_INTEGER_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_requests(app: Flask) -> None:
    app.request_class = CleanRequest
    app.session_interface = SessionCookie()
    app.url_map.converters["default"] = SegmentConverter
    app.url_map.converters["string"] = SegmentConverter
    app.url_map.converters["int"] = DatabaseIntegerConverter
