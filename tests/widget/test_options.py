"""The widget's options and CSP, as pure functions: no app, no request."""

import pytest

from app.widget.options import (
    DARK_TEXT,
    DEFAULT_ACCENT,
    LIGHT_TEXT,
    accent_colour,
    clean_origins,
    contrast_ratio,
    embed_csp,
    embed_language,
    parent_origin,
    text_colour_on,
)

LANGUAGES = ("lt", "en", "ru", "pl")


@pytest.mark.parametrize(("raw", "expected"), [("#00703C", "#00703c"), ("#abc", "#aabbcc"), (" #123456 ", "#123456")])
def test_a_hex_colour_is_accepted_and_written_in_six_lower_case_digits(raw, expected):
    assert accent_colour(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "red",
        "#12345",
        "#1234567",
        "#gggggg",
        "123456",
        "#fff;}body{display:none",
        "#fff</style><script>alert(1)</script>",
        "#ffffff\nX-Injected: 1",
        "rgb(1,2,3)",
        "#ｆｆｆ",
    ],
)
def test_anything_but_a_hex_colour_gives_the_default_accent(raw):
    assert accent_colour(raw) == DEFAULT_ACCENT


@pytest.mark.parametrize(("raw", "expected"), [("en", "en"), ("ru", "ru"), ("pl", "pl"), ("lt", "lt")])
def test_the_language_is_one_of_ours(raw, expected):
    assert embed_language(raw, LANGUAGES) == expected


@pytest.mark.parametrize("raw", [None, "", "de", "EN", "en-GB", "lt;", "../lt"])
def test_an_unknown_language_falls_back_to_lithuanian(raw):
    assert embed_language(raw, LANGUAGES) == "lt"


def test_a_dark_accent_gets_white_text_and_a_light_one_dark_text():
    assert text_colour_on("#b10e1e") == LIGHT_TEXT
    assert text_colour_on("#1d4f91") == LIGHT_TEXT
    assert text_colour_on("#ffdd00") == DARK_TEXT
    assert text_colour_on("#ffffff") == DARK_TEXT


def test_contrast_ratio_matches_wcag_for_black_on_white():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_configured_origins_are_normalised_and_junk_is_dropped():
    configured = [
        "https://www.chc.lt",
        "https://CHC.lt/",
        "https://chc.lt",
        "http://localhost:8123",
        "*",
        "https://evil.example; script-src *",
        "javascript:alert(1)",
        "https://chc.lt/path",
        "'self'",
    ]
    assert clean_origins(configured) == ["https://www.chc.lt", "https://chc.lt", "http://localhost:8123"]


def test_configured_origins_may_be_one_space_separated_string():
    assert clean_origins("https://www.chc.lt  https://chc.lt") == ["https://www.chc.lt", "https://chc.lt"]


def test_the_widget_csp_lets_the_allowed_hosts_and_this_site_frame_it():
    csp = embed_csp("n0nce", ["https://www.chc.lt", "https://chc.lt", "*"])
    assert "frame-ancestors 'self' https://www.chc.lt https://chc.lt" in csp
    assert "script-src 'self' 'nonce-n0nce'" in csp
    assert "*" not in csp


def test_the_widget_csp_with_no_allowed_hosts_still_allows_this_site():
    assert embed_csp("n", []).endswith("frame-ancestors 'self'")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://chc.lt", "https://chc.lt"),
        ("https://chc.lt/", "https://chc.lt"),
        ("http://our.site:5000", "http://our.site:5000"),
        ("https://evil.example", None),
        ("*", None),
        ("", None),
        (None, None),
        ("https://chc.lt.evil.example", None),
        ('https://chc.lt" onload="x', None),
    ],
)
def test_height_messages_go_only_to_an_allowed_host_or_this_site(raw, expected):
    assert parent_origin(raw, ["https://www.chc.lt", "https://chc.lt"], "http://our.site:5000") == expected
