"""Least privilege: each link opens one thing, nothing is handed to someone who has not proven the contact."""

import base64
import json
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.notifications import links
from app.notifications.channels.console import SENT
from app.notifications.models import Channel, Subscription
from app.notifications.tokens import Purpose
from tests.helpers.html import csrf_token, soup, text_of
from tests.helpers.subscribers import add_subscriber
from tests.notifications.helpers import link_in, local, sign_up, stored

VICTIM = "+37061234567"


def readable_secrets(text: str) -> list[list]:
    """The [id, secret] payloads of every signed token in `text` (itsdangerous payloads are readable base64)."""
    found = []
    for payload in re.findall(r"\b([A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{4,}", text):
        try:
            value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            continue
        if isinstance(value, list):
            found.append(value)
    return found


def test_the_phone_takeover_chain_breaks_at_its_first_step(client, make_address):
    """Typing someone's number into the sign-up used to hand out a token whose payload opened the SMS short link
    → the unsubscribe page → the manage page → "delete all my data" of that number. Five requests, no code."""
    home = make_address()
    victim = add_subscriber(Channel.SMS, VICTIM, home.code)

    step_1 = sign_up(client, address_codes=[home.code], phone="8 612 34567")
    handed_out = readable_secrets(step_1.headers["Location"] + client.get(step_1.headers["Location"]).text)

    assert handed_out == []
    assert step_1.headers["Location"] == "/subscribe/check"
    # Whatever the attacker tries next with the ids it can guess: the pending row it made and the victim's.
    pending = stored(Subscription, Subscription.confirmed_at.is_(None))[0]
    for guess in (pending.id, victim.id):
        assert client.get(f"/u/{guess}.{pending.confirm_secret}").status_code == 410
    [still_there] = stored(Subscription, Subscription.confirmed_at.is_not(None))
    assert (still_there.id, still_there.unsubscribed_at) == (victim.id, None)


def _confirmed_email(client, make_address) -> Subscription:
    home = make_address()
    sub = add_subscriber(Channel.EMAIL, "jonas@example.lt", home.code)
    return sub


@pytest.mark.parametrize(
    ("purpose", "opens"),
    [
        (Purpose.UNSUBSCRIBE, {"unsubscribe": 200, "manage": 404, "confirm": 404}),
        (Purpose.MANAGE, {"unsubscribe": 404, "manage": 200, "confirm": 404}),
    ],
)
def test_a_link_opens_only_its_own_page(client, make_address, purpose, opens):
    sub = _confirmed_email(client, make_address)
    token = links.token(sub, purpose)
    pages = {
        "unsubscribe": f"/unsubscribe/{token}",
        "manage": f"/manage/{token}",
        "confirm": f"/subscribe/confirm/{token}",
    }
    assert {name: client.get(url).status_code for name, url in pages.items()} == opens


def test_no_link_shows_the_secret_of_another(client, make_address):
    sub = _confirmed_email(client, make_address)
    shown = {purpose: readable_secrets(links.token(sub, purpose))[0][1] for purpose in Purpose}
    assert len({*shown.values(), sub.short_link_secret}) == 4
    unsubscribe_secret = shown[Purpose.UNSUBSCRIBE]
    assert client.get(f"/u/{sub.id}.{unsubscribe_secret}").status_code == 410  # not the SMS link's secret


def test_the_unsubscribe_pages_lead_to_no_settings(client, make_address):
    sub = _confirmed_email(client, make_address)
    for url in (f"/unsubscribe/{links.token(sub, Purpose.UNSUBSCRIBE)}", f"/u/{sub.id}.{sub.short_link_secret}"):
        hrefs = [a["href"] for a in soup(client.get(url)).select("main a[href]")]
        assert hrefs == ["/manage"], url  # only "ask for a settings link", which goes to the contact


def test_unsubscribing_uses_up_both_unsubscribe_links(client, make_address):
    sub = _confirmed_email(client, make_address)
    email_link, sms_link = (
        f"/unsubscribe/{links.token(sub, Purpose.UNSUBSCRIBE)}",
        f"/u/{sub.id}.{sub.short_link_secret}",
    )
    assert client.post(email_link, data={"List-Unsubscribe": "One-Click"}).status_code == 204
    assert db.session.get(Subscription, sub.id).unsubscribed_at is not None
    assert client.get(email_link).status_code == 410
    gone = client.get(sms_link)
    assert gone.status_code == 410
    assert text_of(gone, "h1") == "Nuoroda nebegalioja"


