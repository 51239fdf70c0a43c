"""Four languages: complete catalogs, the language switch, dates in each language's own form."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers.html import soup

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
LANGUAGES = ("lt", "en", "ru", "pl")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def messages(language: str):
    return [m for m in catalog(language) if m.id]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    untranslated = [m.id for m in messages(language) if not m.string or not all(m.string)]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_left_fuzzy(language):
    assert [m.id for m in messages(language) if m.fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in messages(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids))) - {"num"}  # a singular may spell out "one"
        for text in strings:
            if text and not wanted <= set(PLACEHOLDER.findall(text)) | {"num"}:
                wrong.append((message.id, text))
            if text and set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(" ".join(ids))):
                wrong.append((message.id, text))
    assert wrong == []


def test_the_template_holds_every_message_the_code_and_templates_use():
    """Every template (plain-text e-mails and SMS too): a message missing here reaches readers in Lithuanian."""
    every_file = [("app/**.py", "python"), ("app/templates/**", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
    used = {message for _, _, message, _, _ in extract_from_dir(ROOT, every_file, keywords=keywords)}
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    assert used - template == set()


def test_every_catalog_has_the_same_messages_as_the_template():
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    for language in LANGUAGES:
        assert {m.id for m in messages(language)} == template, language


@pytest.mark.parametrize(
    ("language", "heading", "answer"),
    [
        (
            "lt",
            "Ar mano name bus išjungtas karštas vanduo?",
            "Taip: karšto vandens nebus birželio 3–5 d. (hidrauliniai bandymai)",
        ),
        ("en", "Will my building lose hot water?", "Yes: no hot water on 3–5 June (hydraulic tests)"),
        (
            "ru",
            "Отключат ли горячую воду в моём доме?",
            "Да: горячей воды не будет 3–5 июня (гидравлические испытания)",
        ),
        (
            "pl",
            "Czy w moim budynku zostanie wyłączona ciepła woda?",
            "Tak: ciepłej wody nie będzie 3–5 czerwca (próby hydrauliczne)",
        ),
    ],
)
def test_each_language_gets_its_own_words_and_dates(
    client, today, make_address, make_shutoff, language, heading, answer
):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5))
    client.get(f"/language/{language}")

    home = soup(client.get("/"))
    assert home.html["lang"] == language
    assert home.select_one("h1").get_text(strip=True) == heading

    result = soup(client.get("/", query_string={"q": "Žirmūnų g. 12A"}))
    assert result.select_one(".answer__headline").get_text(strip=True) == answer


def test_the_current_language_is_marked_and_the_others_are_links(client):
    client.get("/language/ru")
    page = soup(client.get("/"))
    current = page.select_one(".lang-switch [aria-current]")
    assert current.get_text(strip=True) == "Русский"
    assert current["lang"] == "ru"
    links = {a.get_text(strip=True): a for a in page.select(".lang-switch a")}
    assert set(links) == {"Lietuvių", "English", "Polski"}
    assert links["English"]["hreflang"] == "en"


def test_a_language_in_the_query_string_wins_for_that_page(client):
    page = soup(client.get("/?lang=pl"))
    assert page.html["lang"] == "pl"


def test_switching_language_on_a_page_opened_with_lang_goes_back_without_it(client):
    page = soup(client.get("/?q=Žirmūnų g. 12A&lang=pl"))
    english = page.select_one(".lang-switch a[hreflang=en]")["href"]
    response = client.get(english)
    assert response.headers["Location"] == "/?q=%C5%BDirm%C5%ABn%C5%B3+g.+12A"
    assert soup(client.get(response.headers["Location"])).html["lang"] == "en"


def test_a_page_opened_with_lang_keeps_that_language_for_the_next_search(client, make_address):
    make_address("Žirmūnų g.", "12A")
    client.get("/?lang=ru")
    page = soup(client.get("/", query_string={"q": "zirmunu 12a"}))
    assert page.html["lang"] == "ru"
    assert page.select_one(".lang-switch [aria-current]").get_text(strip=True) == "Русский"


def test_the_widget_and_the_api_opened_with_lang_set_no_cookie(client):
    assert "Set-Cookie" not in client.get("/embed?lang=ru").headers
    assert "Set-Cookie" not in client.get("/api/v1/lookup?q=zirmunu&lang=ru").headers
    assert soup(client.get("/")).html["lang"] == "lt"
