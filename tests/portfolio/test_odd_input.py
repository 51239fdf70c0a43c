"""Inputs a form never sends but a person (or a script) can: each gets a clear answer, never a 500."""

import io

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.portfolio.models import Portfolio, PortfolioEntry, PortfolioSource
from app.upload_limits import UPLOAD_LIMIT
from tests.helpers.html import soup


@pytest.fixture
def list_url(check, buildings, make_shutoff) -> str:
    make_shutoff(buildings["Žirmūnų g. 14"], starts_in=3)
    return check("Žirmūnų g. 14\nLiepų al. 8").headers["Location"]


def _form_data(page, selector: str) -> tuple[str, dict]:
    form = page.select_one(selector)
    return form["action"], {i["name"]: i["value"] for i in form.select("input[type=hidden]")}


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(PortfolioEntry))


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999999", "-1", "1e3"])
def test_a_row_number_that_is_no_row_removes_nothing_and_asks_to_tick_rows(client, list_url, value):
    action, data = _form_data(soup(client.get(list_url)), "form#remove-rows")
    response = client.post(action, data=data | {"remove": value})
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert page.select_one(".banner").text.strip() == "Pažymėkite eilutes, kurias norite pašalinti."
    assert rows() == 2


@pytest.mark.parametrize("action", ["pick", "retype"])
@pytest.mark.parametrize("row_id", ["99999999999999999999999", "2147483648"])
def test_a_row_id_past_what_the_database_holds_is_not_found(client, list_url, action, row_id):
    assert client.post(f"{list_url}/rows/{row_id}/{action}", data={}).status_code == 404


def _save(client, list_url: str, name: str):
    action, data = _form_data(soup(client.get(list_url)), "form[action$='/save']")
    return client.post(action, data=data | {"save-name": name})


def _feed(client, list_url: str) -> Calendar:
    feed_url = soup(client.get(list_url)).select_one("#calendar-url")["value"]
    response = client.get(feed_url.removeprefix("http://localhost"))
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def test_a_name_typed_with_a_line_break_is_kept_on_one_line_and_the_feed_works(client, list_url):
    assert _save(client, list_url, "Bendrija\r\nŽirmūnai\tB").status_code == 302
    assert db.session.scalar(select(Portfolio.name)) == "Bendrija Žirmūnai B"
    assert str(_feed(client, list_url)["x-wr-calname"]) == "Bendrija Žirmūnai B"


def test_a_name_stored_with_a_line_break_still_gives_a_working_feed(client, list_url):
    portfolio = db.session.scalar(select(Portfolio))
    portfolio.name = "Bendrija\nX-INJECTED:yes"
    db.session.commit()
    calendar = _feed(client, list_url)
    assert str(calendar["x-wr-calname"]) == "Bendrija X-INJECTED:yes"
    assert "X-INJECTED" not in calendar


def test_a_name_with_semicolons_and_commas_is_escaped_text_in_the_feed(client, list_url):
    assert _save(client, list_url, "Bendrija; Žirmūnai, B").status_code == 302
    feed_url = soup(client.get(list_url)).select_one("#calendar-url")["value"]
    lines = client.get(feed_url.removeprefix("http://localhost")).get_data(as_text=True).splitlines()
    assert "X-WR-CALNAME:Bendrija\\; Žirmūnai\\, B" in lines


def test_a_name_with_a_control_character_is_refused_with_a_message(client, list_url):
    page = soup(_save(client, list_url, "Bendrija\x07"))
    assert page.select_one(".error-summary a").text == (
        "Pavadinime gali būti raidės, skaitmenys, tarpai ir skyrybos ženklai"
    )
    assert db.session.scalar(select(Portfolio.name)) == ""


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("[]:*?/\\", "Adresai"),
        ("'Namai: 2027/05'", "Namai 202705"),
        ("Labai ilgas bendrijos pavadinimas 123", "Labai ilgas bendrijos pavadinim"),
    ],
)
def test_any_list_name_gives_an_xlsx_with_a_sheet_name_excel_accepts(client, list_url, name, title):
    _save(client, list_url, name)
    response = client.get(f"{list_url}/export.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.data)).active.title == title


def test_every_upload_counts_against_the_per_ip_limit_even_when_the_file_is_refused(check, buildings):
    per_hour = int(UPLOAD_LIMIT.split()[0])
    statuses = [check(upload=("namai.pdf", b"%PDF-1.7")).status_code for _ in range(per_hour)]
    assert statuses == [200] * per_hour
    refused = check(upload=("namai.csv", "Žirmūnų g. 14\n".encode()))
    assert refused.status_code == 429
    assert "Per daug bandymų" in refused.get_data(as_text=True)
    assert check("Žirmūnų g. 14").status_code == 302  # a pasted list is no upload


@pytest.mark.parametrize(
    ("sent_as", "shown_as"),
    [
        ("namai\x00.csv", "namai.csv"),  # PostgreSQL refuses NUL in text: was a 500 there
        ("../../namai.csv", "namai.csv"),
        ("namai\x7f\x1b.csv", "namai.csv"),
        ("n" * 300 + ".csv", "n" * 251 + ".csv"),  # the column holds 255: was a 500 on PostgreSQL
    ],
)
def test_a_file_name_is_kept_as_its_printable_base_name_that_fits(client, check, buildings, sent_as, shown_as):
    response = check(upload=(sent_as, "Žirmūnų g. 14\nLiepų al. 8\n".encode()))
    assert response.status_code == 302
    heading = soup(client.get(response.headers["Location"])).select_one("[id$=-heading]")
    assert heading.get_text(" ", strip=True) == f"Kaip perskaitėme failą „{shown_as}“"
    assert db.session.scalars(select(PortfolioSource.filename)).one() == shown_as
