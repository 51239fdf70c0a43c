"""The resident site in a real Chromium: search, language, calendar, notice, accessibility, screenshots."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from app.shutoffs.models import ShutoffKind, ShutoffStatus

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots" / "site"


@pytest.fixture
def street(make_address, make_shutoff, today):
    """A small street: 12A has a hydraulic test on 3–5 June, a moved repair and a cancelled one."""
    numbers = ("10", "12", "12A", "14", "16", "20A", "20B")
    buildings = {n: make_address(street="Žirmūnų g.", number=n) for n in numbers}
    make_address(street="Gedimino pr.", number="9")
    target = buildings["12A"]
    make_shutoff(target, date(2026, 6, 3), date(2026, 6, 5), note="Planiniai vamzdynų hidrauliniai bandymai")
    make_shutoff(
        target,
        date(2026, 6, 22),
        date(2026, 6, 23),
        kind=ShutoffKind.REPAIR,
        status=ShutoffStatus.MOVED,
        moved_from=(date(2026, 6, 15), date(2026, 6, 16)),
    )
    make_shutoff(target, date(2026, 7, 8), kind=ShutoffKind.RECONSTRUCTION, status=ShutoffStatus.CANCELLED)
    make_shutoff(target, date(2026, 5, 12), date(2026, 5, 13), kind=ShutoffKind.REPAIR)
    return buildings


def search(page, text: str) -> None:
    page.fill("#q", text)
    page.press("#q", "Escape")  # close suggestions, if any, so Enter submits what was typed
    page.fill("#q", text)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()


def test_a_search_with_a_typo_reaches_the_right_building(live_server, page, street):
    page.goto(live_server.url + "/")
    search(page, "zirmuno 12a")
    assert page.locator(".result__title").inner_text() == "Žirmūnų g. 12A"
    assert "birželio 3–5 d." in page.locator(".answer__headline").inner_text()
    page.get_by_role("link", name="Namo puslapis").click()
    assert page.url == f"{live_server.url}/address/{street['12A'].code}"
    assert page.locator("h1").inner_text() == "Žirmūnų g. 12A"


def test_the_same_search_works_with_javascript_off(live_server, browser, street):
    context = browser.new_context(java_script_enabled=False, locale="lt-LT")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.fill("#q", "zirmuno 12a")
        page.press("#q", "Enter")
        page.wait_for_load_state()
        assert page.locator(".result__title").inner_text() == "Žirmūnų g. 12A"
        assert page.locator("#q").get_attribute("role") is None  # not enhanced: plain text box
        page.get_by_role("link", name="Namo puslapis").click()
        assert page.locator("h1").inner_text() == "Žirmūnų g. 12A"
    finally:
        context.close()


def test_an_empty_search_focuses_the_error_summary_which_links_to_the_box(live_server, page, street):
    page.goto(live_server.url + "/")
    page.click("form[role=search] button[type=submit]")
    assert page.title().startswith("Klaida:")
    assert page.locator(".error-summary a").inner_text() == "Įveskite adresą"
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "q"


def test_the_autocomplete_offers_buildings_and_picks_one_with_the_keyboard(live_server, page, street):
    probe = page.request.get(live_server.url + "/api/v1/suggest?q=zirm")
    if probe.status != 200:
        pytest.skip("the suggest API is not there yet")
    page.goto(live_server.url + "/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox"
    box.press_sequentially("zirmunu 12", delay=20)
    listbox = page.locator("#q-listbox")
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "autocomplete-lt-1280.png"))
    options = page.locator("#q-listbox [role=option]")
    assert "Žirmūnų g. 12A" in options.all_inner_texts()
    while (
        box.get_attribute("aria-activedescendant") is None
        or "12A" not in page.locator("#" + box.get_attribute("aria-activedescendant")).inner_text()
    ):
        box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/?q=*")
    assert page.locator(".result__title").inner_text() == "Žirmūnų g. 12A"


def test_the_language_switch_changes_the_page_and_remembers_it(live_server, page, street):
    page.goto(live_server.url + "/?q=Žirmūnų g. 12A")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".answer__headline").inner_text() == "Yes: no hot water on 3–5 June (hydraulic tests)"
    page.goto(live_server.url + f"/address/{street['12A'].code}")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Русский").click()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "3–5 июня" in page.locator(".shutoff__range").first.inner_text()


def test_the_calendar_feed_parses(live_server, page, street):
    response = page.request.get(live_server.url + f"/address/{street['12A'].code}/shutoffs.ics")
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert {e.decoded("dtstart") for e in events} == {
        date(2026, 5, 12),
        date(2026, 6, 3),
        date(2026, 6, 22),
        date(2026, 7, 8),
    }


def test_the_notice_prints_on_one_a4_page(live_server, page, street):
    page.goto(live_server.url + f"/address/{street['12A'].code}/notice")
    assert page.locator(".notice__range").first.inner_text() == "birželio 3–5 d."
    assert page.locator("[data-print]").is_visible()  # the print button appears with JavaScript
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(SCREENSHOTS / "notice-print-lt.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5_000
    assert _page_count(pdf) == 1
    width, height = _media_box(pdf)
    assert round(width) == 595
    assert round(height) == 842


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def _media_box(pdf: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box, "no MediaBox in the PDF"
    return float(box[1]), float(box[2])


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script tag; the site's strict CSP would (rightly) refuse it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="lt-LT")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/?q=Žirmūnų g. 12A", "/?q=Žirmūnų g. 20", "/?q=Žirmūnų g. 13", "/?q=Qwxyz 5", "/?q=", "BUILDING", "NOTICE"],
)
def test_axe_finds_no_accessibility_violations(live_server, axe_page, street, path):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    code = street["12A"].code
    path = {"BUILDING": f"/address/{code}", "NOTICE": f"/address/{code}/notice"}.get(path, path)
    axe_page.goto(live_server.url + path)
    violations = run_axe(axe_page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_the_skip_link_appears_on_focus_and_moves_to_the_content(live_server, page, street):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")  # the jump to the fragment may land a moment after the key press


PAGES = {
    "home": "/",
    "found": "/?q=zirmunu 12a",
    "ambiguous": "/?q=Žirmūnų g. 20",
    "street-only": "/?q=Žirmūnų g. 13",
    "not-found": "/?q=Qwxyz 5",
    "error": "/?q=",
    "building": "/address/{code}",
    "notice": "/address/{code}/notice",
}


def test_screenshots_of_every_page_at_phone_and_desktop_width(live_server, browser, street):
    """Saved under screenshots/site/ for people to look at (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    code = street["12A"].code
    for language in ("lt", "en"):
        for width in (360, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="lt-LT")
            context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(live_server.url + path.format(code=code))
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)
                overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                assert not overflow, f"{name} scrolls sideways at {width}px in {language}"
            context.close()
