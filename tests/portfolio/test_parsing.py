"""Reading pasted text, CSV and XLSX into address lines, and resolving them: pure, no app."""

import io
import zipfile

import pytest

from app.addresses.matcher import AddressIndex, AddressRecord, StreetRecord
from app.portfolio.parsing import InputError, parse_pasted, read_upload, resolve_lines
from app.tabular import TableError
from tests.helpers.workbooks import xlsx


def test_pasted_text_gives_one_address_per_line_without_blanks():
    assert parse_pasted("Žirmūnų g. 12A\r\n\n  zirmunu   14 \nLiepų\tal. 8\n") == [
        "Žirmūnų g. 12A",
        "zirmunu 14",
        "Liepų al. 8",
    ]


def test_csv_in_utf8_with_bom_reads_the_adresas_column():
    data = '\ufeffNr,Adresas,Pastaba\n1,Žirmūnų g. 12A,laiptinė\n2,"Gedimino pr. 9, Vilnius",\n'.encode()
    assert read_upload("namai.csv", data) == ["Žirmūnų g. 12A", "Gedimino pr. 9, Vilnius"]


def test_csv_from_lithuanian_excel_in_windows_1257_with_semicolons():
    data = "Pavadinimas;Adresas\nBendrija;Šeškinės g. 10\nKita;Žirmūnų g. 12A\n".encode("cp1257")
    assert read_upload("namai.csv", data) == ["Šeškinės g. 10", "Žirmūnų g. 12A"]


def test_csv_without_an_adresas_column_reads_the_first_and_skips_a_header():
    data = "Namas;Savininkas\nŽirmūnų g. 12A;UAB Namai\nLiepų al. 8;\n".encode()
    assert read_upload("namai.csv", data) == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_single_column_csv_keeps_commas_inside_an_address():
    assert read_upload("namai.txt", b"Zirmunu 12a\nGedimino 9\n") == ["Zirmunu 12a", "Gedimino 9"]


def test_xlsx_reads_the_adresas_column_and_numbers_as_text():
    data = xlsx([["Kodas", "Adresas"], [1, "Žirmūnų g. 12A"], [2, None], [3, "Liepų al. 8"]])
    assert read_upload("namai.xlsx", data) == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_xlsx_without_a_header_reads_the_first_column():
    assert read_upload("namai.xlsx", xlsx([["Žirmūnų g. 12A", 5], ["Liepų al. 8", 6]])) == [
        "Žirmūnų g. 12A",
        "Liepų al. 8",
    ]


def test_utf16_text_as_excel_saves_unicode_text_is_read():
    data = "Adresas\tPastaba\nŽirmūnų g. 12A\tx\n".encode("utf-16")
    assert read_upload("namai.txt", data) == ["Žirmūnų g. 12A"]


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("namai.csv", b""),
        ("namai.pdf", b""),
        ("namai.csv", b"   \r\n\r\n"),
        ("namai.csv", b"Adresas\n\n;\n"),
    ],
)
def test_a_file_without_addresses_is_refused_as_empty(filename, data):
    with pytest.raises(InputError) as raised:
        read_upload(filename, data)
    assert raised.value.kind == "empty"
    assert str(raised.value) == "Faile nėra nė vieno adreso. Pasirinkite failą, kuriame yra adresų stulpelis."


@pytest.mark.parametrize(
    ("filename", "data", "kind"),
    [
        ("namai.pdf", b"%PDF-1.7\n...", "not_csv_xlsx"),
        ("namai.docx", _zip_without_workbook(), "not_csv_xlsx"),
        ("namai.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old_excel"),
        ("namai.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("namai.csv", bytes(range(256)) * 4, "binary"),
        ("namai.csv", "Адрес\nЖирмуну 12\n".encode("cp1251"), "encoding"),
        ("namai.xlsx", b"Adresas\nZirmunu 12\n", "broken_xlsx"),
        ("namai.xlsx", _zip_without_workbook(), "broken_xlsx"),
        ("namai.csv", _zip_without_workbook(), "broken_xlsx"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(filename, data, kind):
    with pytest.raises(TableError) as raised:
        read_upload(filename, data)
    assert raised.value.kind == kind


def test_more_than_a_thousand_rows_are_refused_with_the_count():
    with pytest.raises(InputError) as raised:
        parse_pasted("\n".join(f"Žirmūnų g. {n}" for n in range(1, 1002)))
    assert (raised.value.kind, raised.value.count) == ("too_many", 1001)
    assert len(parse_pasted("\n".join(f"Žirmūnų g. {n}" for n in range(1, 1001)))) == 1000


@pytest.fixture
def index() -> AddressIndex:
    streets = [
        StreetRecord("1", "Žirmūnų", "gatvė", "g."),
        StreetRecord("2", "Liepų", "alėja", "al."),
        StreetRecord("3", "Liepų", "gatvė", "g."),
    ]
    addresses = [
        AddressRecord("11", "1", "12A", "", "Žirmūnų g. 12A"),
        AddressRecord("12", "1", "14", "", "Žirmūnų g. 14"),
        AddressRecord("21", "2", "8", "", "Liepų al. 8"),
        AddressRecord("31", "3", "8", "", "Liepų g. 8"),
    ]
    return AddressIndex(streets=streets, addresses=addresses)


def test_lines_resolve_to_found_ambiguous_street_only_and_not_found(index):
    rows = resolve_lines(["zirmunu 12a", "Liepų 8", "Žirmūnų g. 13", "Nėra g. 1", "ZIRMUNU 12A"], index)
    assert [r.status for r in rows] == ["found", "ambiguous", "street_only", "not_found", "found"]
    assert rows[0].address_code == "11"
    assert rows[4].address_code == "11"
    assert rows[4].typed == "ZIRMUNU 12A"
    assert {code for code, _ in rows[1].candidates} == {"21", "31"}
    assert ("12", "Žirmūnų g. 14") in rows[2].candidates
