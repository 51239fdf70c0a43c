"""Delivery status as GOV.UK Notify keeps it: SMS receipts on a signed callback URL, refusals that stop further
messages to a contact, and the staff page of sent / delivered / failed per day and channel."""

from datetime import timedelta

import pytest

from app.admin.accounts import create_staff_user
from app.extensions import db
from app.notifications.models import Channel, DeliveryStatus, MessageKind, OutboxMessage, OutboxStatus, Subscription
from app.notifications.outbox import send_due
from app.notifications.outbox.planning import plan_reminders
from app.timeutil import today_in_vilnius, utcnow
from tests.helpers.html import csrf_token, soup, text_of
from tests.helpers.subscribers import add_sent_reminder, add_subscriber
from tests.notifications.helpers import stored

TOKEN = "receipts-4f1c9a7e2b"


@pytest.fixture
def receipts(app):
    app.config["SMS_RECEIPT_TOKEN"] = TOKEN
    return f"/notify/receipts/sms/{TOKEN}"


def _sent_sms(make_address, make_shutoff, provider_id="gw-81", digest_of=1) -> list[OutboxMessage]:
    homes = [make_address(number=str(n)) for n in range(1, digest_of + 1)]
    sub = add_subscriber(Channel.SMS, "+37061234567", *(h.code for h in homes))
    rows = [add_sent_reminder(sub, make_shutoff(home, starts_in=3)) for home in homes]
    for row in rows:
        row.provider_id, row.attempted_at = provider_id, row.sent_at
    db.session.commit()
    return rows


@pytest.mark.parametrize("token", ["wrong", TOKEN[:-1], TOKEN + "x"])
def test_a_receipt_without_the_callback_secret_is_a_404_and_changes_nothing(
    client, receipts, make_address, make_shutoff, token
):
    [row] = _sent_sms(make_address, make_shutoff)
    answer = client.post(f"/notify/receipts/sms/{token}", json={"reference": f"outbox-{row.id}", "status": "delivered"})
    assert answer.status_code == 404
    assert db.session.get(OutboxMessage, row.id).delivery_status is None


def test_without_a_callback_secret_in_the_settings_there_is_no_callback(client, app):
    app.config["SMS_RECEIPT_TOKEN"] = ""
    assert client.post("/notify/receipts/sms/", json={"status": "delivered"}).status_code == 404
    assert client.post("/notify/receipts/sms/x", json={"status": "delivered"}).status_code == 404


def test_a_delivered_receipt_is_recorded_on_the_message_by_our_reference(client, receipts, make_address, make_shutoff):
    [row] = _sent_sms(make_address, make_shutoff)
    answer = client.post(receipts, json={"reference": f"outbox-{row.id}", "id": "gw-81", "status": "delivered"})
    assert (answer.status_code, answer.json) == (200, {"recorded": 1})
    row = db.session.get(OutboxMessage, row.id)
    assert (row.delivery_status, row.delivered_at is not None) == (DeliveryStatus.DELIVERED, True)


def test_a_receipt_for_a_digest_is_recorded_on_every_building_of_it(client, receipts, make_address, make_shutoff):
    rows = _sent_sms(make_address, make_shutoff, provider_id="gw-digest", digest_of=3)
    answer = client.post(receipts, json={"reference": f"digest-{rows[0].id}", "status": "delivered"})
    assert answer.json == {"recorded": 3}


def test_a_permanent_failure_stops_every_message_to_the_number_until_it_signs_up_anew(
    client, receipts, make_address, make_shutoff
):
    _sent_sms(make_address, make_shutoff)
    answer = client.post(
        receipts, json={"id": "gw-81", "status": "permanent-failure", "error": "number does not exist"}
    )
    assert answer.json == {"recorded": 1}
    [sub] = stored(Subscription)
    assert sub.undeliverable_reason == "number does not exist"
    make_shutoff(sub.addresses[0].address, starts_in=1)
    assert plan_reminders(today_in_vilnius(), utcnow()) == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"status": "delivered"}, "a receipt needs a reference or an id"),
        ({"id": "gw-81", "status": "read"}, "status must be one of delivered, temporary-failure, permanent-failure"),
        (["outbox-1"], "expected a JSON object"),
    ],
)
def test_a_receipt_that_cannot_be_read_is_a_400(client, receipts, body, error):
    answer = client.post(receipts, json=body)
    assert (answer.status_code, answer.json) == (400, {"error": error})


