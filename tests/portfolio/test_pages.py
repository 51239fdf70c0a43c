"""/managers as a building manager uses it: paste or upload, read the table, pick, correct, save, subscribe."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.portfolio.models import Portfolio, PortfolioEntry
from app.shutoffs.models import ShutoffStatus
from tests.helpers.html import csrf_token, soup
from tests.helpers.workbooks import dimension_bomb, shared_strings_bomb


def table_rows(page) -> list:
    return page.select("table.portfolio-table tbody tr.portfolio-row")


def cells(row) -> list[str]:
    return [" ".join(td.get_text(" ").split()) for td in row.select("td")]


def portfolios() -> int:
    return db.session.scalar(select(func.count()).select_from(Portfolio))


def test_the_start_page_offers_paste_and_upload_in_one_form(client):
    page = soup(client.get("/managers/"))
    form = page.select_one("form[method=post][enctype='multipart/form-data']")
    assert page.select_one(f"label[for={form.select_one('textarea')['id']}]").text.strip() == "Įklijuokite adresus"
    assert form.select_one("input[type=file]")["name"] == "upload"
    assert form.has_attr("novalidate")


def test_pasted_addresses_become_a_table_of_buildings(client, check, buildings):
    response = check("zirmunu 12a\nLiepų 8\nNėra g. 1\n")
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    rows = table_rows(page)
    assert len(rows) == 3
    typed, label, status = cells(rows[0])[1:4]
    assert (typed, label, status) == ("zirmunu 12a", "Žirmūnų g. 12A", "Rastas")
    assert rows[0].select_one("a")["href"] == f"/address/{buildings['Žirmūnų g. 12A'].code}"
    assert cells(rows[1])[3] == "Patikslinkite"
    options = [o.text for o in rows[1].select("select option")]
    assert sorted(options) == ["Liepų al. 8", "Liepų g. 8"]
    assert cells(rows[2])[3] == "Nerastas"
    assert rows[2].select_one("input[type=text]")["value"] == "Nėra g. 1"


def test_an_empty_form_asks_for_addresses_and_saves_nothing(client, check):
    response = check("  \n ")
    page = soup(response)
    assert page.title.text.startswith("Klaida:")
    link = page.select_one(".error-summary a")
    assert link.text == "Įklijuokite bent vieną adresą arba pasirinkite failą"
    assert link["href"] == "#addresses"
    assert portfolios() == 0


def test_a_paste_with_a_quote_left_open_says_so_and_saves_nothing(client, check, buildings):
    """The lines after a stray `"` used to become one "not found" row: three addresses were lost unseen."""
    response = check('Žirmūnų g. 12A\n"Žirmūnų g. 14\nŽirmūnų g. 16\nLiepų al. 8')
    assert soup(response).title.text.startswith("Klaida:")
    assert soup(response).select_one(".error-summary a").text == (
        "CSV failas netvarkingas (pavyzdžiui, neuždarytos kabutės). Atidarykite jį Excel ir išsaugokite iš naujo."
    )
    assert portfolios() == 0


def test_the_language_switch_of_a_refused_form_comes_back_to_the_list_not_to_a_405(client, check, buildings):
    """A form answered on a path that only takes POST (`…/save`) used to offer language links back to that
    path: English "405 Method Not Allowed"."""
    location = check("Žirmūnų g. 12A").headers["Location"]
    refused = client.post(location + "/save", data={"save-name": "Namai"})  # the CSRF token expired
    assert refused.status_code == 400
    links = [a["href"] for a in soup(refused).select("a[hreflang]")]
    assert [parse_qs(urlsplit(link).query)["next"] for link in links] == [[location]] * 3
    switched = client.get(links[0])
    assert switched.headers["Location"] == location
    assert client.get(location).status_code == 200


def test_the_next_shutoff_is_shown_and_the_filter_keeps_the_affected_buildings(client, check, buildings, make_shutoff):
    soon = make_shutoff(buildings["Žirmūnų g. 12A"], starts_in=5, days=3)
    make_shutoff(buildings["Žirmūnų g. 14"], starts_in=90, days=2)
    make_shutoff(buildings["Žirmūnų g. 16"], starts_in=3, days=2, status=ShutoffStatus.CANCELLED)
    location = check("Žirmūnų g. 12A\nŽirmūnų g. 14\nŽirmūnų g. 16").headers["Location"]

    rows = table_rows(soup(client.get(location)))
    assert "Artimiausiomis savaitėmis" in cells(rows[0])[4]
    assert str(soon.first_day.day) in cells(rows[0])[4]
    assert "Artimiausiomis savaitėmis" not in cells(rows[1])[4]
    assert "hidrauliniai bandymai" in cells(rows[1])[4]
    assert cells(rows[2])[4] == "Nenumatyta"

    page = soup(client.get(location, query_string={"show": "affected"}))
    assert [cells(r)[2] for r in table_rows(page)] == ["Žirmūnų g. 12A"]
    assert page.select_one("input[name=show][value=affected]").has_attr("checked")
    summary = page.select_one(".summary__item--affected .summary__number").text
    assert summary == "1"


def test_the_manager_picks_the_building_of_an_ambiguous_row_in_place(client, check, buildings):
    location = check("Žirmūnų g. 14\nLiepų 8").headers["Location"]
    row = table_rows(soup(client.get(location)))[1]
    form = row.select_one("form")
    select_box = form.select_one("select")
    choice = buildings["Liepų g. 8"].code
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")} | {select_box["name"]: choice}
    response = client.post(form["action"], data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#{row['id']}")

    page = soup(client.get(response.headers["Location"]))
    picked = page.select_one(f"#{row['id']}")
    assert cells(picked)[2:4] == ["Liepų g. 8", "Pasirinktas"]
    assert picked.select_one("a")["href"] == f"/address/{choice}"
    assert page.select_one(".banner").text.strip() == "Pasirinkta: Liepų g. 8."


def test_a_building_that_was_not_offered_cannot_be_picked(client, check, buildings):
    location = check("Liepų 8").headers["Location"]
    form = table_rows(soup(client.get(location)))[0].select_one("form")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    data[form.select_one("select")["name"]] = buildings["Žirmūnų g. 14"].code
    client.post(form["action"], data=data)
    entry = db.session.scalar(select(PortfolioEntry))
    assert (entry.status, entry.address_code) == ("ambiguous", None)


def test_a_row_that_was_not_found_can_be_corrected(client, check, buildings):
    location = check("Zirmnu gatve dvylika").headers["Location"]
    form = table_rows(soup(client.get(location)))[0].select_one("form")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    data[form.select_one("input[type=text]")["name"]] = "Žirmūnų 14"
    page = soup(client.post(form["action"], data=data, follow_redirects=True))
    assert cells(table_rows(page)[0])[1:4] == ["Žirmūnų 14", "Žirmūnų g. 14", "Rastas"]


def test_checked_rows_are_removed(client, check, buildings):
    location = check("Žirmūnų g. 14\nŽirmūnų g. 16\nLiepų al. 8").headers["Location"]
    page = soup(client.get(location))
    form = page.select_one("form#remove-rows")
    second = table_rows(page)[1].select_one("input[name=remove]")
    assert second["form"] == "remove-rows"
    data = {"remove-csrf_token": form.select_one("input[name=remove-csrf_token]")["value"], "remove": second["value"]}
    page = soup(client.post(form["action"], data=data, follow_redirects=True))
    assert [cells(r)[2] for r in table_rows(page)] == ["Žirmūnų g. 14", "Liepų al. 8"]


def test_the_same_building_twice_is_marked(client, check, buildings):
    page = soup(client.get(check("Žirmūnų g. 14\nzirmunu 14").headers["Location"]))
    assert "Pasikartoja" in cells(table_rows(page)[1])[2]


def csv_bytes(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("namai.csv", "\ufeffAdresas,Pastaba\nŽirmūnų g. 12A,x\nLiepų al. 8,\n".encode()),
        ("namai.csv", "Bendrija;Adresas\nA;Žirmūnų g. 12A\nB;Liepų al. 8\n".encode("cp1257")),
        ("NAMAI.CSV", "Žirmūnų g. 12A\r\nLiepų al. 8\r\n".encode()),
    ],
    ids=["utf8-bom-comma", "cp1257-semicolon", "no-header"],
)
def test_an_uploaded_csv_is_checked(client, check, buildings, filename, data):
    response = check(upload=(filename, data))
    assert response.status_code == 302
    rows = table_rows(soup(client.get(response.headers["Location"])))
    assert [cells(r)[2] for r in rows] == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_an_uploaded_xlsx_is_checked(client, check, buildings):
    workbook = Workbook()
    workbook.active.append(["Nr.", "Adresas"])
    workbook.active.append([1, "Žirmūnų g. 12A"])
    workbook.active.append([2, "Liepų al. 8"])
    out = io.BytesIO()
    workbook.save(out)
    response = check(upload=("namai.xlsx", out.getvalue()))
    rows = table_rows(soup(client.get(response.headers["Location"])))
    assert [cells(r)[1] for r in rows] == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_pasted_and_uploaded_addresses_are_checked_together(client, check, buildings):
    response = check("Žirmūnų g. 14", upload=("namai.csv", "Liepų al. 8\n".encode()))
    rows = table_rows(soup(client.get(response.headers["Location"])))
    assert [cells(r)[2] for r in rows] == ["Žirmūnų g. 14", "Liepų al. 8"]


def test_more_than_a_thousand_pasted_rows_get_a_clear_message(client, check, buildings):
    page = soup(check("\n".join(f"Žirmūnų g. {n}" for n in range(1, 1202))))
    message = page.select_one("#addresses-error").get_text(" ", strip=True)
    assert "Sąraše yra 1201 adresų, o vienu kartu galima patikrinti iki 1000." in message
    assert portfolios() == 0


def test_a_file_with_more_than_a_thousand_rows_gets_a_clear_message(client, check, buildings):
    data = ("Adresas\n" + "\n".join(f"Žirmūnų g. {n}" for n in range(1, 1002))).encode()
    page = soup(check(upload=("namai.csv", data)))
    assert "Sąraše yra 1001 adresų" in page.select_one("#upload-error").text
    assert portfolios() == 0


BAD_FILES = [
    ("namai.pdf", b"%PDF-1.7\n%\xe2\xe3", "Pasirinkite CSV arba XLSX failą."),
    ("namai.csv", b"", "Faile nėra nė vieno adreso. Pasirinkite failą, kuriame yra adresų stulpelis."),
    (
        "namai.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00",
        "Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą.",
    ),
    (
        "namai.csv",
        "Жирмуну 12\nЛиепу 8\n".encode("cp1251"),
        "Nepavyko perskaityti failo koduotės. Išsaugokite jį kaip „CSV UTF-8“ arba XLSX ir įkelkite dar kartą.",
    ),
    (
        "namai.xlsx",
        b"Adresas\nZirmunu 12\n",
        "XLSX failas sugadintas arba tai ne XLSX. Atidarykite jį Excel ir išsaugokite iš naujo.",
    ),
    (
        "namai.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "Tai senas Excel (.xls) failas. Išsaugokite jį kaip XLSX arba CSV ir įkelkite dar kartą.",
    ),
]


@pytest.mark.parametrize(
    ("filename", "data", "message"), BAD_FILES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(BAD_FILES)]
)
def test_a_bad_file_gets_a_clear_message_and_saves_nothing(client, check, buildings, filename, data, message):
    response = check(upload=(filename, data))
    assert response.status_code == 200
    page = soup(response)
    assert page.title.text.startswith("Klaida:")
    assert page.select_one(".error-summary a[href='#upload']").text == message
    assert message in page.select_one("#upload-error").text
    assert portfolios() == 0


@pytest.fixture
def app_settings(request) -> dict:
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_settings", [{"MAX_CONTENT_LENGTH": 2048}], indirect=True)
def test_a_file_over_the_size_limit_gets_a_friendly_page(client, app_settings):
    token = csrf_token(client.get("/managers/"))
    data = {"csrf_token": token, "upload": (io.BytesIO(b"Zirmunu 12\n" * 1000), "namai.csv")}
    response = client.post("/managers/", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    page = soup(response)
    assert (
        page.select_one("#upload-error")
        .get_text(" ", strip=True)
        .endswith("Failas per didelis: galima įkelti iki 1 MB.")
    )
    assert portfolios() == 0


def test_a_saved_list_has_a_private_link_and_a_name(client, check, buildings):
    location = check("Žirmūnų g. 14").headers["Location"]
    page = soup(client.get(location))
    assert page.select_one("#private-url") is None
    form = page.select_one("form[action$='/save']")
    data = {
        "save-csrf_token": form.select_one("input[name=save-csrf_token]")["value"],
        "save-name": "Bendrija Žirmūnai",
    }
    response = client.post(form["action"], data=data)
    assert response.headers["Location"].endswith("#private-link")

    page = soup(client.get(location))
    assert page.select_one("h1").text == "Bendrija Žirmūnai"
    assert page.select_one("#private-url")["value"] == "http://localhost" + location
    assert db.session.scalar(select(Portfolio)).saved_at is not None


def test_addresses_can_be_added_to_a_list_later(client, check, buildings):
    location = check("Žirmūnų g. 14").headers["Location"]
    form = soup(client.get(location)).select_one("form[action$='/add']")
    data = {"add-csrf_token": form.select_one("input[name=add-csrf_token]")["value"], "add-addresses": "Liepų al. 8"}
    page = soup(client.post(form["action"], data=data, follow_redirects=True))
    assert [cells(r)[2] for r in table_rows(page)] == ["Žirmūnų g. 14", "Liepų al. 8"]


def test_one_email_subscribes_to_every_building_with_one_confirmation(client, check, buildings):
    from app.notifications.models import OutboxMessage, Subscription

    location = check("Žirmūnų g. 14\nLiepų al. 8\nLiepų 8\nNėra g. 1").headers["Location"]
    form = soup(client.get(location)).select_one("form[action$='/subscribe']")
    data = {
        "subscribe-csrf_token": form.select_one("input[name=subscribe-csrf_token]")["value"],
        "subscribe-email": "pirmininke@example.lt",
        "subscribe-consent": "y",
    }
    page = soup(client.post(form["action"], data=data, follow_redirects=True))
    assert "pirmininke@example.lt" in page.select_one(".banner").text
    subscription = db.session.scalar(select(Subscription))
    assert subscription.digest is True
    assert sorted(subscription.address_codes) == sorted(
        [buildings["Žirmūnų g. 14"].code, buildings["Liepų al. 8"].code]
    )
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.mark.parametrize(
    ("email", "consent", "message"),
    [
        ("", "y", "Įveskite el. pašto adresą"),
        ("ne-adresas", "y", "Įveskite el. pašto adresą, pavyzdžiui, vardas@example.lt"),
        ("pirmininke@example.lt", "", "Pažymėkite, kad sutinkate gauti pranešimus"),
    ],
)
def test_a_subscription_needs_an_email_and_consent(client, check, buildings, email, consent, message):
    location = check("Žirmūnų g. 14").headers["Location"]
    form = soup(client.get(location)).select_one("form[action$='/subscribe']")
    data = {
        "subscribe-csrf_token": form.select_one("input[name=subscribe-csrf_token]")["value"],
        "subscribe-email": email,
    }
    if consent:
        data["subscribe-consent"] = consent
    page = soup(client.post(form["action"], data=data))
    assert page.title.text.startswith("Klaida:")
    assert page.select_one(".error-summary a").text == message


def test_forms_without_a_csrf_token_are_refused(client, check, buildings):
    response = client.post("/managers/", data={"addresses": "Žirmūnų g. 14"})
    assert response.status_code == 400
    assert portfolios() == 0


def test_drafts_never_saved_are_purged_after_a_while_and_saved_lists_stay(runner, check, buildings):
    from datetime import timedelta

    from app.timeutil import utcnow

    check("Žirmūnų g. 14")
    check("Liepų al. 8")
    old, saved = db.session.scalars(select(Portfolio).order_by(Portfolio.id)).all()
    old.updated_at = saved.updated_at = utcnow() - timedelta(days=40)
    saved.saved_at = utcnow() - timedelta(days=40)
    db.session.commit()
    result = runner.invoke(args=["managers", "purge-drafts", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "deleted drafts=1" in result.output
    assert [p.id for p in db.session.scalars(select(Portfolio))] == [saved.id]
    assert db.session.scalar(select(func.count()).select_from(PortfolioEntry)) == 1


def test_one_email_cannot_be_sent_confirmations_over_and_over(client, check, buildings):
    location = check("Žirmūnų g. 14").headers["Location"]
    form = soup(client.get(location)).select_one("form[action$='/subscribe']")
    data = {
        "subscribe-csrf_token": form.select_one("input[name=subscribe-csrf_token]")["value"],
        "subscribe-email": "pirmininke@example.lt",
        "subscribe-consent": "y",
    }
    statuses = [client.post(form["action"], data=data).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert "Per daug bandymų" in client.post(form["action"], data=data).get_data(as_text=True)


def test_a_row_of_another_list_cannot_be_changed_through_this_lists_link(client, check, buildings):
    mine = check("Žirmūnų g. 14").headers["Location"]
    theirs = check("Liepų 8").headers["Location"]
    form = table_rows(soup(client.get(theirs)))[0].select_one("form")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    data[form.select_one("select")["name"]] = buildings["Liepų g. 8"].code
    their_row = form["action"].split("/rows/")[1]
    assert client.post(f"{mine}/rows/{their_row}", data=data).status_code == 404
    assert db.session.scalar(select(PortfolioEntry).where(PortfolioEntry.typed == "Liepų 8")).status == "ambiguous"


def test_the_per_email_limit_is_shared_with_the_residents_sign_up(client, check, buildings):
    from tests.notifications.helpers import sign_up

    for _ in range(3):
        assert (
            sign_up(client, address_codes=[buildings["Žirmūnų g. 14"].code], email="pirmininke@example.lt").status_code
            == 303
        )
    location = check("Žirmūnų g. 14").headers["Location"]
    form = soup(client.get(location)).select_one("form[action$='/subscribe']")
    data = {
        "subscribe-csrf_token": form.select_one("input[name=subscribe-csrf_token]")["value"],
        "subscribe-email": "Pirmininke@Example.lt",
        "subscribe-consent": "y",
    }
    assert client.post(form["action"], data=data).status_code == 429


@pytest.mark.parametrize(
    "bomb", [dimension_bomb, lambda: shared_strings_bomb(megabytes=16)], ids=["dimension", "shared-strings"]
)
def test_a_hostile_workbook_is_refused_with_a_clear_message_and_saves_nothing(client, check, buildings, bomb):
    page = soup(check(upload=("namai.xlsx", bomb())))
    assert page.select_one(".error-summary a[href='#upload']").text == (
        "Failas per didelis arba per sudėtingas, kad jį būtų galima perskaityti. Palikite jame tik vieną lapą "
        "su reikalingais stulpeliais ir eilutėmis, išsaugokite kaip CSV arba XLSX ir įkelkite dar kartą."
    )
    assert portfolios() == 0


def test_whole_list_work_is_limited_per_client_across_notices_and_exports(client, check, buildings):
    location = check("Žirmūnų g. 14").headers["Location"]
    statuses = [client.get(f"{location}/notices").status_code for _ in range(20)]
    statuses += [client.get(f"{location}/export.csv").status_code for _ in range(10)]
    assert statuses == [200] * 30
    refused = client.get(f"{location}/export.xlsx")
    assert refused.status_code == 429
    assert "Per daug bandymų" in refused.get_data(as_text=True)
    assert client.get(location).status_code == 200  # the list itself still opens
