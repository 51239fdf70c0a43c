"""The details residents hit: Enter signs up, the code page and "send the code again", links from
SERVER_BASE_URL whatever the Host header, "hot water is back" chosen at sign-up."""

import re

import pytest

from app.notifications import links
from app.notifications.channels.console import SENT
from app.notifications.models import Subscription
from app.notifications.tokens import Purpose
from tests.helpers.html import csrf_token, soup, text_of
from tests.helpers.subscribers import add_subscriber
from tests.notifications.helpers import link_in, sign_up, stored


@pytest.mark.parametrize("page", ["sign-up", "settings"])
def test_enter_in_any_field_sends_the_form_not_add_a_building(client, make_address, page):
    """Browsers send a form with its first submit button when Enter is pressed in a field."""
    home = make_address()
    if page == "sign-up":
        url, label = f"/subscribe?address={home.code}", "Užsisakyti pranešimus"
    else:
        sub = add_subscriber("email", "jonas@example.lt", home.code)
        url, label = f"/manage/{links.token(sub, Purpose.MANAGE)}", "Išsaugoti"
    form = soup(client.get(url)).select_one("main form[method=post]")
    default = form.select_one("button[type=submit]")
    assert (default.get("name"), default.get_text()) == (None, label)
    assert form.select_one("button[name=add]").get_text() == "Pridėti pastatą"


def _phone_sign_up(client, make_address):
    SENT.clear()
    sign_up(client, address_codes=[make_address().code], phone="8 612 34567")
    return client.get("/subscribe/check")


def _code(message) -> str:
    return re.search(r"\b(\d{6})\b", message.text).group(1)


def test_the_code_page_names_the_masked_number_and_sends_a_new_code(client, make_address):
    check = _phone_sign_up(client, make_address)
    assert text_of(check, "#check-phone p") == (
        "Išsiuntėme SMS žinutę su 6 skaitmenų kodu numeriu +370•••••567. Kodas galioja 15 minučių."
    )
    first_code = _code(SENT[-1])
    again = client.post("/subscribe/code/again", data={"csrf_token": csrf_token(check)})
    assert again.headers["Location"] == "/subscribe/code?again=1"
    page = client.get(again.headers["Location"])
    assert text_of(page, "#sent-again") == "Naują kodą išsiuntėme"
    assert text_of(page, "h1 + p") == "Kodą išsiuntėme SMS žinute numeriu +370•••••567. Kodas galioja 15 minučių."
    assert [m.to for m in SENT] == ["+37061234567", "+37061234567"]
    new_code = _code(SENT[-1])
    token = csrf_token(page)
    if new_code != first_code:
        wrong = client.post("/subscribe/code", data={"csrf_token": token, "code": first_code})
        assert "Kodas neteisingas" in text_of(wrong, ".error-message")
    done = client.post("/subscribe/code", data={"csrf_token": token, "code": new_code})
    assert done.status_code == 303
    assert stored(Subscription)[0].confirmed_at is not None


def test_a_new_code_is_sent_at_most_three_times_an_hour_to_one_phone_with_the_sign_up(client, make_address):
    check = _phone_sign_up(client, make_address)
    token = csrf_token(check)
    answers = [client.post("/subscribe/code/again", data={"csrf_token": token}).status_code for _ in range(3)]
    assert answers == [303, 303, 429]
    assert len(SENT) == 3


def test_links_in_messages_come_from_server_base_url_whatever_the_host_header(app, client, make_address):
    app.config["SERVER_BASE_URL"] = "https://karstasvanduo.lt"
    SENT.clear()
    home = make_address()
    page = client.get(f"/subscribe?address={home.code}", headers={"Host": "evil.example"})
    client.post(
        "/subscribe",
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
        data={
            "csrf_token": csrf_token(page),
            "address_codes": [home.code],
            "email": "jonas@example.lt",
            "lead_days": ["10"],
            "language": "lt",
            "consent": "y",
        },
    )
    [message] = SENT
    assert link_in(message.text, "/subscribe/confirm/").startswith("https://karstasvanduo.lt/subscribe/confirm/")
    assert "evil.example" not in message.text + message.html


@pytest.mark.parametrize(("ticked", "stored_choice"), [(None, False), ("y", True)])
def test_hot_water_is_back_is_chosen_at_sign_up_and_off_by_default(client, make_address, ticked, stored_choice):
    page = client.get(f"/subscribe?address={make_address().code}")
    assert soup(page).select_one("input[name=hot_water_back]").get("checked") is None
    sign_up(
        client,
        address_codes=[soup(page).select_one("input[name=address_codes]")["value"]],
        email="a@example.lt",
        hot_water_back=ticked,
    )
    assert stored(Subscription)[0].hot_water_back is stored_choice


def test_the_pages_after_the_sign_up_speak_the_language_chosen_for_the_messages(client, make_address):
    sign_up(client, address_codes=[make_address().code], phone="8 612 34567", language="pl")
    assert text_of(client.get("/subscribe/check"), "h1") == "Potwierdź zapis"
    assert text_of(client.get("/subscribe/code"), "h1") == "Wpisz kod"
