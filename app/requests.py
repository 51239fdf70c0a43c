"""What the app accepts from the wire before any view sees it.

NUL characters mean nothing in an address, a name or an e-mail, and PostgreSQL refuses them in text
columns (a 500 where SQLite would have stored them). They are dropped from query strings and form fields,
and a URL path segment containing one matches no route (a 404).

The session cookie is read only when the request brought cookies.
"""

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import BaseConverter
from werkzeug.utils import cached_property


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


def init_requests(app: Flask) -> None:
    app.request_class = CleanRequest
    app.session_interface = SessionCookie()
    app.url_map.converters["default"] = SegmentConverter
    app.url_map.converters["string"] = SegmentConverter
