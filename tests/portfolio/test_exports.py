"""What leaves the site: CSV and XLSX read back, the calendar feed parsed, notices, and signed links."""

import csv
import io
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.portfolio.links import sign_public_id
from app.portfolio.models import Portfolio
from app.shutoffs.models import ShutoffStatus
from tests.helpers.html import soup


@pytest.fixture
def portfolio_url(client, check, buildings, make_shutoff) -> str:
    make_shutoff(buildings["Žirmūnų g. 12A"], starts_in=5, days=3)
    make_shutoff(buildings["Liepų al. 8"], starts_in=60, days=2)
    make_shutoff(buildings["Žirmūnų g. 16"], starts_in=2, days=2, status=ShutoffStatus.CANCELLED)
    return check("zirmunu 12a\nLiepų al. 8\nŽirmūnų g. 16\n=Nėra g. 1").headers["Location"]


def test_csv_export_opens_with_the_table_rows(client, portfolio_url, buildings):
    response = client.get(f"{portfolio_url}/export.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Adresas registre"] for r in rows] == ["Žirmūnų g. 12A", "Liepų al. 8", "Žirmūnų g. 16", ""]
    first = rows[0]
    assert first["Įvesta"] == "zirmunu 12a"
    assert first["Adreso kodas"] == buildings["Žirmūnų g. 12A"].code
    assert first["Būsena"] == "Rastas"
    assert first["Išjungimas artimiausiomis savaitėmis"] == "taip"
    assert first["Priežastis"] == "hidrauliniai bandymai"
    assert rows[1]["Išjungimas artimiausiomis savaitėmis"] == "ne"
    assert rows[1]["Išjungimo pradžia"]
    assert rows[2]["Išjungimo pradžia"] == ""  # only a cancelled one
    assert rows[3]["Įvesta"] == "'=Nėra g. 1"  # never a formula in a spreadsheet
    assert rows[3]["Būsena"] == "Nerastas"


def _table(client, url: str) -> list[tuple[str, str, str]]:
    """(typed, building, status) of every row of a list, read from its page."""
    page = soup(client.get(url))
    return [
        tuple(" ".join(td.get_text(" ").split()) for td in row.select("td")[1:4])
        for row in page.select("tr.portfolio-row")
    ]


@pytest.fixture
def mixed_list(client, check, buildings) -> str:
    """A list with every kind of row, made from a file with a column of its own, one row picked."""
    data = "Adresas;Butų sk.\nzirmunu 12a;40\nLiepų 8;12\nLiepų 8;7\nŽirmūnų g. 13;\n=Nėra g. 1;3\n".encode()
    url = check(upload=("namai.csv", data)).headers["Location"]
    form = soup(client.get(url)).select("tr.portfolio-row")[1].select_one("form")
    picked = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    picked[form.select_one("select")["name"]] = buildings["Liepų g. 8"].code
    client.post(form["action"], data=picked)
    return url


MIXED_TABLE = [
    ("zirmunu 12a", "Žirmūnų g. 12A", "Rastas"),
    ("Liepų 8", "Liepų g. 8", "Pasirinktas"),
    ("Liepų 8", "Kuris namas? Liepų al. 8 Liepų g. 8 Pasirinkti", "Patikslinkite"),
    (
        "Žirmūnų g. 13",
        "Kuris namas? Tokio namo numerio registre nėra. Gal tai vienas iš šių? Žirmūnų g. 12A Žirmūnų g. 14 Žirmūnų g. 16 Pasirinkti",
        "Namo nėra registre",
    ),
    ("=Nėra g. 1", "Pataisykite adresą Adreso neradome. Pataisykite ir patikrinkite dar kartą. Tikrinti", "Nerastas"),
]


def test_a_list_made_from_a_file_keeps_every_row(client, mixed_list):
    assert _table(client, mixed_list) == MIXED_TABLE


