"""/admin: staff sign-in, sign-out, throttling, odd input, the audit log and the account command."""

import io
import json
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.admin.models import AuditEntry, ScheduleUpload, StaffUser
from app.extensions import db
from app.shutoffs.models import ScheduleBatch, Shutoff
from tests.admin.helpers import EMAIL, PASSWORD, another_browser, publish, schedule_csv, sign_in, upload
from tests.helpers.html import csrf_token, soup, text_of

SCHEDULE = schedule_csv('"Žirmūnų g. 2, 4; Liepų al. 3–5",2030-05-10,2030-05-11,Hidrauliniai bandymai')


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("path", ["/admin/", "/admin/audit", "/admin/uploads/1"])
def test_staff_pages_need_a_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=")


def test_publishing_needs_a_sign_in(client, staff):
    token = csrf_token(client.get("/admin/login"))
    response = client.post("/admin/uploads/1/publish", data={"csrf_token": token, "version": "0", "cancellations": "0"})
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=")
    assert count(ScheduleBatch) == 0


def test_staff_sign_in_and_reach_the_upload_page(client, staff):
    response = sign_in(client)
    assert response.status_code == 302
    assert response.location == "/admin/"
    dashboard = soup(client.get("/admin/"))
    assert dashboard.select_one("h1").get_text(strip=True) == "Išjungimų grafiko įkėlimas"
    assert EMAIL in dashboard.select_one(".admin-nav").get_text()


@pytest.mark.parametrize(
    ("next_path", "lands_on"),
    [
        ("/admin/audit", "/admin/audit"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("/admin/%0d%0aSet-Cookie:%20x=1", "/admin/"),
        ("/admin/audit%0a", "/admin/"),
        ("/admin/%09audit", "/admin/"),
    ],
)
def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site_or_into_a_header(
    client, staff, next_path, lands_on
):
    token = csrf_token(client.get("/admin/login"))
    data = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    response = client.post(f"/admin/login?next={next_path}", data=data)
    assert response.status_code == 302
    assert response.location == lands_on
    assert "Set-Cookie: x=1" not in str(response.headers)


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


def test_sign_in_is_rate_limited_per_address(client, staff):
    for _ in range(5):
        assert sign_in(client, EMAIL, "neteisingas").status_code == 200
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 429
    assert "Per daug bandymų" in soup(response).select_one(".error-summary").get_text()


def from_address(number: int) -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"198.51.100.{number}"}}


def test_sign_in_is_rate_limited_per_account_whatever_the_address(app, staff):
    for attempt in range(10):
        client = another_browser(app)
        assert sign_in(client, " Darbuotoja@VST.lt", "neteisingas", **from_address(attempt)).status_code == 200
    blocked = sign_in(another_browser(app), EMAIL, PASSWORD, **from_address(50))
    assert blocked.status_code == 429
    assert "Per daug bandymų" in soup(blocked).select_one(".error-summary").get_text()
    other = sign_in(another_browser(app), "kitas@vst.lt", "neteisingas", **from_address(51))
    assert other.status_code == 200  # another account is not locked out by these attempts


def test_successful_sign_ins_do_not_use_up_the_accounts_attempts(app, staff):
    for attempt in range(12):
        client = another_browser(app)
        assert sign_in(client, **from_address(attempt)).status_code == 302
        client.post("/admin/logout", data={"csrf_token": csrf_token(client.get("/admin/"))})
    assert sign_in(another_browser(app), **from_address(60)).status_code == 302


def test_signing_out_ends_the_session_for_a_copied_cookie_too(app, staff):
    client = another_browser(app)
    sign_in(client)
    copied = client.get_cookie("session").value
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout", data={"csrf_token": csrf_token(client.get("/admin/"))})

    thief = another_browser(app)
    thief.set_cookie("session", copied)
    response = thief.get("/admin/")
    assert response.status_code == 302
    assert response.location.startswith("/admin/login")
    token = csrf_token(thief.get("/admin/login"))  # the login page, on the old cookie
    stolen_publish = thief.post("/admin/uploads/1/publish", data={"csrf_token": token})
    assert stolen_publish.status_code == 302
    assert stolen_publish.location.startswith("/admin/login")


def test_signing_in_again_after_signing_out_works(client, staff):
    sign_in(client)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client.get("/admin/"))})
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_deactivated_account_is_signed_out_at_once(client, staff):
    sign_in(client)
    staff.is_active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_every_staff_form_carries_a_csrf_token(client, staff):
    assert soup(client.get("/admin/login")).select_one("form input[name=csrf_token]")
    sign_in(client)
    forms = soup(client.get("/admin/")).select("form[method=post]")
    assert len(forms) == 2  # sign out, upload
    for form in forms:
        assert form.select_one("input[name=csrf_token]"), form


def test_a_post_without_the_csrf_token_is_refused(client, staff):
    response = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("upload_id", ["99999999999999999999999", "2147483648", "0"])
def test_an_upload_number_too_large_or_unknown_is_not_found(client, staff, upload_id):
    sign_in(client)
    assert client.get(f"/admin/uploads/{upload_id}").status_code == 404
    token = csrf_token(client.get("/admin/"))
    data = {"csrf_token": token, "version": "0", "cancellations": "0"}
    assert client.post(f"/admin/uploads/{upload_id}/publish", data=data).status_code == 404


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
    assert message in html.select_one("#schedule_file-error").get_text()
    assert html.select_one("title").get_text().startswith("Klaida:")
    assert count(ScheduleUpload) == 0


