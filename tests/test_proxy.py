"""Behind nginx (REVERSE_PROXY=1): the client's address and scheme come from the proxy's headers."""

import pytest

from tests.helpers.html import csrf_token


@pytest.fixture
def app_settings(request) -> dict:
    """One proxy in front, unless a test asks for another number."""
    return {"REVERSE_PROXY": getattr(request, "param", 1)}


def login_attempts(client, forwarded_for: str, count: int) -> list[int]:
    """Failed sign-ins to /admin from one client address, as the proxy reports it; their status codes (a refused sign-in is the form again, 200)."""
    token = csrf_token(client.get("/admin/login"))
    statuses = []
    for attempt in range(count):
        response = client.post(
            "/admin/login",
            data={"csrf_token": token, "email": f"nobody{attempt}@{forwarded_for}.example", "password": "wrong"},
            headers={"X-Forwarded-For": forwarded_for},
        )
        statuses.append(response.status_code)
    return statuses


def test_behind_one_proxy_each_client_is_limited_by_their_own_address(client):
    assert login_attempts(client, "203.0.113.7", 6) == [200, 200, 200, 200, 200, 429]
    assert login_attempts(client, "203.0.113.8", 1) == [200]


@pytest.mark.parametrize("app_settings", [0], indirect=True)
def test_without_the_proxy_setting_a_forwarded_address_is_not_believed(client):
    assert login_attempts(client, "203.0.113.7", 5) == [200, 200, 200, 200, 200]
    assert login_attempts(client, "203.0.113.8", 1) == [429]


def test_hsts_is_sent_when_the_proxy_says_the_request_came_over_https(client):
    over_https = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


@pytest.mark.parametrize("app_settings", [0], indirect=True)
def test_a_forged_scheme_without_the_proxy_setting_gets_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz", headers={"X-Forwarded-Proto": "https"}).headers