def test_a_mailbox_the_server_refuses_gets_nothing_more_until_it_signs_up_anew(
    real_channels, make_address, make_shutoff
):
    mailbox, _gateway = real_channels
    home, other = make_address(number="1"), make_address(number="2")
    make_shutoff(home, starts_in=1)
    make_shutoff(other, starts_in=1)
    refused = add_subscriber(Channel.EMAIL, "nera@example.lt", home.code)
    add_subscriber(Channel.EMAIL, "ona@example.lt", home.code)
    mailbox.refuse.add("nera@example.lt")

    assert send_due()[1].failed == 1

    refused = db.session.get(Subscription, refused.id)
    assert refused.undeliverable_reason.startswith(
        "recipient refused: {'nera@example.lt': (550, b'5.1.1 No such user')"
    )
    refused.addresses.append(type(refused.addresses[0])(address_code=other.code))
    db.session.commit()
    assert plan_reminders(today_in_vilnius(), utcnow()) == 0  # ona's reminder was sent; nothing for the refused one


def _staff_client(app, client):
    create_staff_user("darbuotoja@vst.lt", "ilgas-slaptazodis-1")
    token = csrf_token(client.get("/admin/login"))
    client.post(
        "/admin/login", data={"csrf_token": token, "email": "darbuotoja@vst.lt", "password": "ilgas-slaptazodis-1"}
    )
    return client


def test_the_staff_menu_leads_to_the_delivery_page(app, client):
    dashboard = _staff_client(app, client).get("/admin/")
    links = {a.get_text(): a["href"] for a in soup(dashboard).select(".admin-nav a")}
    assert links["Pranešimų pristatymas"] == "/admin/notifications/"


def test_the_delivery_page_needs_the_staff_sign_in(client):
    answer = client.get("/admin/notifications/")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/admin/login?next=/admin/notifications/")


def test_the_delivery_page_counts_sent_delivered_and_failed_per_day_and_channel(
    app, client, make_address, make_shutoff
):
    home = make_address()
    email = add_subscriber(Channel.EMAIL, "jonas@example.lt", home.code)
    sms = add_subscriber(Channel.SMS, "+37061234567", home.code)
    now = utcnow()
    rows = [
        (email, OutboxStatus.SENT, None, now),
        (email, OutboxStatus.SENT, None, now),
        (email, OutboxStatus.FAILED, None, now),
        (sms, OutboxStatus.SENT, DeliveryStatus.DELIVERED, now),
        (sms, OutboxStatus.SENT, DeliveryStatus.PERMANENT_FAILURE, now - timedelta(days=1)),
        (sms, OutboxStatus.PENDING, None, now),  # waiting for a retry: not counted
        (email, OutboxStatus.SENT, None, now - timedelta(days=31)),  # older than 30 days
    ]
    for n, (sub, status, delivery, at) in enumerate(rows):
        db.session.add(
            OutboxMessage(
                subscription_id=sub.id,
                kind=MessageKind.MANAGE,
                variant=str(n),
                status=status,
                delivery_status=delivery,
                attempted_at=at,
            )
        )
    db.session.commit()

    page = _staff_client(app, client).get("/admin/notifications/")

    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    table = soup(page).select("#delivery tbody tr")
    assert len(table) == 30
    today, yesterday = today_in_vilnius(), today_in_vilnius() - timedelta(days=1)
    by_day = {row.th.get_text(): [td.get_text() for td in row.select("td")] for row in table}
    assert by_day[today.isoformat()] == ["2", "–", "1", "1", "1", "0"]
    assert by_day[yesterday.isoformat()] == ["0", "–", "0", "1", "0", "1"]
    assert text_of(page, "#total-email-sent") == "2"
    assert text_of(page, "#total-sms-failed") == "1"
