"""Full links (e-mails, print, calendars) come from the routes and name this site, never a forged host."""

import re
from pathlib import Path

import pytest

from app.urls import absolute_url, safe_next_path

APP = Path(__file__).resolve().parents[1] / "app"


@pytest.fixture
def code(make_address) -> str:
    return make_address(street="Žirmūnų g.", number="12A", code="155000002").code


def test_with_server_base_url_a_forged_host_header_never_reaches_a_link(app, client, code):
    app.config["SERVER_BASE_URL"] = "https://karstasvanduo.lt"
    response = client.get(f"/address/{code}/notice", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.text
    assert "https://karstasvanduo.lt/address/155000002" in response.text


def test_without_server_base_url_links_name_the_host_the_request_came_to(app, code):
    app.config["SERVER_BASE_URL"] = ""
    with app.test_request_context("/", base_url="https://test.karstasvanduo.lt"):
        assert absolute_url("site.address", code=code) == "https://test.karstasvanduo.lt/address/155000002"


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://karstasvanduo.lt", "https://karstasvanduo.lt/manage/abc"),
        ("https://karstasvanduo.lt/", "https://karstasvanduo.lt/manage/abc"),
        ("https://vst.example/karstas-vanduo", "https://vst.example/karstas-vanduo/manage/abc"),
        ("", "http://127.0.0.1:5000/manage/abc"),
    ],
)
def test_outside_a_request_links_are_built_from_server_base_url(app, base, expected):
    """`flask notify send` runs from cron: no request to take a host from."""
    app.config["SERVER_BASE_URL"] = base
    assert absolute_url("notifications.manage", token="abc") == expected


def test_a_site_under_a_path_prefix_keeps_it_in_links_from_a_request_too(app):
    app.config["SERVER_BASE_URL"] = "https://vst.example/karstas-vanduo"
    with app.test_request_context("/", base_url="http://10.0.0.5:8000/karstas-vanduo"):
        assert absolute_url("site.home", lang="en") == "https://vst.example/karstas-vanduo/?lang=en"


ROUTE_PATH = re.compile(
    r"""(?:href|src|action|data-[a-z-]+-url)\s*=\s*["']/(?!/)|["'`]/(?:api|address|subscribe|manage|unsubscribe|u|embed|managers|language|admin)\b"""
)


def test_no_template_or_script_types_a_route_path():
    """Links come from url_for, so renaming a route cannot break a page, an e-mail or an SMS."""
    typed = []
    for path in sorted([*APP.glob("templates/**/*"), *APP.glob("static/**/*.js")]):
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if ROUTE_PATH.search(line):
                    typed.append(f"{path.relative_to(APP)}:{number}: {line.strip()}")
    assert typed == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/address/155000002?lang=en", "/address/155000002?lang=en"),
        ("/managers/?", "/managers/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),  # browsers drop the tab and read //evil.example
        ("/\r\nSet-Cookie: x=1", "/"),
        ("/a\nb", "/"),
        ("/a\x00b", "/"),
        ("/a\u2028b", "/"),
    ],
)
def test_a_next_path_is_a_path_on_this_site_without_control_characters(target, expected):
    assert safe_next_path(target) == expected
