"""The address box in a real Chromium: a street picked from the suggestions keeps helping to its house, and
another city gets the answer that says where the service works."""

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "addresses"


@pytest.fixture
def street(make_address):
    for number in ("1", "1A", "10", "12", "2"):
        make_address(street="Žirmūnų g.", number=number)
    make_address(street="Savanorių pr.", number="13")


def test_a_street_picked_from_the_suggestions_goes_on_to_its_houses(live_server, page, street):
    page.goto(live_server.url + "/")
    box = page.locator("#q")
    box.press_sequentially("zirm", delay=20)
    page.locator("#q-listbox").wait_for(state="visible")
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Žirmūnų g. "
    box.press_sequentially("1", delay=20)
    expect(page.locator("#q-listbox [role=option]")).to_have_count(4)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "suggest-after-digit-lt.png"))
    options = page.locator("#q-listbox [role=option]").all_inner_texts()
    assert options == ["Žirmūnų g. 1", "Žirmūnų g. 1A", "Žirmūnų g. 10", "Žirmūnų g. 12"]


def test_another_city_is_told_the_service_covers_vilnius_only(live_server, page, street):
    page.goto(live_server.url + "/?q=Kaunas%2C+Savanori%C5%B3+pr.+13")
    assert page.locator(".result__title").inner_text() == "Šis adresas ne Vilniaus mieste"
    assert page.locator(".result a[href='tel:1840']").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "outside-area-lt.png"), full_page=True)
