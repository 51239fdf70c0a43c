"""URLs shared by features: where a link may send a reader back to, and full links for messages and print.

Every link to one of our pages is built from its endpoint (`url_for`), never typed as a path, so renaming a
route cannot break the links in e-mails and SMS already sent or about to be.
"""

from contextlib import AbstractContextManager, nullcontext
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

from app.requests import has_control_characters

# Only where nothing else names the site: a development run without SERVER_BASE_URL, outside a request.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def safe_next_path(target: str | None, default: str = "/") -> str:
    """Only a path on this site; anything with a scheme, host, backslash or control character falls back to default.

    Control characters would split the Location header (CR/LF) or be dropped by the browser, turning
    `/\t/evil.example` into `//evil.example`; they are refused here, once, for every caller.
    """
    if not target or has_control_characters(target):
        return default
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    # Flask's request.full_path leaves a bare "?" when there is no query.
    return target[:-1] if target.endswith("?") else target


def base_url() -> str:
    """This site's address without a trailing slash: SERVER_BASE_URL when set, else the request's host.

    SERVER_BASE_URL (always set in production) wins over the request, so a forged Host header can never
    choose where our links point. Outside a request and without it: the development server's address.
    """
    configured = (current_app.config.get("SERVER_BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.url_root.rstrip("/")
    return DEVELOPMENT_BASE_URL


def absolute_url(endpoint: str, **values) -> str:
    """The full URL of an endpoint, e.g. absolute_url("site.address", code="155000002").

    In a request: SERVER_BASE_URL + the route's path when SERVER_BASE_URL is set (it names any path prefix
    the site is mounted under), else the request's own scheme and host. From the CLI (`flask notify send` in cron): a request context built from
    `base_url()`, so the same url_for rules (and URL defaults) apply as on the site.
    Raises werkzeug.routing.BuildError for an unknown endpoint or missing values.
    """
    configured = (current_app.config.get("SERVER_BASE_URL") or "").rstrip("/")
    if has_request_context():
        if not configured:
            return url_for(endpoint, _external=True, **values)
        path = url_for(endpoint, **values)
        return configured + path.removeprefix(request.script_root)
    with current_app.test_request_context(base_url=base_url()):
        return url_for(endpoint, _external=True, **values)


def links_context() -> AbstractContextManager:
    """Where many links are built outside a request (a send run from cron): one request context from
    `base_url()` for all of them, instead of one per `absolute_url` call. Inside a request: nothing to do."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=base_url())
