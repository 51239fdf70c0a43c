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


def set_security_headers(response: Response) -> Response:
    """Add the site's security headers; a CSP a view set itself (the widget) is kept."""
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = default_csp(csp_nonce())
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