def test_a_confirmation_link_confirms_once(client, make_address):
    SENT.clear()
    sign_up(client, address_codes=[make_address().code], email="jonas@example.lt")
    url = local(link_in(SENT[-1].text, "/subscribe/confirm/"))
    assert client.post(url, data={"csrf_token": csrf_token(client.get(url))}).status_code == 303
    assert client.get(url).status_code == 410


def test_a_manage_link_works_for_90_days_then_asks_for_a_new_one(client, make_address, monkeypatch):
    sub = _confirmed_email(client, make_address)
    made_at = 1_800_000_000
    monkeypatch.setattr("time.time", lambda: made_at)
    url = f"/manage/{links.token(sub, Purpose.MANAGE)}"
    monkeypatch.setattr("time.time", lambda: made_at + 90 * 86400 - 60)
    assert client.get(url).status_code == 200
    monkeypatch.setattr("time.time", lambda: made_at + 90 * 86400 + 60)
    expired = client.get(url)
    assert expired.status_code == 410
    assert soup(expired).select_one("main a.button")["href"] == "/manage"


def _ask_for_settings(client, **contact):
    """Post the form and close the answer, as a server does once it has sent it: the message goes only then."""
    page = client.get("/manage")
    answer = client.post("/manage", data={"csrf_token": csrf_token(page), "email": "", "phone": "", **contact})
    answer.close()
    return answer


def test_asking_for_a_settings_link_answers_the_same_whether_the_contact_is_subscribed(client, make_address):
    sub = _confirmed_email(client, make_address)
    SENT.clear()
    known = _ask_for_settings(client, email="Jonas@example.lt")
    unknown = _ask_for_settings(client, email="petras@example.lt")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"] == "/manage/sent"
    assert [message.to for message in SENT] == ["jonas@example.lt"]
    [message] = SENT
    assert message.subject == "Nuoroda į jūsų pranešimų nustatymus"
    settings = client.get(local(link_in(message.text, "/manage/")))
    assert settings.status_code == 200
    assert text_of(settings, "h1") == "Pranešimų nustatymai"
    assert db.session.get(Subscription, sub.id).unsubscribed_at is None


def test_the_link_is_sent_only_after_the_answer_has_gone_out(client, make_address):
    _confirmed_email(client, make_address)
    SENT.clear()
    page = client.get("/manage")
    answer = client.post("/manage", data={"csrf_token": csrf_token(page), "email": "jonas@example.lt", "phone": ""})
    assert answer.headers["Location"] == "/manage/sent"
    assert list(SENT) == []  # the answer took no longer for a subscribed contact than for an unknown one
    answer.close()
    assert [message.to for message in SENT] == ["jonas@example.lt"]


def test_an_sms_subscriber_gets_to_the_settings_with_a_code_sent_to_the_phone(client, make_address):
    home = make_address()
    add_subscriber(Channel.SMS, VICTIM, home.code)
    SENT.clear()
    asked = _ask_for_settings(client, phone="8 612 34567")
    assert asked.headers["Location"] == "/manage/code"
    page = client.get("/manage/code")
    assert "+370•••••567" in text_of(page, "main p")
    [sms] = SENT
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)
    assert sms.text.startswith(f"Karstas vanduo: kodas pranesimu nustatymams {code}.")
    opened = client.post("/manage/code", data={"csrf_token": csrf_token(page), "code": code})
    assert opened.status_code == 303
    assert text_of(client.get(opened.headers["Location"]), "h1") == "Pranešimų nustatymai"
    # The code is used up.
    assert stored(Subscription)[0].code_hash is None
    again = client.post("/manage/code", data={"csrf_token": csrf_token(page), "code": code})
    assert again.headers["Location"] == "/manage"


def test_a_phone_not_subscribed_gets_the_same_code_page_and_no_code_opens_it(client):
    SENT.clear()
    asked = _ask_for_settings(client, phone="8 612 34567")
    assert asked.headers["Location"] == "/manage/code"
    page = client.get("/manage/code")
    wrong = client.post("/manage/code", data={"csrf_token": csrf_token(page), "code": "123456"})
    assert text_of(wrong, ".error-message") == (
        "Klaida: Kodas netinka: jis neteisingas, nebegalioja arba per daug kartų bandyta. "
        "Patikrinkite SMS žinutę arba paprašykite naujo kodo"
    )
    assert list(SENT) == []


