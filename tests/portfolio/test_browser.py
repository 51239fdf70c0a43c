"""A manager in a real browser: paste → table → pick the ambiguous building → export → print notices."""

import io
import re
from itertools import pairwise
from pathlib import Path

import pytest
from openpyxl import load_workbook

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "portfolio"
LIST = "zirmunu 12a\nLiepų 8\nŽirmūnų g. 14\nNėra g. 1"


@pytest.fixture
def expect():
    """Playwright's expect, imported here so `-m "not browser"` collects this module without Playwright."""
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def shots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.mark.browser
def test_a_manager_checks_a_list_picks_a_building_and_exports_it(
    live_server, page, expect, buildings, make_shutoff, shots
):
    make_shutoff(buildings["Žirmūnų g. 12A"], starts_in=4, days=3)
    make_shutoff(buildings["Liepų g. 8"], starts_in=10, days=2)

    page.goto(f"{live_server.url}/managers/")
    page.get_by_label("Įklijuokite adresus").fill(LIST)
    page.screenshot(path=shots / "1-paste.png", full_page=True)
    page.get_by_role("button", name="Tikrinti adresus").click()

    rows = page.locator("table.portfolio-table tbody tr.portfolio-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("Žirmūnų g. 12A")
    assert "Artimiausiomis savaitėmis" in rows.nth(0).text_content()  # the tag is upper-cased by CSS
    page.screenshot(path=shots / "2-table.png", full_page=True)

    # With JavaScript the row is replaced in place: no reload, focus stays on the row.
    url_before = page.url
    rows.nth(1).get_by_label("Kuris namas?").select_option(label="Liepų g. 8")
    rows.nth(1).get_by_role("button", name="Pasirinkti").click()
    picked = page.locator("tbody tr.portfolio-row").nth(1)
    expect(picked.locator("td").nth(2)).to_have_text("Liepų g. 8")
    expect(picked.locator("td").nth(3)).to_have_text(re.compile("Pasirinktas", re.IGNORECASE))
    expect(page.locator("#row-status")).to_have_text("Pasirinkta: Liepų g. 8.")
    expect(picked.get_by_role("link", name="Liepų g. 8")).to_be_focused()
    expect(page.locator(".summary__item").nth(2).locator(".summary__number")).to_have_text("0")
    assert page.url == url_before
    page.screenshot(path=shots / "3-picked.png", full_page=True)

    page.get_by_label("tik tuos, kuriuose artimiausiomis savaitėmis bus išjungtas karštas vanduo").check()
    page.get_by_role("button", name="Filtruoti").click()
    labels = page.locator("tbody tr.portfolio-row td:nth-child(3)").all_inner_texts()
    assert [label.strip() for label in labels] == ["Žirmūnų g. 12A", "Liepų g. 8"]
    page.screenshot(path=shots / "4-filtered.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Atsisiųsti XLSX").click()
    sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Žirmūnų g. 12A", "Liepų g. 8"]

    page.get_by_role("link", name="Skelbimai laiptinėms spausdinti").click()
    expect(page.locator("article.notice")).to_have_count(2)
    page.screenshot(path=shots / "5-notices.png", full_page=True)
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2  # one A4 page per building


@pytest.mark.browser
def test_without_javascript_picking_a_building_posts_and_comes_back_to_the_row(
    live_server, browser, expect, buildings, shots
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/managers/")
        page.get_by_label("Įklijuokite adresus").fill(LIST)
        page.get_by_role("button", name="Tikrinti adresus").click()
        row = page.locator("tbody tr.portfolio-row").nth(1)
        row.get_by_label("Kuris namas?").select_option(label="Liepų al. 8")
        with page.expect_navigation():
            row.get_by_role("button", name="Pasirinkti").click()
        assert re.search(r"#row-\d+$", page.url)
        expect(page.locator(".banner")).to_have_text("Pasirinkta: Liepų al. 8.")
        expect(page.locator("tbody tr.portfolio-row").nth(1).locator("td").nth(2)).to_have_text("Liepų al. 8")
        page.screenshot(path=shots / "7-picked-without-js.png", full_page=True)
    finally:
        context.close()


@pytest.mark.browser
def test_a_bad_file_is_explained_beside_the_field(live_server, page, expect, buildings, shots, tmp_path):
    renamed = tmp_path / "namai.csv"
    renamed.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    page.goto(f"{live_server.url}/managers/")
    page.get_by_label("Arba įkelkite CSV ar XLSX failą").set_input_files(renamed)
    page.get_by_role("button", name="Tikrinti adresus").click()
    expect(page).to_have_title(re.compile("^Klaida:"))
    expect(page.locator(".error-summary a")).to_have_text("Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą.")
    page.screenshot(path=shots / "8-bad-file.png", full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("app_settings", [{"MAX_CONTENT_LENGTH": 64 * 1024}], indirect=True)
def test_a_file_over_the_limit_gets_a_page_that_says_so(live_server, page, expect, shots, tmp_path, app_settings):
    big = tmp_path / "namai.csv"
    big.write_bytes(b"Zirmunu g. 12A\n" * 20_000)
    page.goto(f"{live_server.url}/managers/")
    page.get_by_label("Arba įkelkite CSV ar XLSX failą").set_input_files(big)
    page.get_by_role("button", name="Tikrinti adresus").click()
    expect(page.locator("#upload-error")).to_contain_text("Failas per didelis")
    page.screenshot(path=shots / "9-too-large.png", full_page=True)


@pytest.fixture
def app_settings(request) -> dict:
    return getattr(request, "param", {})


@pytest.mark.browser
def test_on_a_phone_the_list_is_cards_and_nothing_scrolls_sideways(
    live_server, browser, expect, buildings, make_address, make_shutoff, shots
):
    for number in range(1, 27):
        make_shutoff(make_address("Architektų g.", str(number)), starts_in=number, days=2)
    lines = [f"Architektų g. {n}" for n in range(1, 27)] + ["Liepų 8", "Žirmūnų g. 13", "Nėra g. 1", "zirmunu 12a"]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="lt-LT", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/managers/")
        page.get_by_label("Įklijuokite adresus").fill("\n".join(lines))
        page.get_by_role("button", name="Tikrinti adresus").click()
        rows = page.locator("tr.portfolio-row")
        expect(rows).to_have_count(30)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        boxes = [rows.nth(i).bounding_box() for i in range(30)]
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= 360 for box in boxes)
        assert all(below["y"] >= above["y"] + above["height"] for above, below in pairwise(boxes))
        first_next = rows.nth(0).locator(".portfolio-table__next").bounding_box()
        assert first_next["x"] + first_next["width"] <= 360
        label = rows.nth(0).locator(".portfolio-table__next").evaluate("e => getComputedStyle(e, '::before').content")
        assert label == '"Kitas išjungimas"'  # each value in a card says what it is
        expect(rows.nth(26).get_by_label("Kuris namas?")).to_be_visible()
        page.screenshot(path=shots / "10-phone-30-rows.png", full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
        for number, top in enumerate(range(0, height, 1400), start=1):  # readable pieces of the long page
            clip = {"x": 0, "y": top, "width": 360, "height": min(1400, height - top)}
            page.screenshot(path=shots / f"10-phone-30-rows-part{number}.png", full_page=True, clip=clip)
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_the_copy_and_print_buttons_stay_hidden(
    live_server, browser, expect, buildings, make_shutoff
):
    make_shutoff(buildings["Žirmūnų g. 14"], starts_in=3)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/managers/")
        page.get_by_label("Įklijuokite adresus").fill("Žirmūnų g. 14")
        page.get_by_role("button", name="Tikrinti adresus").click()
        copy = page.locator("button.copy-button")
        expect(copy).to_have_count(1)
        expect(copy).to_be_hidden()
        page.get_by_role("link", name="Skelbimai laiptinėms spausdinti").click()
        expect(page.locator("button[data-print]")).to_be_hidden()
    finally:
        context.close()
