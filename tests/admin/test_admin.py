"""/admin: staff sign-in, upload → preview → publish, audit log."""

import io
import json

import pytest
from sqlalchemy import func, select

from app.admin.accounts import create_staff_user
from app.admin.models import AuditEntry, ScheduleUpload, StaffUser
from app.extensions import db
from app.shutoffs.models import ScheduleBatch, Shutoff
from tests.helpers.html import csrf_token, soup

EMAIL = "darbuotoja@vst.lt"
PASSWORD = "ilgas-slaptazodis-1"
SCHEDULE = (
    'Adresai,Pradžia,Pabaiga,Priežastis\n"Žirmūnų g. 2, 4; Liepų al. 3–5",2030-05-10,2030-05-11,Hidrauliniai bandymai\n'
)


def sign_in(client, email=EMAIL, password=PASSWORD):
    token = csrf_token(client.get("/admin/login"))
    return client.post("/admin/login", data={"csrf_token": token, "email": email, "password": password})


@pytest.fixture
def staff(app) -> StaffUser:
    return create_staff_user(EMAIL, PASSWORD)


@pytest.fixture
def streets(make_address):
    for number in ("2", "4"):
        make_address("Žirmūnų g.", number)
    for number in ("3", "4", "5"):
        make_address("Liepų al.", number)


def upload(client, content: str | bytes = SCHEDULE, filename: str = "grafikas.csv"):
    token = csrf_token(client.get("/admin/"))
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/admin/uploads",
        data={"csrf_token": token, "schedule": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("path", ["/admin/", "/admin/audit", "/admin/uploads/1"])
def test_staff_pages_need_a_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=")


def test_publishing_needs_a_sign_in(client, staff):
    token = csrf_token(client.get("/admin/login"))
    response = client.post("/admin/uploads/1/publish", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=")
    assert db.session.scalar(select(func.count()).select_from(ScheduleBatch)) == 0


def test_staff_sign_in_and_reach_the_upload_soup(client, staff):
    response = sign_in(client)
    assert response.status_code == 302
    assert response.location == "/admin/"
    dashboard = soup(client.get("/admin/"))
    assert dashboard.select_one("h1").get_text(strip=True) == "Išjungimų grafiko įkėlimas"
    assert EMAIL in dashboard.select_one(".admin-nav").get_text()


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(client, staff):
    token = csrf_token(client.get("/admin/login"))
    data = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    assert client.post("/admin/login?next=/admin/audit", data=data).location == "/admin/audit"
    client.post("/admin/logout", data={"csrf_token": csrf_token(client.get("/admin/"))})
    token = csrf_token(client.get("/admin/login"))
    data["csrf_token"] = token
    assert client.post("/admin/login?next=https://evil.example/", data=data).location == "/admin/"


@pytest.mark.parametrize(
    ("email", "password"),
    [(EMAIL, "neteisingas-slaptazodis"), ("nera@vst.lt", PASSWORD), ("darbuotoja\x00@vst.lt", "x\x00")],
)
def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client, staff, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 200
    html = soup(response)
    assert (
        html.select_one(".error-summary")
        .get_text(" ", strip=True)
        .endswith("Neteisingas el. pašto adresas arba slaptažodis")
    )
    assert html.select_one("title").get_text().startswith("Klaida:")
    assert client.get("/admin/").status_code == 302


def test_an_empty_sign_in_form_says_what_to_fill_in(client, staff):
    response = sign_in(client, "", "")
    messages = [a.get_text() for a in soup(response).select(".error-summary__list a")]
    assert messages == ["Įveskite el. pašto adresą", "Įveskite slaptažodį"]


def test_sign_in_is_rate_limited(client, staff):
    for _ in range(5):
        assert sign_in(client, EMAIL, "neteisingas").status_code == 200
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 429
    assert "Per daug bandymų" in soup(response).select_one(".error-summary").get_text()


def test_every_staff_form_carries_a_csrf_token(client, staff):
    assert soup(client.get("/admin/login")).select_one("form input[name=csrf_token]")
    sign_in(client)
    for form in soup(client.get("/admin/")).select("form[method=post]"):
        assert form.select_one("input[name=csrf_token]"), form


def test_a_post_without_the_csrf_token_is_refused(client, staff):
    response = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_upload_preview_shows_counts_and_publish_writes_shutoffs_and_an_audit_entry(client, staff, streets):
    sign_in(client)
    response = upload(client)
    assert response.status_code == 302
    preview = soup(client.get(response.location))
    counts = {dd["data-count"]: dd.get_text(strip=True) for dd in preview.select("dd[data-count]")}
    assert counts == {"rows": "1", "addresses": "5", "new": "5", "moved": "0", "cancelled": "0", "unchanged": "0"}
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 0  # a preview writes nothing

    form = preview.select_one("form[action$='/publish']")
    token = form.select_one("input[name=csrf_token]")["value"]
    published = client.post(form["action"], data={"csrf_token": token})
    assert published.status_code == 302
    assert published.location == "/admin/"
    banner = soup(client.get("/admin/")).get_text(" ", strip=True)
    assert "Grafikas paskelbtas. Eilučių: 1, adresų: 5; naujų: 5, perkeltų: 0, atšauktų: 0, nepakitusių: 0" in banner
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 5
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "publish"))
    assert entry.actor == EMAIL
    assert entry.batch_id is not None
    # The figures are stored as data, not as a sentence in the staff member's language.
    assert json.loads(entry.detail) == {
        "file": "grafikas.csv",
        "rows": 1,
        "addresses": 5,
        "new": 5,
        "moved": 0,
        "cancelled": 0,
        "unchanged": 0,
    }
    audit = soup(client.get("/admin/audit"))
    cells = [td.get_text(" ", strip=True) for td in audit.select("table.audit tbody tr")[0].select("td")]
    assert cells[1:] == [
        EMAIL,
        "Paskelbė grafiką",
        "grafikas.csv: Eilučių: 1, adresų: 5; naujų: 5, perkeltų: 0, atšauktų: 0, nepakitusių: 0",
    ]

    again = client.post(form["action"], data={"csrf_token": token})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ScheduleBatch)) == 1  # not published twice


