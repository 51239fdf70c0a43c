"""`/embed/help`: the snippet to copy, its options and a live preview."""

import pytest

from tests.helpers.html import soup


@pytest.fixture
def app_settings():
    return {"EMBED_ALLOWED_ORIGINS": ["https://www.chc.lt", "https://chc.lt"], "SERVER_BASE_URL": "https://kv.example"}


def test_the_help_page_shows_the_snippet_with_absolute_urls_to_this_site(client):
    page = soup(client.get("/embed/help"))
    snippet = page.select_one("pre code").text
    assert '<div data-karstas-vanduo data-lang="lt">' in snippet
    assert '<script async src="https://kv.example/embed.js"></script>' in snippet
    assert 'href="https://kv.example/?lang=lt"' in snippet, "a plain link for readers without JavaScript"


def test_the_help_page_lists_the_options_and_the_sites_allowed_to_show_the_widget(client):
    page = soup(client.get("/embed/help"))
    options = [td.text for td in page.select("table td code")]
    assert options == ["data-lang", "data-accent", "data-title"]
    assert [li.text for li in page.select("ul.list code")] == ["https://www.chc.lt", "https://chc.lt"]


def test_choosing_a_language_and_accent_rewrites_the_snippet_and_the_preview(client):
    page = soup(client.get("/embed/help", query_string={"language": "ru", "accent": "#005EA5"}))
    snippet = page.select_one("pre code").text
    assert 'data-lang="ru" data-accent="#005ea5"' in snippet
    assert 'href="https://kv.example/?lang=ru"' in snippet
    preview = page.select_one(".embed-preview [data-karstas-vanduo]")
    assert preview["data-lang"] == "ru"
    assert preview["data-accent"] == "#005ea5"
    assert page.html["lang"] == "lt", "the widget's language does not switch the help page's own"


def test_a_wrong_colour_is_explained_and_the_snippet_keeps_the_default(client):
    page = soup(client.get("/embed/help", query_string={"language": "lt", "accent": "raudona"}))
    assert page.title.text.startswith("Klaida:")
    summary = page.select_one(".error-summary a")
    assert summary["href"] == "#accent"
    assert "šešioliktainiu kodu" in summary.text
    assert "data-accent" not in page.select_one("pre code").text


def test_the_preview_loads_the_snippet_script_from_this_site(client):
    page = soup(client.get("/embed/help"))
    script = page.select_one("script[src='/embed.js']")
    assert script is not None
    assert script.has_attr("async")
    assert page.select_one(".embed-preview [data-karstas-vanduo]") is not None


def test_the_help_page_is_a_normal_site_page(client):
    response = client.get("/embed/help")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert soup(response).select_one(".site-header") is not None


def test_the_help_page_says_who_to_ask_and_what_the_operator_sets(client):
    page = soup(client.get("/embed/help"))
    text = " ".join(page.select_one("main").get_text(" ").split())
    assert "Kreipkitės į Vilniaus šilumos tinklus (tel. 1840) ir nurodykite tikslų svetainės adresą" in text
    assert page.select("pre code")[1].text == 'EMBED_ALLOWED_ORIGINS="https://www.chc.lt https://chc.lt"'


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("https://www.chc.lt", "https://www.chc.lt gali rodyti valdiklį."),
        ("www.chc.lt/karstas-vanduo", "https://www.chc.lt gali rodyti valdiklį."),
        ("https://kv.example", "https://kv.example gali rodyti valdiklį."),
        (
            "http://localhost:8000",
            "http://localhost:8000 dar negali rodyti valdiklio: šio adreso nėra leidžiamų sąraše. "
            "Kreipkitės, kaip parašyta aukščiau.",
        ),
    ],
)
def test_the_help_page_says_whether_a_site_may_show_the_widget(client, typed, said):
    page = soup(client.get("/embed/help", query_string={"origin": typed}))
    assert page.select_one(".origin-check").get_text(" ", strip=True) == said


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "https://evil@chc.lt", "<b>chc</b>"])
def test_something_that_is_no_site_address_gets_a_message(client, typed):
    page = soup(client.get("/embed/help", query_string={"origin": typed}))
    assert page.select_one(".error-summary a[href='#origin']").text == (
        "Įveskite svetainės adresą, pavyzdžiui, https://www.chc.lt"
    )
    assert page.select_one(".origin-check") is None
