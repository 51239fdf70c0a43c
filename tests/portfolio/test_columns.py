"""The files managers really make: columns found by their names, said on the page, changeable; no row lost."""

import csv
import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.portfolio.models import PortfolioEntry
from tests.helpers.html import soup
from tests.helpers.workbooks import xlsx


def table(page) -> list[tuple[str, str, str]]:
    """(typed, building, status) of each row."""
    return [
        tuple(" ".join(td.get_text(" ").split()) for td in row.select("td")[1:4])
        for row in page.select("tr.portfolio-row")
    ]


def columns_said(page) -> list[str]:
    return [" ".join(li.get_text(" ").split()) for li in page.select(".source__columns li")]


def test_separate_street_and_number_columns_are_joined_and_the_page_says_so(client, check, buildings):
    data = "Gatvė;Namo Nr.;Butų sk.\nŽirmūnų g.;12A;40\nLiepų al.;8;12\n".encode()
    page = soup(client.get(check(upload=("namai.csv", data)).headers["Location"]))
    assert table(page) == [
        ("Žirmūnų g. 12A", "Žirmūnų g. 12A", "Rastas"),
        ("Liepų al. 8", "Liepų al. 8", "Rastas"),
    ]
    assert page.select_one(".source h2").get_text(strip=True) == "Kaip perskaitėme failą „namai.csv“"
    assert columns_said(page) == [
        "Stulpelis A „Gatvė“ – Gatvė",
        "Stulpelis B „Namo Nr.“ – Namo numeris",
        "Stulpelis C „Butų sk.“ – Kiti duomenys (perkeliami į eksportą)",
    ]


def test_a_namo_adresas_column_is_read_and_not_the_first_one(client, check, buildings):
    data = "Nr.;Namo adresas\n1;Žirmūnų g. 14\n2;Liepų al. 8\n".encode()
    page = soup(client.get(check(upload=("namai.csv", data)).headers["Location"]))
    assert [row[1] for row in table(page)] == ["Žirmūnų g. 14", "Liepų al. 8"]


@pytest.mark.parametrize(
    "pasted",
    ["Gatvė\tNamo Nr.\nŽirmūnų g.\t14\nLiepų al.\t8", "Žirmūnų g.\t14\nLiepų al.\t8"],
    ids=["with-header", "without-header"],
)
def test_cells_copied_from_excel_are_read_like_a_file(client, check, buildings, pasted):
    page = soup(client.get(check(pasted).headers["Location"]))
    assert table(page) == [("Žirmūnų g. 14", "Žirmūnų g. 14", "Rastas"), ("Liepų al. 8", "Liepų al. 8", "Rastas")]
    assert page.select_one(".source h2").get_text(strip=True) == "Kaip perskaitėme įklijuotus adresus"


def test_an_xlsx_with_separate_columns_and_a_title_line_lists_what_it_left_out(client, check, buildings):
    data = xlsx([["Bendrijos namai"], ["Gatvė", "Nr.", "Korpusas"], ["Žirmūnų g.", 14], [None, None, "2"]])
    page = soup(client.get(check(upload=("namai.xlsx", data)).headers["Location"]))
    assert table(page) == [("Žirmūnų g. 14", "Žirmūnų g. 14", "Rastas")]
    assert page.select_one(".source__skipped summary").get_text(strip=True) == "Praleistos eilutės: 2"
    assert [" ".join(li.get_text(" ").split()) for li in page.select(".source__skipped li")] == [
        "1 eilutė: „Bendrijos namai“ – virš antraštės eilutės",
        "4 eilutė: „2“ – adreso stulpeliai tušti",
    ]


def test_a_plain_paste_of_addresses_needs_no_explanation(client, check, buildings):
    page = soup(client.get(check("Žirmūnų g. 14\nLiepų al. 8").headers["Location"]))
    assert page.select(".source") == []


