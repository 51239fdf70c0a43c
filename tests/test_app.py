"""The application shell: home page, error pages, headers, settings."""

import pytest

from app import create_app
from tests.helpers.html import soup


def test_home_page_shows_the_site_name_and_an_address_box(client):
    response = client.get("/")
    assert response.status_code == 200
    page = soup(response)
    assert "Karštas vanduo" in page.select_one(".site-header__name").text
    box = page.select_one("form[method=get] input[name=q]")
    assert box is not None
    assert page.select_one(f"label[for={box['id']}]").text.strip() == "Jūsų adresas"
    assert page.html["lang"] == "lt"


def test_unknown_page_is_a_lithuanian_404_without_a_stack_trace(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Puslapis nerastas" in response.text
    assert "Traceback" not in response.text


def test_every_page_gets_security_headers_with_a_fresh_nonce(client):
    first, second = client.get("/"), client.get("/")
    csp = first.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert "nonce-" in csp
    assert csp != second.headers["Content-Security-Policy"]
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app("production", SECRET_KEY="")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_remembers_the_choice(client):
    response = client.get("/language/en", query_string={"next": "/?q=x"})
    assert response.headers["Location"] == "/?q=x"
    page = soup(client.get("/"))
    assert page.html["lang"] == "en"


def test_every_page_leads_managers_and_site_owners_to_their_services(client):
    page = soup(client.get("/"))
    links = {a["href"] for a in page.select("footer a")}
    assert {"/managers/", "/embed/help"} <= links