@pytest.mark.parametrize("language", ["lt", "en", "ru", "pl"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_services_own_export_uploaded_again_gives_the_same_rows(client, check, mixed_list, extension, language):
    exported = client.get(f"{mixed_list}/export.{extension}", query_string={"lang": language}).data
    again = check(upload=(f"eksportas.{extension}", exported)).headers["Location"]
    assert _table(client, again) == MIXED_TABLE
    rows = list(csv.DictReader(io.StringIO(client.get(f"{again}/export.csv").data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Butų sk."] for r in rows] == ["40", "12", "7", "", "3"]
    assert list(rows[0])[-2:] == ["Nuoroda", "Butų sk."]


def test_xlsx_export_opens_in_openpyxl_with_dates_as_dates(client, portfolio_url, buildings):
    response = client.get(f"{portfolio_url}/export.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    assert header[:5] == ("Eil. Nr.", "Įvesta", "Adresas registre", "Adreso kodas", "Būsena")
    assert values[1][2:5] == ("Žirmūnų g. 12A", buildings["Žirmūnų g. 12A"].code, "Rastas")
    started = values[1][header.index("Išjungimo pradžia")]
    assert started.date() > started.date().replace(year=2000)
    assert values[4][1] == "=Nėra g. 1"
    assert sheet.cell(row=5, column=2).data_type == "s"
    assert sheet.freeze_panes == "A2"


def test_pasted_lines_with_control_characters_still_export_to_xlsx(client, check, buildings):
    """XML has no place for ESC or a form feed: openpyxl refused the whole workbook (a 500)."""
    list_url = check("Adresas;Pastaba\x1b\nŽirmūnų g. 14;laiptinė\x0c2\nLiepų al. 8\x1b;\x01\n").headers["Location"]
    response = client.get(f"{list_url}/export.xlsx")
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert values[0][-1] == "Pastaba"
    assert [(row[1], row[2], row[-1]) for row in values[1:]] == [
        ("Žirmūnų g. 14", "Žirmūnų g. 14", "laiptinė 2"),
        ("Liepų al. 8", None, None),
    ]


def test_a_column_name_from_the_managers_file_is_text_in_both_exports_never_a_formula(client, check, buildings):
    upload = 'Adresas;=HYPERLINK("https://evil.example","Spauskite");Pastaba\nŽirmūnų g. 14;=1+1;@SUM(A1)\n'
    list_url = check(upload=("namai.csv", upload.encode())).headers["Location"]
    exported = client.get(f"{list_url}/export.csv").data.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert header[-2:] == ['\'=HYPERLINK("https://evil.example","Spauskite")', "Pastaba"]
    assert row[-2:] == ["'=1+1", "'@SUM(A1)"]
    sheet = load_workbook(io.BytesIO(client.get(f"{list_url}/export.xlsx").data)).active
    cells = [(cell.value, cell.data_type) for cell in sheet[1]][-2:] + [(c.value, c.data_type) for c in sheet[2]][-2:]
    assert cells == [
        ('=HYPERLINK("https://evil.example","Spauskite")', "s"),
        ("Pastaba", "s"),
        ("=1+1", "s"),
        ("@SUM(A1)", "s"),
    ]


def test_the_affected_filter_applies_to_the_exports(client, portfolio_url):
    response = client.get(f"{portfolio_url}/export.csv", query_string={"show": "affected"})
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Adresas registre"] for r in rows] == ["Žirmūnų g. 12A"]


def test_the_calendar_feed_parses_with_one_all_day_event_per_shutoff(client, portfolio_url):
    page = soup(client.get(portfolio_url))
    feed_url = page.select_one("#calendar-url")["value"]
    response = client.get(feed_url.removeprefix("http://localhost"))
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:" in response.data  # calendar apps poll for changes
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 3
    cancelled, soon, later = events
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(soon["summary"]) == "Karšto vandens nebus (hidrauliniai bandymai), Žirmūnų g. 12A"
    assert (soon.decoded("dtend") - soon.decoded("dtstart")).days == 3
    assert str(later["location"]) == "Liepų al. 8"
    assert len({str(e["uid"]) for e in events}) == 3


def _events(client, path: str) -> dict[str, dict]:
    calendar = Calendar.from_ical(client.get(path.removeprefix("http://localhost")).data)
    fields = ("summary", "description", "status", "sequence", "dtstart", "dtend", "location", "url")
    return {str(e["uid"]): {f: e.decoded(f) for f in fields} for e in calendar.walk("VEVENT")}


def test_a_shutoff_is_the_same_event_in_the_lists_feed_and_in_its_buildings_feed(
    client, check, buildings, make_shutoff
):
    today = date.today()
    ended = make_shutoff(buildings["Žirmūnų g. 14"], starts_in=-5, days=2)
    moved = make_shutoff(buildings["Žirmūnų g. 14"], starts_in=8, days=2, status=ShutoffStatus.MOVED,
                         moved_from=(today, today))  # fmt: skip
    cancelled = make_shutoff(buildings["Liepų al. 8"], starts_in=3, status=ShutoffStatus.CANCELLED, note="Darbai kieme")
    location = check("Žirmūnų g. 14\nLiepų al. 8").headers["Location"]
    in_list = _events(client, soup(client.get(location)).select_one("#calendar-url")["value"])
    in_buildings = _events(client, f"/address/{buildings['Žirmūnų g. 14'].code}/shutoffs.ics") | _events(
        client, f"/address/{buildings['Liepų al. 8'].code}/shutoffs.ics"
    )
    assert in_list == in_buildings
    assert len(in_list) == 3
    url = f"http://localhost/address/{buildings['Žirmūnų g. 14'].code}"
    assert in_list[f"shutoff-{ended.id}@karstas-vanduo"]["summary"] == (
        "Karšto vandens nebus (hidrauliniai bandymai), Žirmūnų g. 14"
    )
    assert in_list[f"shutoff-{ended.id}@karstas-vanduo"]["description"] == f"Naujausia informacija: {url}"
    assert in_list[f"shutoff-{moved.id}@karstas-vanduo"]["sequence"] == 1
    assert in_list[f"shutoff-{moved.id}@karstas-vanduo"]["description"] == (
        f"Išjungimo datos pakeistos.\nNaujausia informacija: {url}"
    )
    event = in_list[f"shutoff-{cancelled.id}@karstas-vanduo"]
    assert (event["summary"], event["status"]) == (
        "Atšaukta: karšto vandens išjungimas (hidrauliniai bandymai), Liepų al. 8",
        "CANCELLED",
    )
    assert event["description"].startswith("Darbai kieme\nIšjungimas atšauktas: karštas vanduo bus.\n")


def test_notices_print_one_page_per_building_with_a_shutoff_coming(client, portfolio_url, buildings):
    page = soup(client.get(f"{portfolio_url}/notices"))
    notices = page.select("article.notice")
    assert [n.select_one(".notice__address").text for n in notices] == [
        "Žirmūnų g. 12A, Vilnius",
        "Liepų al. 8, Vilnius",
    ]
    assert notices[0].select_one(".notice__title").text == "Karšto vandens nebus"
    assert notices[0].select_one("figure.qr svg") is not None
    assert notices[0].select_one(".notice__url").text.endswith(f"/address/{buildings['Žirmūnų g. 12A'].code}")


def _tampered(token: str) -> str:
    body, _, signature = token.rpartition(".")
    return f"{body}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}"


def test_private_links_refuse_tampering(client, portfolio_url):
    token = portfolio_url.rsplit("/", 1)[1]
    for path in ("", "/export.csv", "/export.xlsx", "/notices"):
        assert client.get(f"/managers/p/{token}{path}").status_code == 200
        assert client.get(f"/managers/p/{_tampered(token)}{path}").status_code == 404
    assert client.get("/managers/p/not-a-token").status_code == 404


def test_a_guessed_id_without_the_signature_opens_nothing(app, client, portfolio_url):
    public_id = db.session.scalar(select(Portfolio)).public_id
    assert client.get(f"/managers/p/{public_id}").status_code == 404
    signed_with_another_key = sign_public_id(public_id, "edit")
    app.config["SECRET_KEY"] = "another-key"
    assert client.get(f"/managers/p/{signed_with_another_key}").status_code == 404


def test_the_calendar_link_does_not_open_the_list_and_the_list_link_is_no_calendar(client, portfolio_url):
    page = soup(client.get(portfolio_url))
    calendar_token = page.select_one("#calendar-url")["value"].rsplit("/", 1)[1].removesuffix(".ics")
    edit_token = portfolio_url.rsplit("/", 1)[1]
    assert client.get(f"/managers/p/{calendar_token}").status_code == 404
    assert client.get(f"/managers/calendar/{edit_token}.ics").status_code == 404
    assert client.get(f"/managers/calendar/{_tampered(calendar_token)}.ics").status_code == 404


def test_private_pages_are_kept_out_of_caches_and_search_engines(client, portfolio_url):
    response = client.get(portfolio_url)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