def _six_wrong_settings_codes(client, phone: str) -> list[str]:
    _ask_for_settings(client, phone=phone)
    page = client.get("/manage/code")
    answers = [client.post("/manage/code", data={"csrf_token": csrf_token(page), "code": "000000"}) for _ in range(6)]
    return [text_of(answer, ".error-message") for answer in answers]


def test_wrong_settings_codes_read_the_same_for_a_subscribed_and_an_unknown_phone(client, make_address):
    """Five wrong tries used to turn into "too many tries" for a subscribed number only: whoever typed a number
    learnt whether it has a subscription."""
    add_subscriber(Channel.SMS, VICTIM, make_address().code)
    subscribed = _six_wrong_settings_codes(client, VICTIM)
    unknown = _six_wrong_settings_codes(client, "+37061234598")
    assert subscribed == unknown
    assert set(unknown) == {
        "Klaida: Kodas netinka: jis neteisingas, nebegalioja arba per daug kartų bandyta. "
        "Patikrinkite SMS žinutę arba paprašykite naujo kodo"
    }


@pytest.mark.parametrize("path", ["/u/%C2%B2.abc", "/u/%D9%A3.abc", "/u/1.", "/u/.abc", "/u/99999999999999.abc"])
def test_an_odd_short_link_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_the_check_page_shows_only_the_masked_contact_this_browser_signed_up_with(client, make_address):
    sign_up(client, address_codes=[make_address().code], email="jonas@example.lt")
    page = client.get("/subscribe/check", query_string={"email": "Call +370 600 00000 to claim your refund"})
    assert "refund" not in text_of(page, "main")
    assert (
        text_of(page, "#check-email p")
        == "Išsiuntėme laišką adresu j•••@example.lt. Paspauskite jame esančią nuorodą per 48 valandas."
    )


def test_the_check_page_of_a_browser_that_signed_up_for_nothing_names_no_contact(client):
    page = client.get("/subscribe/check", query_string={"email": "j•••@example.lt"})
    assert "@" not in text_of(page, "main")


def _token_pages(client, make_address) -> list[str]:
    sub = _confirmed_email(client, make_address)
    sign_up(client, address_codes=[make_address(number="2").code], phone="+37061234599")
    pending = stored(Subscription, Subscription.confirmed_at.is_(None))[0]
    manage = links.token(sub, Purpose.MANAGE)
    _ask_for_settings(client, phone="+37061234599")
    return [
        f"/subscribe/confirm/{links.token(pending, Purpose.CONFIRM)}",
        "/subscribe/check",
        "/subscribe/code",
        f"/unsubscribe/{links.token(sub, Purpose.UNSUBSCRIBE)}",
        f"/u/{sub.id}.{sub.short_link_secret}",
        f"/manage/{manage}",
        f"/manage/{manage}/delete",
        "/manage/code",
    ]


def test_pages_opened_by_a_secret_are_never_cached(client, make_address):
    pages = _token_pages(client, make_address)
    answers = {url: client.get(url) for url in pages}
    assert {url: (r.status_code, r.headers.get("Cache-Control")) for url, r in answers.items()} == {
        url: (200, "no-store") for url in pages
    }


def test_delete_all_my_data_deletes_what_the_link_names_and_the_contacts_unconfirmed_sign_ups(client, make_address):
    home, other = make_address(), make_address(number="2")
    sub = add_subscriber(Channel.SMS, VICTIM, home.code)
    someone_else = add_subscriber(Channel.SMS, "+37061234599", home.code)
    sign_up(client, address_codes=[other.code], phone="8 612 34567")  # pending, never confirmed
    url = f"/manage/{links.token(sub, Purpose.MANAGE)}/delete"
    assert client.post(url, data={"csrf_token": csrf_token(client.get(url))}).status_code == 303
    assert [s.id for s in stored(Subscription)] == [someone_else.id]


def test_a_new_sign_up_of_a_contact_the_provider_refused_makes_it_deliverable_again(client, make_address):
    SENT.clear()
    home = make_address()
    sub = add_subscriber(Channel.EMAIL, "jonas@example.lt", home.code)
    sub.undeliverable_at = sub.confirmed_at + timedelta(days=1)
    sub.undeliverable_reason = "550 5.1.1 No such user"
    db.session.commit()
    sign_up(client, address_codes=[home.code], email="jonas@example.lt")
    url = local(link_in(SENT[-1].text, "/subscribe/confirm/"))
    client.post(url, data={"csrf_token": csrf_token(client.get(url))})
    [again] = stored(Subscription)
    assert (again.id, again.undeliverable_at, again.undeliverable_reason) == (sub.id, None, None)
