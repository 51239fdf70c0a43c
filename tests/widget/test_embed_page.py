"""`/embed`: the framed page, read as a person (and a browser's security checks) would."""

import pytest

from tests.helpers.html import soup

ALLOWED = ["https://www.chc.lt", "https://chc.lt"]


@pytest.fixture
def app_settings():
    return {"EMBED_ALLOWED_ORIGINS": ALLOWED}


@pytest.fixture
def building(make_address):
    return make_address(street="Žirmūnų g.", number="12A")


def test_the_widget_is_a_page_of_its_own_with_an_address_box_that_works_without_javascript(client):
    response = client.get("/embed")
    assert response.status_code == 200
    page = soup(response)
    form = page.select_one("form[method=get][action='/embed']")
    assert form is not None
    assert form.select_one("input[name=q]") is not None
    assert page.select_one(".site-header") is None, "no site header or language switch inside the frame"


def test_the_widget_may_be_framed_by_the_allowed_hosts_and_by_this_site(client):
    response = client.get("/embed")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.chc.lt https://chc.lt" in csp
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_widget_csp_nonce_is_the_one_its_inline_style_carries(client):
    response = client.get("/embed?accent=%23005ea5")
    style = soup(response).select_one("style[nonce]")
    assert f"'nonce-{style['nonce']}'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/embed/help", "/no-such-page"])
def test_every_other_page_keeps_frame_ancestors_self(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_junk_in_the_configured_origins_never_reaches_the_header(app, client):
    app.config["EMBED_ALLOWED_ORIGINS"] = ["https://chc.lt", "*", "https://x.example; script-src *"]
    csp = client.get("/embed").headers["Content-Security-Policy"]
    assert csp.endswith("frame-ancestors 'self' https://chc.lt")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "Žirmūnų g. 12A"},
        {"q": ""},
        {"q": "x" * 500},
        {"q": "Žirmūnų g. 12A", "lang": "en", "accent": "#005ea5", "parent": "https://chc.lt"},
    ],
)
def test_the_widget_sets_no_cookie_whatever_is_asked(client, building, query):
    response = client.get("/embed", query_string=query)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


def test_the_widget_ignores_the_sites_language_cookie(client):
    client.get("/language/en")  # the full site remembers English in a cookie
    assert soup(client.get("/")).html["lang"] == "en"
    page = soup(client.get("/embed"))
    assert page.html["lang"] == "lt"
    assert page.select_one("button[type=submit]").text.strip() == "Ieškoti"


@pytest.mark.parametrize(("lang", "expected"), [("en", "en"), ("ru", "ru"), ("pl", "pl"), ("de", "lt"), ("", "lt")])
def test_the_widget_language_comes_from_the_query_string(client, lang, expected):
    page = soup(client.get("/embed", query_string={"lang": lang}))
    assert page.html["lang"] == expected
    assert page.select_one("input[type=hidden][name=lang]")["value"] == expected


@pytest.mark.parametrize(
    ("accent", "expected"),
    [("#005ea5", "#005ea5"), ("#FA0", "#ffaa00"), ("red", "#b10e1e"), ("#fff;}*{display:none", "#b10e1e")],
)
def test_the_accent_colour_is_validated_before_it_reaches_the_style(client, accent, expected):
    page = soup(client.get("/embed", query_string={"accent": accent}))
    style = page.select_one("style[nonce]").text
    assert f"--accent: {expected};" in style
    assert "display:none" not in style


