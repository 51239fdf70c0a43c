"""The address search on `/`: the answer first, in plain words, with the matched address."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask import render_template

from app.shutoffs.models import ShutoffKind, ShutoffStatus
from app.shutoffs.queries import answer_search
from tests.helpers.html import soup, text_of


def test_a_building_with_a_shutoff_gets_a_plain_yes_with_dates_and_kind(client, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5), kind=ShutoffKind.HYDRAULIC_TEST)

    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})

    page = soup(response)

    assert text_of(response, ".result__title") == "Žirmūnų g. 12A"
    assert (
        text_of(response, ".answer__headline") == "Taip: karšto vandens nebus birželio 3–5 d. (hidrauliniai bandymai)"
    )
    assert page.select_one(".result__next a")["href"] == f"/address/{building.code}"
    assert page.title.text.startswith("Žirmūnų g. 12A")


def test_the_answer_comes_before_the_search_box(client, today, make_address):
    make_address(street="Žirmūnų g.", number="12A")
    html = client.get("/", query_string={"q": "Žirmūnų g. 12A"}).text
    assert html.index("answer__headline") < html.index('name="q"')


def test_a_building_without_shutoffs_is_told_nothing_is_planned_for_the_horizon(client, today, make_address):
    make_address(street="Žirmūnų g.", number="12A")
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert text_of(response, ".answer__headline") == "Artimiausias 4 savaites išjungimų nenumatyta"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (14, "Artimiausias 2 savaites išjungimų nenumatyta"),
        (7, "Artimiausią 1 savaitę išjungimų nenumatyta"),
        (10, "Artimiausias 10 dienų išjungimų nenumatyta"),
        (30, "Artimiausias 30 dienų išjungimų nenumatyta"),
    ],
)
def test_the_horizon_in_the_answer_comes_from_the_settings(app, client, today, make_address, days, expected):
    app.config["SHUTOFF_HORIZON_DAYS"] = days
    make_address(street="Žirmūnų g.", number="12A")
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert text_of(response, ".answer__headline") == expected


def test_a_shutoff_beyond_the_horizon_does_not_make_the_answer_yes(client, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 7, 20), date(2026, 7, 22))
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert text_of(response, ".answer__headline") == "Artimiausias 4 savaites išjungimų nenumatyta"


def test_a_cancelled_shutoff_is_no_and_says_it_was_cancelled(client, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5), status=ShutoffStatus.CANCELLED)
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert text_of(response, ".answer__headline") == "Artimiausias 4 savaites išjungimų nenumatyta"
    assert "birželio 3–5 d. atšauktas" in text_of(response, ".answer")
    assert text_of(response, ".shutoff--cancelled .tag") == "Atšaukta"


def test_an_ongoing_shutoff_says_when_it_ends(client, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 5, 31), date(2026, 6, 2), kind=ShutoffKind.REPAIR)
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert (
        text_of(response, ".answer__headline") == "Taip: karšto vandens nebus gegužės 31 d. – birželio 2 d. (remontas)"
    )
    assert "karšto vandens nebus iki birželio 2 d. imtinai" in text_of(response, ".answer")


def test_later_shutoffs_are_listed_under_the_first(client, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 6, 20), kind=ShutoffKind.REPAIR)
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5))
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert "birželio 3–5 d." in text_of(response, ".answer__headline")
    assert text_of(response, ".answer__more li") == "birželio 20 d. (remontas)"


def test_a_flat_number_is_explained_not_ignored_silently(client, today, make_address):
    make_address(street="Žirmūnų g.", number="12A")
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A-5"})
    assert text_of(response, ".result__title") == "Žirmūnų g. 12A"
    assert "(5)" in text_of(response, ".result__flat")


def test_a_house_number_not_in_the_list_offers_the_nearest_buildings(client, today, make_address):
    near = [make_address(street="Žirmūnų g.", number=n) for n in ("10", "12", "14")]
    response = client.get("/", query_string={"q": "Žirmūnų g. 13"})
    page = soup(response)
    assert text_of(response, ".result__title") == "Šio namo numerio mūsų sąraše nėra"
    assert "Žirmūnų g." in text_of(response, ".result")
    links = {a.text: a["href"] for a in page.select(".choice-list a")}
    assert links["Žirmūnų g. 12"] == f"/address/{near[1].code}"
    assert links["Žirmūnų g. 14"] == f"/address/{near[2].code}"


def test_an_unknown_street_gets_help_and_the_vst_phone(client, today, make_address):
    make_address(street="Žirmūnų g.", number="12A")
    response = client.get("/", query_string={"q": "Qwxyzų g. 5"})
    page = soup(response)
    assert text_of(response, ".result__title") == "Tokio adreso neradome"
    phone = page.select_one(".result a[href^='tel:']")
    assert phone["href"] == "tel:1840"
    assert phone.text == "1840"


def test_an_ambiguous_query_asks_which_building_was_meant(client, today, make_address):
    first = make_address(street="Žirmūnų g.", number="12A")
    second = make_address(street="Žirmūnų g.", number="12B")
    response = client.get("/", query_string={"q": "Žirmūnų g. 12"})
    page = soup(response)
    assert page.select_one(".result")["data-status"] == "ambiguous"
    assert text_of(response, ".result__title") == "Kurį adresą turėjote omenyje?"
    links = {a.text: a["href"] for a in page.select(".choice-list a")}
    assert links.get("Žirmūnų g. 12A") == f"/address/{first.code}"
    assert links.get("Žirmūnų g. 12B") == f"/address/{second.code}"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Įveskite adresą"),
        ("   ", "Įveskite adresą"),
        ("a" * 201, "Adresas turi būti ne ilgesnis nei 200 simbolių"),
    ],
)
def test_an_invalid_search_shows_the_error_summary_and_the_message_beside_the_box(client, query, message):
    response = client.get("/", query_string={"q": query})
    assert response.status_code == 200
    response = response
    page = soup(response)
    assert page.title.text.startswith("Klaida:")
    summary_link = page.select_one(".error-summary a")
    assert summary_link.text == message
    assert summary_link["href"] == "#q"
    assert message in text_of(response, "#q-error")
    assert page.select_one("#q")["aria-invalid"] == "true"
    assert page.select_one(".result") is None


def test_opening_the_page_without_a_query_shows_no_error(client):
    response = client.get("/")
    page = soup(response)
    assert page.select_one(".error-summary") is None
    assert not page.title.text.startswith("Klaida")


def test_the_search_box_keeps_what_was_typed(client, today, make_address):
    make_address(street="Žirmūnų g.", number="12A")
    response = client.get("/", query_string={"q": "zirmunu 12a"})
    page = soup(response)
    assert page.select_one("input#q")["value"] == "zirmunu 12a"


def test_the_search_form_is_a_plain_get_form_that_works_without_javascript(client):
    response = client.get("/")
    page = soup(response)
    form = page.select_one("form[role=search]")
    assert form["method"] == "get"
    assert form["action"] == "/"
    assert form.has_attr("novalidate")
    assert form.select_one("button[type=submit]") is not None
    assert page.select_one("[data-autocomplete]")["data-suggest-url"] == "/api/v1/suggest"
    assert page.select_one("script[src*='/static/js/autocomplete.js?v=']") is not None


def test_not_found_repeats_what_was_typed(client, today, make_address):
    make_address(street="Žirmūnų g.", number="12A")
    response = client.get("/", query_string={"q": "Qwxyzų g. 5"})
    assert text_of(response, ".result__query") == "Ieškojote: „Qwxyzų g. 5“"


def test_the_answer_partial_stands_alone_for_the_widget(app, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5))
    answer = answer_search("Žirmūnų g. 12A", today)
    with app.test_request_context("/embed"):
        html = render_template(
            "site/_answer.html",
            result=answer.result,
            shutoffs=answer.shutoffs,
            today=today,
            link_target="_blank",
            heading_level=3,
        )
    fragment = BeautifulSoup(html, "html.parser")
    assert fragment.select_one("html, body, header, main") is None
    assert fragment.select_one("h3.result__title").get_text(strip=True) == "Žirmūnų g. 12A"
    link = fragment.select_one(".result__next a")
    assert link["target"] == "_blank"
    assert "noopener" in link["rel"]


def test_a_street_without_a_house_number_asks_for_the_number(client, make_address):
    make_address(street="Žirmūnų g.", number="12")
    page = soup(client.get("/", query_string={"q": "Žirmūnų g."}))
    assert "Įrašykite ir namo numerį" in page.select_one("#result-title").text


def test_an_unknown_house_number_is_repeated_back(client, make_address):
    make_address(street="Žirmūnų g.", number="12")
    page = soup(client.get("/", query_string={"q": "Žirmūnų g. 99A"}))
    assert "namo Nr. 99A joje nėra" in page.get_text(" ")


def test_nearby_buildings_with_blocks_are_offered_each_as_a_link(client, make_address):
    first = make_address(street="Žirmūnų g.", number="20", block="1")
    second = make_address(street="Žirmūnų g.", number="20", block="2")
    page = soup(client.get("/", query_string={"q": "Žirmūnų g. 21"}))
    links = {a["href"] for a in page.select("a[href^='/address/']")}
    assert {f"/address/{first.code}", f"/address/{second.code}"} <= links


def test_a_moved_shutoff_in_the_answer_says_when_it_was_planned_before(client, today, make_address, make_shutoff):
    building = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(
        building,
        date(2026, 6, 22),
        date(2026, 6, 23),
        kind=ShutoffKind.REPAIR,
        status=ShutoffStatus.MOVED,
        moved_from=(date(2026, 6, 15), date(2026, 6, 16)),
    )
    response = client.get("/", query_string={"q": "Žirmūnų g. 12A"})
    assert text_of(response, ".shutoff .tag") == "Perkelta"
    assert text_of(response, ".shutoff__meta") == "Anksčiau buvo planuota: birželio 15–16 d."


def test_a_street_that_may_be_meant_is_offered_as_a_street_with_the_house_typed(client, make_address):
    make_address(street="Sodų g.", number="5")  # no house 3 on it: the question is about the street

    response = client.get("/", query_string={"q": "Kalvariju sodu 3"})

    assert text_of(response, ".result__title") == "Ar turėjote omenyje šią gatvę?"
    assert text_of(response, ".result p") == "Radome vieną panašią gatvę. Jei tai jūsų, pasirinkite ją:"
    choices = [(a.get_text(), a["href"]) for a in soup(response).select(".choice-list a")]
    assert choices == [("Sodų g. 3", "/?q=Sod%C5%B3+g.+3")]


def test_several_streets_that_may_be_meant_are_asked_about_in_the_readers_language(client, make_address):
    make_address(street="Sodų g.", number="5")
    make_address(street="Kairėnės Sodų g.", number="7")

    response = client.get("/", query_string={"q": "Kalvariju sodu 3", "lang": "ru"})

    assert text_of(response, ".result__title") == "Какую улицу вы имели в виду?"
    assert sorted(a.get_text() for a in soup(response).select(".choice-list a")) == ["Kairėnės Sodų g. 3", "Sodų g. 3"]
