"""The sign-up form: addresses from the building page, GOV.UK errors, the same answer for known contacts, limits."""

import pytest

from app.notifications.channels.console import SENT
from app.notifications.models import Subscription
from tests.helpers.html import csrf_token, soup, text_of
from tests.notifications.helpers import sign_up, stored


def test_the_building_from_the_link_is_preselected_and_several_are_allowed(client, make_address):
    first = make_address(street="Žirmūnų g.", number="12A")
    second = make_address(street="Žirmūnų g.", number="14")
    page = soup(client.get(f"/subscribe?address={first.code}&address={second.code}"))
    ticked = page.select("input[name=address_codes][checked]")
    assert [i["value"] for i in ticked] == [first.code, second.code]
    labels = [page.select_one(f"label[for={i['id']}]").text for i in ticked]
    assert labels == ["Žirmūnų g. 12A", "Žirmūnų g. 14"]
    assert {i["value"] for i in page.select("input[name=lead_days][checked]")} == {"10", "1"}
    assert page.select_one("select[name=language] option[selected]")["value"] == "lt"
    consent = page.select_one("input[name=consent]")
    assert "Sutinku" in page.select_one(f"label[for={consent['id']}]").text
    assert page.select_one("form[method=post]").has_attr("novalidate")


def test_a_typed_address_is_added_to_the_list(client, make_address):
    first = make_address(street="Žirmūnų g.", number="12A")
    make_address(street="Antakalnio g.", number="10")
    page = client.get(f"/subscribe?address={first.code}")
    added = soup(
        client.post(
            "/subscribe",
            data={
                "csrf_token": csrf_token(page),
                "address_codes": [first.code],
                "new_address": "antakalnio 10",
                "add": "1",
            },
        )
    )
    labels = [
        added.select_one(f"label[for={i['id']}]").text for i in added.select("input[name=address_codes][checked]")
    ]
    assert labels == ["Žirmūnų g. 12A", "Antakalnio g. 10"]
    assert added.select(".error-summary") == []


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"email": "", "phone": ""}, "email", "Įveskite el. pašto adresą arba mobiliojo telefono numerį"),
        ({"email": "jonas@", "phone": ""}, "email", "Įveskite el. pašto adresą, pavyzdžiui, vardas@example.lt"),
        ({"email": "", "phone": "12345"}, "phone", "Įveskite mobiliojo telefono numerį"),
        ({"email": "", "phone": "8 5 212 3456"}, "phone", "Įveskite mobiliojo telefono numerį"),
        ({"email": "a@example.lt", "consent": None}, "consent", "Pažymėkite, kad sutinkate gauti pranešimus"),
        ({"email": "a@example.lt", "lead_days": []}, "lead_days", "Pasirinkite, kada priminti"),
        ({"email": "a@example.lt", "address_codes": []}, "address_codes", "Pasirinkite bent vieną pastatą"),
    ],
)
def test_mistakes_are_explained_beside_the_field_and_in_the_summary(client, make_address, fields, field_id, message):
    home = make_address()
    fields = dict(fields)
    response = sign_up(client, address_codes=fields.pop("address_codes", [home.code]), **fields)
    assert response.status_code == 200
    page = soup(response)
    assert page.title.text.startswith("Klaida:")
    summary_link = page.select_one(f".error-summary a[href='#{field_id}']")
    assert message in summary_link.text
    assert message in page.select_one(f"#{field_id}-error").text
    assert stored(Subscription) == []


def test_a_known_contact_gets_the_same_answer_as_a_new_one(client, make_address):
    home = make_address()
    pages = []
    for email in ("jonas@example.lt", "jonas@example.lt", "petras@example.lt"):
        answer = sign_up(client, address_codes=[home.code], email=email)
        assert answer.headers["Location"] == "/subscribe/check"
        pages.append(text_of(client.get("/subscribe/check"), "main"))
    assert pages[0] == pages[1]
    assert pages[2].replace("p•••", "j•••") == pages[0]
    assert "Išsiuntėme laišką adresu j•••@example.lt." in pages[0]


def test_consent_wording_and_version_are_stored_with_the_time(client, make_address):
    sign_up(client, address_codes=[make_address().code], email="jonas@example.lt")
    [sub] = stored(Subscription)
    assert sub.consent_text.startswith("Sutinku, kad Vilniaus šilumos tinklai")
    assert sub.consent_version == "2026-11-25"
    assert sub.consented_at is not None
    assert sub.lead_days == [10, 1]
    assert sub.language == "lt"
    assert sub.contact == "jonas@example.lt"


def test_the_form_needs_a_csrf_token_and_stores_nothing_without_one(client, make_address):
    home = make_address()
    SENT.clear()
    # Everything a valid sign-up has, except the token.
    form = {"address_codes": [home.code], "email": "a@example.lt", "lead_days": ["10", "1"], "language": "lt"}
    response = client.post("/subscribe", data={**form, "consent": "y"})
    assert response.status_code == 400
    assert stored(Subscription) == []
    assert list(SENT) == []


def test_an_address_typed_but_not_found_is_explained_and_nothing_is_stored(client, make_address):
    home = make_address()
    response = sign_up(client, address_codes=[home.code], email="a@example.lt", new_address="Nėra tokios g. 999")
    assert response.status_code == 200
    assert text_of(response, "#new_address-error") == (
        "Klaida: Tokio pastato neradome. Patikslinkite adresą, pavyzdžiui, Žirmūnų g. 12A"
    )
    assert text_of(response, ".error-summary a[href='#new_address']") == (
        "Tokio pastato neradome. Patikslinkite adresą, pavyzdžiui, Žirmūnų g. 12A"
    )
    assert stored(Subscription) == []


def test_an_address_typed_and_found_is_followed_without_pressing_add(client, make_address):
    home = make_address(street="Žirmūnų g.", number="12A")
    other = make_address(street="Antakalnio g.", number="10")
    response = sign_up(client, address_codes=[home.code], email="a@example.lt", new_address="antakalnio 10")
    assert response.status_code == 303
    [sub] = stored(Subscription)
    assert sub.address_codes == [home.code, other.code]


def test_too_many_codes_to_one_phone_get_a_friendly_lithuanian_429(client, make_address):
    home = make_address()
    for _ in range(3):
        assert sign_up(client, address_codes=[home.code], phone="+37061234567").status_code == 303
    SENT.clear()
    blocked = sign_up(client, address_codes=[home.code], phone="8 612 34567")  # the same number, written differently
    assert blocked.status_code == 429
    assert "Per daug bandymų" in soup(blocked).select_one("h1").text
    assert not SENT
    # Another number is still fine.
    assert sign_up(client, address_codes=[home.code], phone="+37061234568").status_code == 303


def test_mistakes_do_not_count_against_the_limit(client, make_address):
    home = make_address()
    for _ in range(5):
        assert sign_up(client, address_codes=[home.code], email="jonas@example.lt", consent=None).status_code == 200
    assert sign_up(client, address_codes=[home.code], email="jonas@example.lt").status_code == 303
