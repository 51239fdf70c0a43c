"""The application shell: home page, error pages, headers, settings."""

import hashlib
import os
import re
from pathlib import Path

import pytest

from app import create_app
from app.settings_check import SettingsError
from app.static_files import static_version
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


PRODUCTION = {
    "SECRET_KEY": "k" * 64,
    "SERVER_BASE_URL": "https://karstasvanduo.lt",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "SMS_GATEWAY_URL": "https://sms.example.lt/send",
}


def test_a_server_without_app_env_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    with pytest.raises(SettingsError, match=r"^SECRET_KEY: not set\. .* set APP_ENV=development instead"):
        create_app(SECRET_KEY="")


def test_development_generates_one_random_key_and_keeps_it_private(tmp_path):
    key_file = tmp_path / "instance" / "secret_key"
    first = create_app("development", SECRET_KEY="", SECRET_KEY_FILE=str(key_file))
    second = create_app("development", SECRET_KEY="", SECRET_KEY_FILE=str(key_file))
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]  # no scratch file left behind


def test_two_development_machines_get_different_keys(tmp_path):
    one = create_app("development", SECRET_KEY="", SECRET_KEY_FILE=str(tmp_path / "a"))
    other = create_app("development", SECRET_KEY="", SECRET_KEY_FILE=str(tmp_path / "b"))
    assert one.config["SECRET_KEY"] != other.config["SECRET_KEY"]


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("SECRET_KEY", "", "SECRET_KEY: not set"),
        ("SECRET_KEY", "short-key", "SECRET_KEY: shorter than 32 characters"),
        ("SERVER_BASE_URL", "", "SERVER_BASE_URL: must be the site's public https address"),
        ("SERVER_BASE_URL", "http://karstasvanduo.lt", "SERVER_BASE_URL: must be the site's public https address"),
        ("SERVER_BASE_URL", "https://karstasvanduo.lt/x", "SERVER_BASE_URL: must be the site's public https address"),
        ("RATELIMIT_STORAGE_URI", "memory://", "RATELIMIT_STORAGE_URI: must be a store shared by every worker"),
        ("RATELIMIT_STORAGE_URI", "", "RATELIMIT_STORAGE_URI: must be a store shared by every worker"),
        ("REVERSE_PROXY", -1, "REVERSE_PROXY: the number of proxies in front must be 0 or more"),
        ("SMS_GATEWAY_URL", "", "SMS_GATEWAY_URL: must be the SMS gateway's https address"),
        ("SMS_GATEWAY_URL", "http://sms.example.lt/send", "SMS_GATEWAY_URL: must be the SMS gateway's https address"),
    ],
)
def test_production_refuses_to_start_on_a_wrong_setting_and_names_it(setting, value, message):
    with pytest.raises(SettingsError, match=f"^{re.escape(message)}"):
        create_app("production", **{**PRODUCTION, setting: value})


def test_production_without_an_sms_gateway_starts_with_sms_off():
    app = create_app("production", **{**PRODUCTION, "SMS_GATEWAY_URL": "", "NOTIFY_CHANNEL_SMS": "off"})
    assert app.config["NOTIFY_CHANNEL_SMS"] == "off"


def test_production_answers_only_for_the_host_of_its_base_url():
    client = create_app("production", **PRODUCTION).test_client()
    assert client.get("/healthz", base_url="https://karstasvanduo.lt").status_code == 200
    assert client.get("/healthz", base_url="https://evil.example").status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\r\nSet-Cookie: x=1",
        "/address/1\n",
        "/\t/evil.example",
    ],
)
def test_language_switch_never_redirects_off_site_or_into_a_header(client, target):
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


def test_static_urls_carry_a_hash_of_the_file_so_long_caching_is_safe(client, app, tmp_path):
    page = soup(client.get("/"))
    stylesheet = page.select_one("link[rel=stylesheet]")["href"]
    content = (Path(app.static_folder) / "css" / "site.css").read_bytes()
    assert stylesheet == f"/static/css/site.css?v={hashlib.sha256(content).hexdigest()[:8]}"


def test_a_changed_static_file_gets_a_new_url(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    before = static_version(str(tmp_path), "site.css")
    (tmp_path / "site.css").write_text("body { color: navy }")
    os.utime(tmp_path / "site.css", ns=(1, 1))
    assert static_version(str(tmp_path), "site.css") != before
    assert static_version(str(tmp_path), "missing.css") is None