def test_a_preview_with_unresolved_rows_lists_them_and_offers_no_publish_button(client, staff, streets):
    sign_in(client)
    content = SCHEDULE + "Žirmūnų g. 17C,2030-05-10,2030-05-11,Hidrauliniai bandymai\n"
    preview = soup(client.get(upload(client, content).location))
    rows = [r.get_text(" | ", strip=True) for r in preview.select("table.problems tbody tr")]
    assert rows == ["3 | Žirmūnų g. 17C | Žirmūnų g. Nr. 17C nerastas | Žirmūnų g. 4; Žirmūnų g. 2"]
    assert preview.select_one("form[action$='/publish']") is None
    (stored,) = db.session.scalars(select(ScheduleUpload))
    token = csrf_token(client.get("/admin/"))
    client.post(f"/admin/uploads/{stored.id}/publish", data={"csrf_token": token})
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 0


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"name,email\nJonas,j@example.com\n", "zmones.csv", "Tai ne grafikas"),
        (b"\x89PNG\r\n", "paveikslas.png", "Failas turi būti CSV arba XLSX"),
    ],
)
def test_an_upload_that_is_not_a_schedule_is_refused_beside_the_field(client, staff, content, filename, message):
    sign_in(client)
    response = upload(client, content, filename)
    assert response.status_code == 200
    html = soup(response)
    assert message in html.select_one("#schedule-error").get_text()
    assert html.select_one("title").get_text().startswith("Klaida:")
    assert db.session.scalar(select(func.count()).select_from(ScheduleUpload)) == 0


def test_the_audit_log_words_a_publication_in_the_readers_language(client, staff, streets):
    sign_in(client)
    preview = soup(client.get(upload(client).location))
    form = preview.select_one("form[action$='/publish']")
    client.post(form["action"], data={"csrf_token": form.select_one("input[name=csrf_token]")["value"]})
    audit = soup(client.get("/admin/audit", query_string={"lang": "en"}))
    detail = audit.select_one("table.audit tbody tr td:last-child").get_text(strip=True)
    assert detail == "grafikas.csv: Rows: 1, addresses: 5; new: 5, moved: 0, cancelled: 0, unchanged: 0"


def test_an_audit_entry_stored_as_text_is_shown_as_it_was_stored(client, staff):
    db.session.add(AuditEntry(actor=EMAIL, action="publish", detail="senas.csv: naujų 3, perkeltų 0"))
    db.session.commit()
    sign_in(client)
    audit = soup(client.get("/admin/audit"))
    assert (
        audit.select_one("table.audit tbody tr td:last-child").get_text(strip=True) == "senas.csv: naujų 3, perkeltų 0"
    )


def test_create_admin_command_prompts_for_a_password(runner, app):
    result = runner.invoke(args=["users", "create-admin", "Nauja@VST.lt"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(StaffUser))
    assert user.email == "nauja@vst.lt"
    assert PASSWORD not in user.password_hash
    again = runner.invoke(args=["users", "create-admin", "nauja@vst.lt"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code != 0
    assert "already has an account" in again.output


def test_create_admin_refuses_a_short_password(runner, app):
    result = runner.invoke(args=["users", "create-admin", "a@vst.lt"], input="trumpas\ntrumpas\n")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
