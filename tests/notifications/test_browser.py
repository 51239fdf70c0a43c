"""The whole sign-up in Chromium with the console channel: form, e-mail link, button, settings, unsubscribe."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from app.notifications.channels.console import SENT
from app.notifications.outbox import send_due
from app.timeutil import today_in_vilnius

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "notifications"


def _link(text: str, path: str, server) -> str:
    url = re.search(rf"https?://\S+{re.escape(path)}\S+", text).group(0)
    return server.url + re.sub(r"^https?://[^/]+", "", url)


def test_a_resident_signs_up_confirms_gets_a_reminder_and_unsubscribes(
    app, live_server, page, make_address, make_shutoff
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    home = make_address(street="Žirmūnų g.", number="12A")
    make_address(street="Antakalnio g.", number="10")
    make_shutoff(
        home, first_day=today_in_vilnius() + timedelta(days=1), last_day=today_in_vilnius() + timedelta(days=3)
    )
    SENT.clear()

    page.goto(f"{live_server.url}/subscribe?address={home.code}")
    assert page.get_by_label("Žirmūnų g. 12A").is_checked()
    page.get_by_label("Pridėti kitą pastatą").fill("antakalnio 10")
    page.get_by_role("button", name="Pridėti pastatą").click()
    assert page.get_by_label("Antakalnio g. 10").is_checked()

    page.get_by_role("button", name="Užsisakyti pranešimus").click()
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Klaida:")
    page.screenshot(path=str(SCREENSHOTS / "01-form-errors.png"), full_page=True)

    page.get_by_label("El. pašto adresas").fill("jonas@example.lt")
    page.locator("input[name=consent]").check()
    page.screenshot(path=str(SCREENSHOTS / "02-form-filled.png"), full_page=True)
    page.get_by_role("button", name="Užsisakyti pranešimus").click()
    assert page.get_by_role("heading", name="Patikrinkite el. paštą").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "03-check-email.png"), full_page=True)

    [confirmation] = list(SENT)
    assert "Antakalnio g. 10" in confirmation.text
    page.goto(_link(confirmation.text, "/subscribe/confirm/", live_server))
    page.screenshot(path=str(SCREENSHOTS / "04-confirm-button.png"), full_page=True)
    page.get_by_role("button", name="Taip, noriu gauti pranešimus").click()
    assert page.locator("#confirmed").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "05-settings-confirmed.png"), full_page=True)

    with app.app_context():
        assert send_due()[1].sent == 1
    reminder = SENT[-1]
    assert reminder.subject.startswith("Žirmūnų g. 12A: karšto vandens nebus")

    page.goto(_link(reminder.text, "/unsubscribe/", live_server))
    page.screenshot(path=str(SCREENSHOTS / "06-unsubscribe-button.png"), full_page=True)
    page.get_by_role("button", name="Atsisakyti pranešimų").click()
    assert page.get_by_role("heading", name="Pranešimų atsisakėte").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "07-unsubscribed.png"), full_page=True)


def test_an_address_typed_but_not_found_is_explained_when_the_form_is_sent(live_server, page, make_address):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    home = make_address(street="Žirmūnų g.", number="12A")
    page.goto(f"{live_server.url}/subscribe?address={home.code}")
    page.get_by_label("Pridėti kitą pastatą").fill("Nėra tokios g. 999")
    page.get_by_label("El. pašto adresas").fill("jonas@example.lt")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Užsisakyti pranešimus").click()
    assert page.title().startswith("Klaida:")
    assert page.locator(".error-summary a[href='#new_address']").inner_text() == (
        "Tokio pastato neradome. Patikslinkite adresą, pavyzdžiui, Žirmūnų g. 12A"
    )
    assert page.get_by_label("Žirmūnų g. 12A").is_checked()
    page.screenshot(path=str(SCREENSHOTS / "08-typed-address-not-found.png"), full_page=True)
