"""Every security header, set in one place."""

import secrets

from flask import Flask, Response, request


def csp_nonce() -> str:
    """A per-request nonce for inline scripts and styles that templates need."""
    # Kept on the request, not on g: an app context can outlive one request.
    if "karstas.csp_nonce" not in request.environ:
        request.environ["karstas.csp_nonce"] = secrets.token_urlsafe(16)
    return request.environ["karstas.csp_nonce"]


def default_csp(nonce: str, frame_ancestors: str = "'self'") -> str:
    """The site's CSP; only who may frame the page differs between pages (the widget lists chc.lt)."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


# Headers every response gets (unless a view set its own value), precomputed once.
EVERY_RESPONSE = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# JSON is data, never a page: it loads nothing and is framed by no one (browsers apply a CSP only to the
# document it arrives with, so this does not limit the pages that fetch the JSON).
JSON_POLICY = (
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
)


def set_security_headers(response: Response) -> Response:
    """Add the site's security headers; a CSP a view set itself (the widget) is kept.

    Pages get the CSP with this request's nonce and may be framed by the site itself; JSON gets the
    constant JSON_POLICY. A header a view already set is never replaced.
    """
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    added = [header for header in EVERY_RESPONSE if header[0].lower() not in present]
    if "content-security-policy" not in present:
        if response.mimetype == "application/json":
            added.extend(header for header in JSON_POLICY if header[0].lower() not in present)
        else:
            added.append(("Content-Security-Policy", default_csp(csp_nonce())))
            if "x-frame-options" not in present:
                added.append(("X-Frame-Options", "SAMEORIGIN"))
    if request.is_secure and "strict-transport-security" not in present:
        added.append(HSTS)
    headers.extend(added)
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