def _columns_form(page) -> tuple[str, dict]:
    form = page.select_one(".source form")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    for box in form.select("select"):
        chosen = box.select_one("option[selected]") or box.select_one("option")
        data[box["name"]] = chosen["value"]
    return form["action"], data


def test_the_manager_changes_which_column_is_the_address_and_the_rows_are_read_again(client, check, buildings):
    data = "Pavadinimas;Adresas\nŽirmūnų g. 14;Liepų al. 8\nŽirmūnų g. 16;Liepų g. 8\n".encode()
    location = check(upload=("namai.csv", data)).headers["Location"]
    page = soup(client.get(location))
    assert [row[1] for row in table(page)] == ["Liepų al. 8", "Liepų g. 8"]
    action, form = _columns_form(page)
    source = action.split("/sources/")[1].split("/")[0]
    form |= {f"source-{source}-role_0": "address", f"source-{source}-role_1": "other"}
    response = client.post(action, data=form)
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert page.select_one(".banner").get_text(strip=True) == "Stulpeliai perskaityti iš naujo."
    assert [row[1] for row in table(page)] == ["Žirmūnų g. 14", "Žirmūnų g. 16"]
    exported = client.get(f"{location}/export.csv").data.decode("utf-8-sig")
    assert [r["Adresas"] for r in csv.DictReader(io.StringIO(exported), delimiter=";")] == ["Liepų al. 8", "Liepų g. 8"]


def test_a_pick_survives_reading_again_when_the_row_reads_the_same(client, check, buildings):
    data = "Adresas;Pastaba\nLiepų 8;a\nŽirmūnų g. 14;b\n".encode()
    location = check(upload=("namai.csv", data)).headers["Location"]
    row = soup(client.get(location)).select("tr.portfolio-row")[0]
    pick = {i["name"]: i["value"] for i in row.select("form input[type=hidden]")}
    pick[row.select_one("select")["name"]] = buildings["Liepų g. 8"].code
    client.post(row.select_one("form")["action"], data=pick)
    action, form = _columns_form(soup(client.get(location)))
    source = action.split("/sources/")[1].split("/")[0]
    client.post(action, data=form | {f"source-{source}-role_1": "ignored"})
    assert table(soup(client.get(location)))[0] == ("Liepų 8", "Liepų g. 8", "Pasirinktas")


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (("address", "address"), "Pasirinkite „Visas adresas“ tik vienam stulpeliui"),
        (
            ("address", "house"),
            "Pasirinkite arba stulpelį su visu adresu, arba gatvės ir namo numerio stulpelius, ne abu",
        ),
        (("other", "ignored"), "Pasirinkite stulpelį su visu adresu arba stulpelį su gatve"),
    ],
)
def test_a_reading_that_cannot_find_buildings_is_refused_with_a_message(client, check, buildings, roles, message):
    location = check(upload=("namai.csv", "Adresas;Pastaba\nŽirmūnų g. 14;a\n".encode())).headers["Location"]
    action, form = _columns_form(soup(client.get(location)))
    source = action.split("/sources/")[1].split("/")[0]
    form |= {f"source-{source}-role_{i}": role for i, role in enumerate(roles)}
    page = soup(client.post(action, data=form))
    assert page.title.text.startswith("Klaida:")
    assert page.select_one(".error-summary a").text == message
    assert page.select_one(".source details.source__change").has_attr("open")
    assert db.session.scalar(select(PortfolioEntry.typed)) == "Žirmūnų g. 14"


def test_another_lists_source_cannot_be_read_again_through_this_link(client, check, buildings):
    mine = check(upload=("a.csv", "Adresas;X\nŽirmūnų g. 14;1\n".encode())).headers["Location"]
    theirs = check(upload=("b.csv", "Adresas;X\nLiepų al. 8;1\n".encode())).headers["Location"]
    action, form = _columns_form(soup(client.get(theirs)))
    their_source = action.split("/sources/")[1]
    assert client.post(f"{mine}/sources/{their_source}", data=form).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(PortfolioEntry)) == 2
