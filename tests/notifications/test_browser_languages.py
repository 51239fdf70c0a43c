"""Signing up in each language in Chromium, and the messages as the console channel prints them, in that language.

Screenshots: screenshots/notifications/<language>-*.png (the form, the console's messages, the e-mail's HTML).
"""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest

from app.notifications import links
from app.notifications.channels.console import SENT
from app.notifications.models import Channel
from app.notifications.outbox import send_due
from app.notifications.tokens import Purpose
from app.timeutil import today_in_vilnius
from tests.helpers.axe import AXE, axe_violations
from tests.helpers.subscribers import add_subscriber

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "notifications"

# What the page and the messages say in each language (their own words, checked on screen).
WORDS = {
    "lt": ("Užsisakyti pranešimus", "Patvirtinkite pranešimų užsakymą", "karšto vandens nebus", "kodas"),
    "en": ("Sign up for alerts", "Confirm your alert sign-up", "no hot water on", "code"),
    "ru": ("Подписаться на уведомления", "Подтвердите подписку на уведомления", "горячей воды не будет", "kod"),
    "pl": ("Zapisz się na powiadomienia", "Potwierdź zapis na powiadomienia", "ciepłej wody nie będzie", "kod"),
}


def _console_page(page, printed: str, language: str, name: str) -> None:
    """Show what the console channel printed as a page of its own, and screenshot it."""
    page.goto("about:blank")  # not under the site's CSP
    page.set_content(
        f'<html lang="{language}"><body style="margin:16px;font:14px/1.4 monospace;background:#fff">'
        f'<pre style="white-space:pre-wrap">{html.escape(printed)}</pre></body></html>'
    )
    page.screenshot(path=str(SCREENSHOTS / f"{language}-{name}.png"), full_page=True)


def _link(text: str, path: str, server) -> str:
    url = re.search(rf"https?://\S+{re.escape(path)}\S+", text).group(0)
    return server.url + re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.parametrize("language", list(WORDS))
def test_a_resident_signs_up_in_their_language_and_every_message_speaks_it(
    app, live_server, page, make_address, make_shutoff, capsys, language
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_up_button, subject, reminder_words, code_word = WORDS[language]
    home = make_address(street="Gedimino pr.", number="9")
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1), days=2)
    SENT.clear()
    capsys.readouterr()

    page.goto(f"{live_server.url}/subscribe?address={home.code}&lang={language}")
    assert page.get_by_role("button", name=sign_up_button).is_visible()
    page.locator("input[name=email]").fill("jonas@example.lt")
    page.locator("input[name=phone]").fill("8 612 34567")
    page.locator("input[name=hot_water_back]").check()
    page.locator("input[name=consent]").check()
    page.screenshot(path=str(SCREENSHOTS / f"{language}-1-form.png"), full_page=True)
    # Enter in the phone field sends the sign-up (not "add building").
    page.locator("input[name=phone]").press("Enter")
    page.wait_for_url("**/subscribe/check")
    assert page.locator("#check-email").is_visible()
    assert page.locator("#check-phone").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"{language}-2-check.png"), full_page=True)

    email, sms = sorted(SENT, key=lambda m: m.to.startswith("+"))
    assert email.subject == subject
    assert code_word in sms.text.lower()
    _console_page(page, capsys.readouterr().out, language, "3-console-confirmations")
    page.goto("about:blank")  # the e-mail's inline styles, as a mail reader shows them
    page.set_content(email.html)
    page.screenshot(path=str(SCREENSHOTS / f"{language}-4-confirmation-email.png"), full_page=True)

    page.goto(_link(email.text, "/subscribe/confirm/", live_server))
    page.locator("main form button").click()
    assert page.locator("#confirmed").is_visible()
    assert page.locator("html").get_attribute("lang") == language
    page.screenshot(path=str(SCREENSHOTS / f"{language}-5-settings.png"), full_page=True)

    with app.app_context():
        assert send_due()[1].sent == 1
    assert reminder_words in SENT[-1].subject
    _console_page(page, capsys.readouterr().out, language, "6-console-reminder")


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script tag; the site's strict CSP would (rightly) refuse it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="lt-LT")
    yield context.new_page()
    context.close()


def test_the_notification_pages_pass_axe(app, live_server, axe_page, make_address):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    home = make_address(street="Gedimino pr.", number="9")
    with app.app_context():
        sub = add_subscriber(Channel.SMS, "+37061234599", home.code)
        manage = f"/manage/{links.token(sub, Purpose.MANAGE)}"
        short = f"/u/{sub.id}.{sub.short_link_secret}"
    page = axe_page
    page.goto(f"{live_server.url}/subscribe?address={home.code}")
    page.locator("input[name=phone]").fill("8 612 34567")
    page.locator("input[name=consent]").check()
    page.locator("input[name=phone]").press("Enter")
    page.wait_for_url("**/subscribe/check")
    found = {"/subscribe/check": axe_violations(page)}
    for path in (
        "/subscribe",
        f"/subscribe?address={home.code}",
        "/subscribe/code",
        manage,
        short,
        "/manage",
        "/manage/x",
    ):
        page.goto(live_server.url + path)
        found[path] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}
