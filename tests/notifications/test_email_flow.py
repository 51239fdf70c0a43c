"""From the form to the confirmation, a reminder and the unsubscribe, through a real SMTP server."""

from datetime import timedelta

from app.notifications.models import OutboxMessage, OutboxStatus, Subscription
from app.timeutil import today_in_vilnius
from tests.helpers.html import csrf_token, soup
from tests.notifications.helpers import link_in, local, sign_up, stored

# Polish month names in the genitive, as a Polish reader expects them after a day number.
POLISH_MONTHS = (
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
)


def test_sign_up_confirm_reminder_and_one_click_unsubscribe(client, runner, real_channels, make_address, make_shutoff):
    mailbox, _gateway = real_channels
    home = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(
        home, first_day=today_in_vilnius() + timedelta(days=1), last_day=today_in_vilnius() + timedelta(days=3)
    )

    response = sign_up(client, address_codes=[home.code], email="Jonas@Example.LT")
    assert response.status_code == 303
    check = soup(client.get(response.headers["Location"]))
    assert "Patikrinkite el. paštą" in check.select_one("#check-email").text

    [confirmation] = mailbox.to("Jonas@example.lt")
    assert confirmation["Subject"] == "Patvirtinkite pranešimų užsakymą"
    body = confirmation.get_body(("plain",)).get_content()
    assert "Žirmūnų g. 12A" in body
    confirm_url = local(link_in(body, "/subscribe/confirm/"))

    # A link scanner's GET confirms nothing; the button does.
    page = client.get(confirm_url)
    assert page.status_code == 200
    [pending] = stored(Subscription)
    assert pending.confirmed_at is None
    confirmed = client.post(confirm_url, data={"csrf_token": csrf_token(page)})
    assert confirmed.status_code == 303
    manage_page = soup(client.get(confirmed.headers["Location"]))
    assert "Užsakymas patvirtintas" in manage_page.select_one("#confirmed").text

    result = runner.invoke(args=["notify", "send"])
    assert result.exit_code == 0, result.output
    assert "sent=1" in result.output
    reminder = mailbox.to("Jonas@example.lt")[-1]
    assert reminder["Subject"].startswith("Žirmūnų g. 12A: karšto vandens nebus")
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reminder["Message-ID"].startswith("<outbox-")
    assert "hidrauliniai bandymai" in reminder.get_body(("plain",)).get_content()
    assert reminder.get_body(("html",)) is not None
    [row] = stored(OutboxMessage, OutboxMessage.kind == "reminder")
    assert row.status == OutboxStatus.SENT
    assert "queued as" in row.provider_id

    # Running again sends nothing twice.
    assert "sent=0" in runner.invoke(args=["notify", "send"]).output

    # The mail client's one-click unsubscribe: a POST without a CSRF token, only the signed link.
    unsubscribe = local(reminder["List-Unsubscribe"].strip("<>"))
    one_click = client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 204
    [unsubscribed] = stored(Subscription)
    assert unsubscribed.unsubscribed_at is not None


def test_reminder_is_sent_in_the_subscribers_language(client, runner, real_channels, make_address, make_shutoff):
    mailbox, _gateway = real_channels
    home = make_address(street="Žirmūnų g.", number="3")
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    sign_up(client, address_codes=[home.code], email="anna@example.pl", language="pl")
    body = mailbox.messages[0].get_body(("plain",)).get_content()
    client.post(local(link_in(body, "/subscribe/confirm/")), data={"csrf_token": csrf_token(client.get("/subscribe"))})
    runner.invoke(args=["notify", "send"])
    # Words and dates follow the subscriber's language: "1 grudnia", not "gruodžio 1 d.".
    reminder = mailbox.messages[-1]
    shutoff_day = today_in_vilnius() + timedelta(days=1)
    expected_day = f"{shutoff_day.day} {POLISH_MONTHS[shutoff_day.month - 1]}"
    assert reminder["Subject"] == f"Žirmūnų g. 3: ciepłej wody nie będzie {expected_day}"


def test_refused_recipient_is_recorded_as_a_permanent_failure(client, runner, real_channels, make_address):
    mailbox, _gateway = real_channels
    mailbox.refuse.add("nobody@example.lt")
    home = make_address()
    assert sign_up(client, address_codes=[home.code], email="nobody@example.lt").status_code == 303
    [row] = stored(OutboxMessage)
    assert row.status == OutboxStatus.FAILED
    assert "550" in row.last_error
