"""Security headers on every kind of response, from the one function that sets them (app/security.py)."""

import pytest
from flask import Response

from tests.helpers.html import text_of

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/lookup?q=Gedimino+pr.+1", "/api/v1/lookup", "/api/v1/nothing-here", "/healthz", "/embed"]
)
def test_every_response_gets_the_headers_every_response_needs(client, path):
    headers = client.get(path).headers
    assert {name: headers.get(name) for name in EVERY_RESPONSE} == EVERY_RESPONSE


@pytest.mark.parametrize("path", ["/api/v1/lookup?q=Gedimino+pr.+1", "/api/v1/lookup", "/api/v1/nothing-here"])
def test_json_may_load_nothing_and_be_framed_by_no_one(client, path):
    response = client.get(path)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/healthz"])
def test_anything_else_gets_the_site_policy_with_a_nonce(client, path):
    csp = client.get(path).headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'self'; script-src 'self' 'nonce-")
    assert csp.endswith("; frame-ancestors 'self'")


def test_every_page_gets_a_fresh_nonce(client):
    first, second = client.get("/"), client.get("/")
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]


@pytest.mark.parametrize("mimetype", ["text/html", "application/json"])
@pytest.mark.parametrize(
    "own",
    [
        {"Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "no-referrer"},
        {"X-Frame-Options": "DENY", "Permissions-Policy": "camera=()"},
    ],
)
def test_a_header_a_view_set_itself_is_kept_and_not_doubled(app, client, mimetype, own):

    @app.get("/own-headers")
    def own_headers():
        return Response("{}", mimetype=mimetype, headers=own)

    headers = client.get("/own-headers").headers
    assert {name: headers.getlist(name) for name in own} == {name: [value] for name, value in own.items()}
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_over_https(client):
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.parametrize("path", ["/admin/login", "/subscribe", "/managers/"])
def test_a_post_without_its_csrf_token_is_refused(client, path):
    assert client.get(path).status_code == 200
    assert client.post(path, data={"email": "ona@example.lt"}).status_code == 400


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("lt", "Formos nepavyko pateikti"), ("en", "The form could not be sent")],
)
def test_a_form_whose_csrf_token_expired_gets_a_page_in_the_readers_language(client, lang, heading):
    """It used to be Werkzeug's English "Bad Request. The CSRF token is missing." on a white page."""
    client.get(f"/managers/?lang={lang}")
    refused = client.post("/managers/", data={"csrf_token": "expired", "addresses": "Žirmūnų g. 4"})
    assert refused.status_code == 400
    assert text_of(refused, "h1") == heading
    assert "CSRF" not in refused.text
