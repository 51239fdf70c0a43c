"""NOTIFY_CHANNEL_SMS=off (no SMS gateway yet): the forms take e-mail addresses only, nothing is queued for a
phone, and a message already queued for one waits instead of failing."""

import pytest

from app.notifications.channels import TemporaryFailure, channel_from_config
from app.notifications.models import OutboxMessage, Subscription
from tests.helpers.html import csrf_token, soup, text_of
from tests.notifications.helpers import sign_up, stored


def test_with_sms_off_the_sign_up_form_asks_for_an_e_mail_address_only(app, client, make_address):
    app.config["NOTIFY_CHANNEL_SMS"] = "off"
    home = make_address(street="Antakalnio g.", number="10")

    page = soup(client.get("/subscribe", query_string={"address": home.code}))

    assert page.select_one("#phone") is None
    assert page.select_one("#email") is not None


def test_with_sms_off_a_phone_alone_is_refused_and_nothing_is_stored(app, client, make_address):
    app.config["NOTIFY_CHANNEL_SMS"] = "off"
    home = make_address(street="Antakalnio g.", number="10")

    response = sign_up(client, address_codes=[home.code], phone="8 612 34567")

    assert response.status_code == 200  # the page again, with the error (as every form with errors)
    assert text_of(response, "#email-error") == "Klaida: Įveskite el. pašto adresą"
    assert stored(Subscription) == []
    assert stored(OutboxMessage) == []


def test_with_sms_off_a_phone_posted_beside_an_e_mail_is_not_kept(app, client, make_address):
    app.config["NOTIFY_CHANNEL_SMS"] = "off"
    home = make_address(street="Antakalnio g.", number="10")

    sign_up(client, address_codes=[home.code], email="ona@example.lt", phone="8 612 34567")

    assert [(s.channel.value, s.contact) for s in stored(Subscription)] == [("email", "ona@example.lt")]


def test_with_sms_off_the_settings_page_offers_a_link_by_e_mail_only(app, client):
    app.config["NOTIFY_CHANNEL_SMS"] = "off"

    page = client.get("/manage")
    refused = client.post("/manage", data={"csrf_token": csrf_token(page), "phone": "8 612 34567"})

    assert soup(page).select_one("#phone") is None
    assert text_of(page, "form button") == "Gauti nuorodą"
    assert text_of(refused, "#email-error") == "Klaida: Įveskite el. pašto adresą"


def test_with_sms_on_the_forms_still_take_a_phone(client, make_address):
    home = make_address(street="Antakalnio g.", number="10")
    assert soup(client.get("/subscribe", query_string={"address": home.code})).select_one("#phone") is not None
    assert soup(client.get("/manage")).select_one("#phone") is not None


def test_a_message_queued_for_a_phone_while_sms_is_off_waits_for_a_gateway(app):
    channel = channel_from_config("off", app.config)
    with pytest.raises(TemporaryFailure, match=r"^this channel is off \(NOTIFY_CHANNEL_SMS=off\)"):
        channel.send(None)


def test_with_sms_off_no_page_promises_an_sms(app, client, make_address):
    app.config["NOTIFY_CHANNEL_SMS"] = "off"
    home = make_address(street="Antakalnio g.", number="10")

    pages = [
        client.get(f"/address/{home.code}"),
        client.get("/subscribe", query_string={"address": home.code}),
        client.get(f"/address/{home.code}/notice"),
        client.get("/embed", query_string={"q": "Antakalnio g. 10"}),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert [("SMS" in page.get_data(as_text=True)) for page in pages] == [False, False, False, False]
    assert "Pranešime el. laišku, kai šiam namui" in pages[0].get_data(as_text=True)