def workbook_breaking_at_row(row: int) -> bytes:
    """An XLSX whose sheet holds a cell openpyxl cannot read at `row` (a number that is not one)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Adresai", "Pradžia", "Pabaiga", "Priežastis"])
    for number in range(2, 40):
        sheet.append([f"Žirmūnų g. {number}", "2030-05-10", "2030-05-11", "Hidrauliniai bandymai"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode()
                at = text.index(f'<row r="{row}"')
                data = (
                    text[:at] + f'<row r="{row}"><c r="A{row}" t="n"><v>ne-skaičius</v></c></row>' + text[at:]
                ).encode()
            target.writestr(name, data)
    return broken.getvalue()


def test_an_xlsx_that_breaks_part_way_is_refused_naming_the_row_and_nothing_is_kept(client, staff, streets):
    sign_in(client)
    response = upload(client, workbook_breaking_at_row(30), "grafikas.xlsx")
    assert response.status_code == 200
    assert soup(response).select_one("#schedule_file-error").get_text(" ", strip=True) == (
        "Klaida: XLSX failas sugadintas: nepavyko perskaityti 30 eilutės. Atidarykite jį Excel ir išsaugokite iš naujo."
    )
    assert count(ScheduleUpload) == 0
    assert count(Shutoff) == 0


def test_the_audit_log_words_a_publication_in_the_readers_language(client, staff, streets):
    sign_in(client)
    publish(client, client.get(upload(client, SCHEDULE).location))
    audit = soup(client.get("/admin/audit", query_string={"lang": "en"}))
    rows = [tr.select("td")[-1].get_text(strip=True) for tr in audit.select("table.audit tbody tr")]
    assert rows == [
        "grafikas.csv → Pagrindinis grafikas: Rows: 1, addresses: 5; new: 5, moved: 0, cancelled: 0, unchanged: 0",
        "grafikas.csv → Pagrindinis grafikas",
    ]


def test_the_audit_entry_of_a_publication_stores_figures_not_a_sentence(client, staff, streets):
    sign_in(client)
    publish(client, client.get(upload(client, SCHEDULE).location))
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "publish"))
    assert entry.actor == EMAIL
    assert entry.batch_id == db.session.scalar(select(ScheduleBatch.id))
    assert json.loads(entry.detail) == {
        "file": "grafikas.csv",
        "schedule": "Pagrindinis grafikas",
        "rows": 1,
        "addresses": 5,
        "new": 5,
        "moved": 0,
        "cancelled": 0,
        "unchanged": 0,
    }


@pytest.mark.parametrize("detail", ["senas.csv: naujų 3, perkeltų 0", "grafikas.csv", "12"])
def test_an_audit_entry_stored_as_text_is_shown_as_it_was_stored(client, staff, detail):
    db.session.add(AuditEntry(actor=EMAIL, action="publish", detail=detail))
    db.session.commit()
    sign_in(client)
    audit = soup(client.get("/admin/audit"))
    assert audit.select_one("table.audit tbody tr td:last-child").get_text(strip=True) == detail


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


def test_a_new_password_set_by_the_operator_ends_the_open_session(runner, client, staff):
    sign_in(client)
    assert client.get("/admin/").status_code == 200

    result = runner.invoke(
        args=["users", "set-password", "Darbuotoja@VST.lt"], input="naujas-slapt-1\nnaujas-slapt-1\n"
    )

    assert result.exit_code == 0, result.output
    assert result.output.endswith("New password set for darbuotoja@vst.lt; its sessions have ended.\n")
    assert client.get("/admin/").headers["Location"] == "/admin/login?next=/admin/?"
    assert "Neteisingas" in soup(sign_in(client)).get_text()  # the old password no longer works
    sign_in(client, password="naujas-slapt-1")
    assert client.get("/admin/").status_code == 200


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in_until_activated(runner, client, staff):
    sign_in(client)

    stopped = runner.invoke(args=["users", "deactivate", "darbuotoja@vst.lt"])

    assert stopped.output == "darbuotoja@vst.lt can no longer sign in.\n"
    assert client.get("/admin/").status_code == 302
    assert "Neteisingas" in soup(sign_in(client)).get_text()
    runner.invoke(args=["users", "activate", "darbuotoja@vst.lt"])
    sign_in(client)
    assert client.get("/admin/").status_code == 200


def test_the_account_commands_name_an_unknown_account(runner, app):
    result = runner.invoke(args=["users", "deactivate", "niekas@vst.lt"])
    assert result.exit_code == 1
    assert "no staff account niekas@vst.lt" in result.output


def test_a_file_over_the_size_limit_is_refused_on_the_dashboard_in_the_readers_language(client, staff):
    sign_in(client)

    page = soup(client.get("/admin/"))
    refused = client.post(  # the length a browser declares for a 5 MB + 1 byte body; refused before it is read
        "/admin/uploads",
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "schedule_file": (io.BytesIO(b"x"), "a.csv"),
        },
        environ_overrides={"CONTENT_LENGTH": str(5 * 2**20 + 1)},
    )

    assert refused.status_code == 413
    assert text_of(refused, "#schedule_file-error") == "Klaida: Failas per didelis: galima įkelti iki 5 MB."
    assert soup(refused).title.text.startswith("Klaida:")
    assert count(ScheduleUpload) == 0


def test_every_schedule_upload_counts_against_the_per_ip_upload_limit(client, staff):
    sign_in(client)
    statuses = [upload(client, b"\x89PNG\r\n", "paveikslas.png").status_code for _ in range(20)]
    assert statuses == [200] * 20
    refused = upload(client, b"\x89PNG\r\n", "paveikslas.png")
    assert refused.status_code == 429
    assert "Per daug bandymų" in refused.get_data(as_text=True)
    assert count(ScheduleUpload) == 0