def test_an_accent_that_tries_to_close_the_style_element_is_not_echoed(client):
    response = client.get("/embed", query_string={"accent": "#fff</style><script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.text
    assert "alert(1)" not in response.text


def test_a_search_keeps_the_hosts_choices_in_the_form(client):
    page = soup(client.get("/embed", query_string={"lang": "en", "accent": "#005EA5", "parent": "https://chc.lt"}))
    hidden = {i["name"]: i["value"] for i in page.select("form input[type=hidden]")}
    assert hidden == {"lang": "en", "accent": "#005ea5", "parent": "https://chc.lt"}


@pytest.mark.parametrize("parent", ["https://evil.example", "*", "https://chc.lt.evil.example", "null"])
def test_height_messages_are_never_sent_to_a_host_that_is_not_allowed(client, parent):
    page = soup(client.get("/embed", query_string={"parent": parent}))
    assert not page.html.has_attr("data-parent-origin")
    assert page.select_one("input[name=parent]") is None


def test_height_messages_may_go_to_this_site_itself_as_the_help_pages_preview_needs(client):
    page = soup(client.get("/embed", query_string={"parent": "http://localhost"}))  # SERVER_BASE_URL in tests
    assert page.html["data-parent-origin"] == "http://localhost"


def test_height_messages_go_to_the_allowed_host_it_was_told(client):
    page = soup(client.get("/embed", query_string={"parent": "https://chc.lt"}))
    assert page.html["data-parent-origin"] == "https://chc.lt"


def test_a_found_building_with_a_shutoff_says_so_and_links_open_the_full_site_in_a_new_tab(
    client, building, make_shutoff
):
    make_shutoff(building, starts_in=3, days=3)
    page = soup(client.get("/embed", query_string={"q": "zirmunu 12a"}))
    answer = page.select_one("#answer")
    assert answer.select_one("h2").text.strip() == "Žirmūnų g. 12A"
    assert "Taip: karšto vandens nebus" in answer.text
    assert "hidrauliniai bandymai" in answer.text
    links = {a.text.strip(): a["href"] for a in answer.select("a")}
    assert links["Namo puslapis: kalendorius, skelbimas laiptinei ir pranešimai"].startswith(
        f"/address/{building.code}"
    )
    assert building.code in links["Gauti priminimą SMS arba el. paštu"]
    for link in page.select("a[href]"):
        assert link["target"] == "_blank"
        assert link["rel"] == ["noopener"]


def test_a_found_building_without_shutoffs_hears_nothing_is_planned(client, building):
    page = soup(client.get("/embed", query_string={"q": "Žirmūnų g. 12A"}))
    assert "išjungimų nenumatyta" in page.select_one("#answer").text


def test_the_answer_speaks_the_widgets_language(client, building, make_shutoff):
    make_shutoff(building, starts_in=3, days=3)
    page = soup(client.get("/embed", query_string={"q": "Žirmūnų g. 12A", "lang": "en"}))
    links = page.select("#answer a[target=_blank]")
    assert links
    assert all("lang=en" in a["href"] for a in links)


def test_a_house_not_in_the_register_offers_the_nearest_buildings_in_the_widgets_language(
    client, building, make_address
):
    neighbour = make_address(street="Žirmūnų g.", number="14")
    page = soup(client.get("/embed", query_string={"q": "zirmunu 13", "lang": "en", "parent": "https://chc.lt"}))
    links = page.select("#answer a")
    assert [a.text.strip() for a in links] == ["Žirmūnų g. 12A", "Žirmūnų g. 14"]
    assert links[1]["href"] == f"/address/{neighbour.code}?lang=en"
    assert all(a["target"] == "_blank" for a in links)


def test_links_to_the_full_site_keep_no_language_outside_the_widget(client, building):
    """The widget's language reaches only the widget's own links, never the site's pages."""
    client.get("/embed", query_string={"q": "zirmunu 12a", "lang": "en"})
    page = soup(client.get("/", query_string={"q": "zirmunu 12a"}))
    links = page.select(".result a")
    assert links
    assert all("lang=" not in a["href"] for a in links)


def test_an_unknown_address_gives_the_phone_number(client, building):
    page = soup(client.get("/embed", query_string={"q": "Nėra tokios g. 1"}))
    assert "1840" in page.select_one("#answer").text


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Įveskite adresą"),
        ("   ", "Įveskite adresą"),
        ("a" * 201, "Adresas turi būti ne ilgesnis nei 200 simbolių"),
    ],
)
def test_an_empty_or_over_long_search_says_what_to_do(client, q, message):
    page = soup(client.get("/embed", query_string={"q": q}))
    assert page.select_one(".error-message").text.strip().endswith(message)
    assert page.title.text.startswith("Klaida:")
    assert page.select_one("#q")["aria-invalid"] == "true"
    assert page.select_one("#answer") is None


@pytest.mark.parametrize("q", ["\x00", "😀" * 50, "<script>alert(1)</script>", "' OR 1=1 --", "Жирмуну 12а", "%00"])
def test_odd_input_never_breaks_the_widget(client, building, q):
    response = client.get("/embed", query_string={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text


def test_the_snippet_script_is_served_as_javascript_and_may_be_cached(client):
    with client.get("/embed.js") as response:
        response.direct_passthrough = False
        body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "max-age=3600" in response.headers["Cache-Control"]
    assert "data-karstas-vanduo" in body
    assert "Set-Cookie" not in response.headers


def test_the_snippet_script_is_not_downloaded_again_while_unchanged(client):
    etag = client.get("/embed.js").headers["ETag"]
    again = client.get("/embed.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
