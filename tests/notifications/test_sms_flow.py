"""SMS double opt-in with a 6-digit code, reminders in one GSM-7 segment, gateway failures."""

import re
from datetime import timedelta

from app.extensions import db
from app.notifications.models import OutboxMessage, OutboxStatus, Subscription
from app.notifications.outbox import send_due
from app.notifications.sms_text import is_gsm7, septets
from app.timeutil import today_in_vilnius, utcnow
from tests.helpers.html import csrf_token, soup, text_of
from tests.notifications.helpers import local, sign_up, stored


def _code_from(gateway) -> str:
    return re.search(r"\b(\d{6})\b", gateway.requests[-1]["json"]["text"]).group(1)


def _code_page(client, response) -> str:
    check = soup(client.get(response.headers["Location"]))
    return check.select_one("#check-phone form")["action"]


def test_phone_sign_up_is_confirmed_with_the_code_from_the_sms(client, real_channels, make_address):
    _mailbox, gateway = real_channels
    home = make_address(street="Antakalnio g.", number="10")
    response = sign_up(client, address_codes=[home.code], phone="8 612 34567")
    request = gateway.requests[0]
    assert request["headers"]["Authorization"] == "Bearer gateway-secret"
    assert request["json"]["to"] == "+37061234567"
    assert request["json"]["from"] == "VST"
    assert request["headers"]["Idempotency-Key"] == request["json"]["reference"]
    [sub] = stored(Subscription)
    assert len(sub.code_hash) == 64
    assert _code_from(gateway) not in sub.code_hash

    action = _code_page(client, response)
    page = client.get(action)
    done = client.post(action, data={"csrf_token": csrf_token(page), "code": _code_from(gateway)})
    assert done.status_code == 303
    assert "Užsakymas patvirtintas" in soup(client.get(done.headers["Location"])).text
    assert db.session.get(Subscription, sub.id).confirmed_at is not None


def test_five_wrong_codes_lock_the_sign_up(client, real_channels, make_address):
    _mailbox, gateway = real_channels
    response = sign_up(client, address_codes=[make_address().code], phone="+37061234567")
    action = _code_page(client, response)
    token = csrf_token(client.get(action))
    right = _code_from(gateway)
    wrong = "000000" if right != "000000" else "111111"
    messages = []
    for _ in range(5):
        page = soup(client.post(action, data={"csrf_token": token, "code": wrong}))
        messages.append(page.select_one(".error-message").text)
    assert "Kodas neteisingas" in messages[0]
    assert "Per daug bandymų" in messages[-1]
    page = soup(client.post(action, data={"csrf_token": token, "code": right}))
    assert "Per daug bandymų" in page.select_one(".error-message").text
    [sub] = stored(Subscription)
    assert sub.confirmed_at is None


def test_an_expired_code_is_refused(client, real_channels, make_address):
    _mailbox, gateway = real_channels
    response = sign_up(client, address_codes=[make_address().code], phone="+37061234567")
    [sub] = stored(Subscription)
    sub.code_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    action = _code_page(client, response)
    answer = client.post(action, data={"csrf_token": csrf_token(client.get(action)), "code": _code_from(gateway)})
    [still_pending] = stored(Subscription)
    assert still_pending.confirmed_at is None
    assert answer.status_code == 200
    assert text_of(answer, ".error-message") == "Klaida: Kodas nebegalioja. Paprašykite naujo kodo"


def _confirmed_phone(client, gateway, address_codes) -> Subscription:
    response = sign_up(client, address_codes=address_codes, phone="+37061234567")
    action = _code_page(client, response)
    client.post(action, data={"csrf_token": csrf_token(client.get(action)), "code": _code_from(gateway)})
    [sub] = stored(Subscription, Subscription.confirmed_at.is_not(None))
    return sub


def test_reminder_sms_is_one_gsm7_segment_that_says_how_to_stop(client, real_channels, make_address, make_shutoff):
    _mailbox, gateway = real_channels
    home = make_address(street="Pilaitės pr.", number="16", block="2")
    make_shutoff(
        home, first_day=today_in_vilnius() + timedelta(days=1), last_day=today_in_vilnius() + timedelta(days=4)
    )
    _confirmed_phone(client, gateway, [home.code])
    _planned, stats = send_due()
    assert stats.sent == 1
    text = gateway.requests[-1]["json"]["text"]
    assert is_gsm7(text)
    assert septets(text) <= 160
    assert "Pilaites pr. 16 K2" in text  # ė → e
    stop = re.search(r"Atsisakyti: (\S+)", text).group(1)
    assert "Atsisakyti pranešimų" in client.get(local(stop), follow_redirects=True).text


def test_gateway_errors_are_retried_with_backoff_then_recorded(client, real_channels, make_address, make_shutoff):
    _mailbox, gateway = real_channels
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    _confirmed_phone(client, gateway, [home.code])

    gateway.status = 503
    _planned, stats = send_due()
    assert stats.retried == 1
    [row] = stored(OutboxMessage, OutboxMessage.kind == "reminder")
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at > utcnow()
    assert send_due()[1].retried == 0  # not due again yet

    row.next_attempt_at = utcnow()
    db.session.commit()
    gateway.status = 400
    assert send_due()[1].failed == 1
    [row] = stored(OutboxMessage, OutboxMessage.kind == "reminder")
    assert row.status == OutboxStatus.FAILED
    assert "400" in row.last_error


def test_gateway_reply_id_is_recorded_as_the_provider_id(client, real_channels, make_address):
    sign_up(client, address_codes=[make_address().code], phone="+37061234567")
    [row] = stored(OutboxMessage)
    assert row.provider_id == "sms-1"
