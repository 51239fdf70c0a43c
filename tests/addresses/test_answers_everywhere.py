"""The site, the API, the widget and the managers' list answer from the same matcher: other places, a question
with one address, suggestions once a digit is typed."""

import pytest

from tests.helpers.html import csrf_token, soup, text_of

OUTSIDE = "Kaunas, Savanorių pr. 13"


@pytest.fixture
def buildings(make_address):
    make_address(street="Savanorių pr.", number="13", code="155000013")
    make_address(street="Povilo Alšėniškio g.", number="5", code="155000005")
    for number in ("1", "1A", "10", "2"):
        make_address(street="Žirmūnų g.", number=number)


def test_the_site_says_it_covers_vilnius_city_only_and_gives_the_phone(client, buildings):
    response = client.get("/", query_string={"q": OUTSIDE})
    assert text_of(response, "#result-title") == "Šis adresas ne Vilniaus mieste"
    answer = text_of(response, ".result")
    assert "Adrese nurodyta: Kaunas. Ši paslauga skirta tik Vilniaus miestui" in answer
    assert soup(response).select_one(".result a[href^='tel:']")["href"] == "tel:1840"


def test_the_site_answers_other_places_in_the_readers_language(client, buildings):
    response = client.get("/", query_string={"q": "Kowno, Savanorių 13", "lang": "pl"})
    assert text_of(response, "#result-title") == "Ten adres nie jest w mieście Wilno"


def test_the_api_says_outside_area_and_names_the_place(client, buildings):
    body = client.get("/api/v1/lookup", query_string={"q": "Vilniaus r. sav., Savanorių pr. 13"}).get_json()
    assert (body["status"], body["place"], body["address"], body["candidates"]) == (
        "outside_area",
        "Vilniaus r. sav.",
        None,
        [],
    )


def test_the_openapi_document_lists_outside_area(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    lookup = spec["components"]["schemas"]["Lookup"]["properties"]
    assert lookup["status"]["enum"] == ["found", "ambiguous", "street_only", "not_found", "outside_area"]


def test_the_widget_answers_other_places_the_same_way(client, buildings):
    response = client.get("/embed", query_string={"q": OUTSIDE})
    assert text_of(response, "#result-title") == "Šis adresas ne Vilniaus mieste"


def test_the_managers_list_shows_other_places_as_a_row_status(client, buildings):
    data = {"csrf_token": csrf_token(client.get("/managers/")), "addresses": f"{OUTSIDE}\nZirmunu 10\n"}
    response = client.post("/managers/", data=data, content_type="multipart/form-data")
    page = soup(client.get(response.headers["Location"]))
    statuses = [" ".join(row.select("td")[3].get_text(" ").split()) for row in page.select("tbody tr")]
    assert statuses == ["Ne Vilniaus mieste", "Rastas"]


def test_a_question_with_one_address_says_so(client, buildings):
    response = client.get("/", query_string={"q": "Z. Alšėniškio 5"})
    assert text_of(response, "#result-title") == "Ar turėjote omenyje šį adresą?"
    assert [a.text for a in soup(response).select(".choice-list a")] == ["Povilo Alšėniškio g. 5"]


def test_a_question_with_several_addresses_keeps_its_heading(client, make_address):
    make_address(street="Felikso Vaitkaus g.", number="1")
    make_address(street="Vytauto Vaitkaus g.", number="1")
    response = client.get("/", query_string={"q": "Vaitkaus 1"})
    assert text_of(response, "#result-title") == "Kurį adresą turėjote omenyje?"


def test_the_heading_for_one_address_is_translated(client, buildings):
    response = client.get("/", query_string={"q": "Z. Alšėniškio 5", "lang": "en"})
    assert text_of(response, "#result-title") == "Did you mean this address?"


def test_suggestions_go_on_once_a_digit_is_typed(client, buildings):
    body = client.get("/api/v1/suggest", query_string={"q": "zirmu 1"}).get_json()
    assert body["suggestions"] == ["Žirmūnų g. 1", "Žirmūnų g. 1A", "Žirmūnų g. 10"]
