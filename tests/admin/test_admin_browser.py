"""The staff flow in a real Chromium: sign in, upload, preview, publish, audit log — with screenshots."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.admin.accounts import create_staff_user
from app.extensions import db
from app.shutoffs.models import Shutoff

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "admin"
EMAIL = "darbuotoja@vst.lt"
PASSWORD = "ilgas-slaptazodis-1"


@pytest.fixture
def schedule_files(tmp_path, make_address) -> dict[str, Path]:
    for number in ("2", "4", "6", "8", "8A", "10"):
        make_address("Žirmūnų g.", number)
    for number in ("1", "3", "5"):
        make_address("Liepų al.", number)
    header = "Adresai,Pradžia,Pabaiga,Priežastis\n"
    good = tmp_path / "grafikas.csv"
    good.write_text(
        header
        + '"Žirmūnų g. 2–8 (poriniai); Liepų al. (visi)",2030-05-10,2030-05-12,Hidrauliniai bandymai\n'
        + "Žirmūnų g. 10,2030-06-01,2030-06-01,Vamzdynų remontas\n",
        encoding="utf-8",
    )
    bad = tmp_path / "klaidingas.csv"
    bad.write_text(header + "Žirmūnų g. 17C,2030-05-10,2030-05-12,Hidrauliniai bandymai\n", encoding="utf-8")
    return {"good": good, "bad": bad}


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_staff_upload_preview_and_publish_a_schedule(live_server, page, app, schedule_files):
    create_staff_user(EMAIL, PASSWORD)
    page.goto(live_server.url + "/admin/")
    assert page.locator("h1").inner_text() == "Darbuotojų prisijungimas"

    page.fill("#email", EMAIL)
    page.fill("#password", "neteisingas-slaptazodis")
    page.click("form.admin-login button[type=submit]")
    assert "Neteisingas el. pašto adresas arba slaptažodis" in page.locator(".error-summary").inner_text()
    assert page.title().startswith("Klaida:")
    shot(page, "1-login-error")

    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form.admin-login button[type=submit]")
    assert page.locator("h1").inner_text() == "Išjungimų grafiko įkėlimas"

    page.set_input_files("#schedule", str(schedule_files["bad"]))
    page.click("form[enctype] button[type=submit]")
    assert "Žirmūnų g. Nr. 17C nerastas" in page.locator("table.problems").inner_text()
    assert page.locator("form[action$='/publish']").count() == 0
    shot(page, "2-preview-unresolved")

    page.click("a.back-link")
    page.set_input_files("#schedule", str(schedule_files["good"]))
    page.click("form[enctype] button[type=submit]")
    assert page.locator("dd[data-count=new]").inner_text() == "8"
    assert page.locator("dd[data-count=addresses]").inner_text() == "8"
    shot(page, "3-preview")

    page.click("form[action$='/publish'] button")
    assert page.locator("[role=status]").inner_text() == (
        "Grafikas paskelbtas. Eilučių: 2, adresų: 8; naujų: 8, perkeltų: 0, atšauktų: 0, nepakitusių: 0"
    )
    assert "grafikas.csv" in page.locator("table").inner_text()
    shot(page, "4-published")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 8

    page.click("text=Veiksmų žurnalas")
    log = page.locator("table.audit").inner_text()
    assert "Paskelbė grafiką" in log
    assert EMAIL in log
    assert "grafikas.csv: Eilučių: 2, adresų: 8; naujų: 8, perkeltų: 0, atšauktų: 0, nepakitusių: 0" in log
    shot(page, "5-audit-log")
