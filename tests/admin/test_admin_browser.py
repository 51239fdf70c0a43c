"""Staff in a real Chromium: sign in, upload, read a preview with moves and cancellations, confirm, publish.

Screenshots go to screenshots/admin/ (looked at by a person; git-ignored).
"""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.addresses.models import Address
from app.admin.accounts import create_staff_user
from app.extensions import db
from app.shutoffs.models import Shutoff
from tests.helpers.axe import AXE, axe_violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "admin"
EMAIL = "darbuotoja@vst.lt"
PASSWORD = "ilgas-slaptazodis-1"
HEADER = "Adresai,Pradžia,Pabaiga,Priežastis,Būsena\n"


@pytest.fixture
def staff_page(browser):
    # axe is injected as a script tag; the site's strict CSP would (rightly) refuse it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="lt-LT")
    yield context.new_page()
    context.close()


@pytest.fixture
def files(tmp_path, make_address) -> dict[str, Path]:
    for number in ("2", "4", "6", "8", "8A", "10", "12", "14"):
        make_address("Žirmūnų g.", number)
    for number in ("1", "3", "5"):
        make_address("Liepų al.", number)
    for number in ("1", "2", "3"):
        make_address("Konstitucijos pr.", number)
    written = {
        "bad.csv": "Žirmūnų g. 17C,2030-05-10,2030-05-12,Hidrauliniai bandymai,\n"
        "Kostitucijos prospektas 1 laiptinė,2030-05-10,2030-05-12,Hidrauliniai bandymai,\n",
        "season.csv": '"Žirmūnų g. 2–8 (poriniai); Liepų al. (visi)",2030-05-10,2030-05-12,Hidrauliniai bandymai,\n'
        "Žirmūnų g. 10,2030-06-01,2030-06-01,Vamzdynų remontas,\n"
        '"Žirmūnų g. 12, 14",2030-06-15,2030-06-16,Vamzdynų remontas,\n'
        "Konstitucijos pr. 1–3,2030-07-01,2030-07-03,Šilumos trasos rekonstrukcija,\n",
        # Žirmūnų g. 2–8 moved a week; Žirmūnų g. 10 cancelled by its status; 12 and 14 left out;
        # Konstitucijos pr. written with a typo (nothing changes for it).
        "corrected.csv": '"Žirmūnų g.: 2, 4, 6, 8; Liepų al. (visi)",2030-05-17,2030-05-19,Hidrauliniai bandymai,\n'
        "Žirmūnų g. 10,2030-06-01,2030-06-01,Vamzdynų remontas,atšaukta\n"
        "Kostitucjos pr. 1–3,2030-07-01,2030-07-03,Šilumos trasos rekonstrukcija,\n",
    }
    paths = {}
    for name, rows in written.items():
        paths[name] = tmp_path / name
        paths[name].write_text(HEADER + rows, encoding="utf-8")
    return paths


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def accessible(page) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def statuses(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(select(Address.code, Shutoff.status).join(Shutoff.address))
        labels = {a.code: a.label for a in db.session.scalars(select(Address))}
        return {labels[code]: str(status) for code, status in rows}


def upload(page, path: Path) -> None:
    page.set_input_files("#schedule_file", str(path))
    page.click("form[enctype] button[type=submit]")


def test_staff_upload_read_the_preview_confirm_the_cancellations_and_publish(live_server, staff_page, app, files):
    page = staff_page
    create_staff_user(EMAIL, PASSWORD)
    page.goto(live_server.url + "/admin/")
    assert page.locator("h1").inner_text() == "Darbuotojų prisijungimas"
    page.fill("#email", EMAIL)
    page.fill("#password", "neteisingas-slaptazodis")
    page.click("form.admin-login button[type=submit]")
    assert "Neteisingas el. pašto adresas arba slaptažodis" in page.locator(".error-summary").inner_text()
    shot(page, "1-login-error")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form.admin-login button[type=submit]")
    assert page.locator("h1").inner_text() == "Išjungimų grafiko įkėlimas"
    accessible(page)

    upload(page, files["bad.csv"])
    problems = page.locator("table.problems").inner_text()
    assert "Žirmūnų g. Nr. 17C nerastas" in problems
    assert "Nesuprantu „laiptinė“" in problems
    assert page.locator("form[action$='/publish']").count() == 0
    shot(page, "2-preview-unresolved")

    page.click("a.back-link")
    upload(page, files["season.csv"])
    assert page.locator("dd[data-count=new]").inner_text() == "13"
    page.click("form[action$='/publish'] button")
    assert page.locator("[role=status]").inner_text().startswith("Grafikas „Pagrindinis grafikas“ paskelbtas.")

    upload(page, files["corrected.csv"])
    assert page.locator("#moved").inner_text() == "Perkeliami (7)"
    assert page.locator("#cancelled").inner_text() == "Atšaukiami (1)"
    assert page.locator("#missing").inner_text() == "Faile nepaminėti išjungimai (2)"
    assert page.locator("tr[data-row='4'] [data-corrected]").inner_text() == "pataisyta: „Kostitucjos pr.“"
    page.locator("tr[data-row='2'] summary").click()
    assert page.locator("tr[data-row='2'] .buildings li").count() == 7
    shot(page, "3-preview-moves-and-a-cancellation")
    accessible(page)

    page.check("#cancel_missing")
    page.click("text=Peržiūrėti su atšaukimais")
    assert page.locator("#cancelled").inner_text() == "Atšaukiami (3)"
    cancelled = page.locator("#cancelled + div tbody").inner_text()
    assert "Žirmūnų g. 12" in cancelled
    assert "Žirmūnų g. 14" in cancelled
    assert page.locator("[data-warning]").count() == 1  # 3 of 13 is more than a tenth
    shot(page, "4-preview-with-cancellations")
    accessible(page)

    page.click("form[action$='/publish'] button")
    assert page.locator(".error-summary a").inner_text() == (
        "Įrašykite atšaukiamų išjungimų skaičių (3), kad patvirtintumėte."
    )
    assert page.title().startswith("Klaida:")
    assert set(statuses(app).values()) == {"planned"}
    shot(page, "5-count-not-typed")

    page.fill("#confirm_count", "3")
    page.click("form[action$='/publish'] button")
    assert page.locator("[role=status]").inner_text() == (
        "Grafikas „Pagrindinis grafikas“ paskelbtas. "
        "Eilučių: 3, adresų: 11; naujų: 0, perkeltų: 7, atšauktų: 3, nepakitusių: 3"
    )
    shot(page, "6-published")
    published = statuses(app)
    assert {label for label, status in published.items() if status == "cancelled"} == {
        "Žirmūnų g. 10",
        "Žirmūnų g. 12",
        "Žirmūnų g. 14",
    }
    assert published["Liepų al. 3"] == "moved"
    assert published["Konstitucijos pr. 2"] == "planned"

    page.click("text=Veiksmų žurnalas")
    log = page.locator("table.audit").inner_text()
    assert "corrected.csv → Pagrindinis grafikas: Eilučių: 3, adresų: 11; naujų: 0, perkeltų: 7, atšauktų: 3" in log
    shot(page, "7-audit-log")
    accessible(page)
