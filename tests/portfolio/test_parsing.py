"""Reading pasted text, CSV and XLSX into address lines, and resolving them: pure, no app."""

import io
import zipfile

import pytest

from app.addresses.matcher import AddressIndex, AddressRecord, StreetRecord
from app.portfolio.parsing import (
    InputError,
    ParsedSource,
    SkippedLine,
    SkipReason,
    SourceLine,
    parse_pasted,
    read_upload,
    resolve_lines,
)
from app.tabular import TableError
from app.tabular.columns import Role
from tests.helpers.workbooks import xlsx


def typed(source: ParsedSource) -> list[str]:
    return [line.typed for line in source.lines]


def test_pasted_text_gives_one_address_per_line_without_blanks():
    assert typed(parse_pasted("Žirmūnų g. 12A\r\n\n  zirmunu   14 \nLiepų\tal. 8\n")) == [
        "Žirmūnų g. 12A",
        "zirmunu 14",
        "Liepų al. 8",
    ]


def test_csv_in_utf8_with_bom_reads_the_adresas_column():
    data = '\ufeffNr,Adresas,Pastaba\n1,Žirmūnų g. 12A,laiptinė\n2,"Gedimino pr. 9, Vilnius",\n'.encode()
    assert typed(read_upload("namai.csv", data)) == ["Žirmūnų g. 12A", "Gedimino pr. 9, Vilnius"]


def test_csv_from_lithuanian_excel_in_windows_1257_with_semicolons():
    data = "Pavadinimas;Adresas\nBendrija;Šeškinės g. 10\nKita;Žirmūnų g. 12A\n".encode("cp1257")
    assert typed(read_upload("namai.csv", data)) == ["Šeškinės g. 10", "Žirmūnų g. 12A"]


def test_csv_whose_first_column_is_named_namas_reads_it_and_skips_the_header():
    data = "Namas;Savininkas\nŽirmūnų g. 12A;UAB Namai\nLiepų al. 8;\n".encode()
    source = read_upload("namai.csv", data)
    assert (source.reading.header_line, typed(source)) == (1, ["Žirmūnų g. 12A", "Liepų al. 8"])


def test_single_column_csv_keeps_commas_inside_an_address():
    assert typed(read_upload("namai.txt", b"Zirmunu 12a\nGedimino 9, Vilnius\n")) == [
        "Zirmunu 12a",
        "Gedimino 9, Vilnius",
    ]


def test_xlsx_reads_the_adresas_column_and_numbers_as_text():
    data = xlsx([["Kodas", "Adresas"], [1, "Žirmūnų g. 12A"], [2, None], [3, "Liepų al. 8"]])
    source = read_upload("namai.xlsx", data)
    assert typed(source) == ["Žirmūnų g. 12A", "Liepų al. 8"]
    assert source.skipped == (SkippedLine(3, "2", SkipReason.NO_ADDRESS),)


def test_xlsx_without_a_header_reads_the_first_column():
    assert typed(read_upload("namai.xlsx", xlsx([["Žirmūnų g. 12A", 5], ["Liepų al. 8", 6]]))) == [
        "Žirmūnų g. 12A",
        "Liepų al. 8",
    ]


def test_utf16_text_as_excel_saves_unicode_text_is_read():
    data = "Adresas\tPastaba\nŽirmūnų g. 12A\tx\n".encode("utf-16")
    assert typed(read_upload("namai.txt", data)) == ["Žirmūnų g. 12A"]


# --- columns: the files people really make --------------------------------------------------------


def test_street_and_number_columns_are_joined_and_other_columns_kept():
    data = "Gatvė;Namo Nr.;Butų sk.\nŽirmūnų g.;12A;40\nLiepų al.;8;12\n".encode()
    source = read_upload("namai.csv", data)
    assert source.reading.roles == (Role.STREET, Role.HOUSE, Role.OTHER)
    assert source.lines == (
        SourceLine(2, "Žirmūnų g. 12A", "", ((2, "40"),)),
        SourceLine(3, "Liepų al. 8", "", ((2, "12"),)),
    )


def test_a_namo_adresas_column_is_read_wherever_it_is():
    data = "Nr.;Namo adresas;Pastaba\n1;Žirmūnų g. 12A;laiptinė\n2;Liepų al. 8;\n".encode()
    source = read_upload("namai.csv", data)
    assert source.reading.roles == (Role.OTHER, Role.ADDRESS, Role.OTHER)
    assert typed(source) == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_block_is_joined_and_flat_and_city_are_kept_but_not_matched():
    data = "Gatvė;Namo Nr.;Korpusas;Butas;Miestas\nŽirmūnų g.;12;2;5;Vilnius\nLiepų al.;8;;;Vilnius\n".encode()
    source = read_upload("namai.csv", data)
    assert source.reading.roles == (Role.STREET, Role.HOUSE, Role.BLOCK, Role.FLAT, Role.CITY)
    assert [(line.typed, line.kept) for line in source.lines] == [
        ("Žirmūnų g. 12 K2", ((3, "5"), (4, "Vilnius"))),
        ("Liepų al. 8", ((4, "Vilnius"),)),
    ]


@pytest.mark.parametrize(
    "header",
    ["Улица;Дом;Корпус;Квартира", "Ulica;Nr domu;Blok;Mieszkanie", "Street;House number;Block;Flat"],
    ids=["ru", "pl", "en"],
)
def test_headers_in_russian_polish_and_english_are_understood(header):
    source = read_upload("namai.csv", f"{header}\nŽirmūnų g.;12;2;5\n".encode())
    assert source.reading.roles == (Role.STREET, Role.HOUSE, Role.BLOCK, Role.FLAT)
    assert typed(source) == ["Žirmūnų g. 12 K2"]


@pytest.mark.parametrize(
    "text",
    ["Gatvė\tNamo Nr.\nŽirmūnų g.\t12A\nLiepų al.\t8\n", "Žirmūnų g.\t12A\nLiepų al.\t8\n"],
    ids=["with-header", "without-header"],
)
def test_cells_pasted_from_a_spreadsheet_read_the_same_with_or_without_a_header(text):
    source = parse_pasted(text)
    assert source.reading.roles == (Role.STREET, Role.HOUSE)
    assert typed(source) == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_a_comma_in_some_pasted_lines_is_not_taken_for_a_delimiter():
    source = parse_pasted("Gedimino pr. 9, Vilnius\nŽirmūnų g. 12A\nLiepų al. 8\n")
    assert source.reading.roles == (Role.ADDRESS,)
    assert typed(source) == ["Gedimino pr. 9, Vilnius", "Žirmūnų g. 12A", "Liepų al. 8"]


def test_a_first_row_is_a_header_only_when_its_cells_are_header_names():
    source = parse_pasted("Žirmūnų g. 12A;laiptinė A\nLiepų al. 8;laiptinė B\n")
    assert source.reading.header_line is None
    assert typed(source) == ["Žirmūnų g. 12A", "Liepų al. 8"]


def test_every_row_that_is_no_address_is_listed_with_its_reason():
    data = "Bendrijos namai, 2026 m.\nAdresas;Pastaba\nŽirmūnų g. 12A;x\n;tik pastaba\nLiepų al. 8;\n".encode()
    source = read_upload("namai.csv", data)
    assert typed(source) == ["Žirmūnų g. 12A", "Liepų al. 8"]
    assert source.skipped == (
        SkippedLine(1, "Bendrijos namai, 2026 m.", SkipReason.ABOVE_HEADER),
        SkippedLine(4, "tik pastaba", SkipReason.NO_ADDRESS),
    )


def test_the_services_own_export_is_read_back_by_what_was_typed_and_the_code():
    data = (
        "Eil. Nr.;Įvesta;Adresas registre;Adreso kodas;Būsena;Nuoroda;Butų sk.\n"
        "1;zirmunu 12a;Žirmūnų g. 12A;11;Rastas;http://localhost/address/11;40\n"
        "2;'=Nėra g. 1;;;Nerastas;;\n"
    ).encode()
    source = read_upload("eksportas.csv", data)
    assert source.reading.roles == (
        Role.IGNORED, Role.ADDRESS, Role.IGNORED, Role.CODE, Role.IGNORED, Role.IGNORED, Role.OTHER
    )  # fmt: skip
    assert source.lines == (SourceLine(2, "zirmunu 12a", "11", ((6, "40"),)), SourceLine(3, "=Nėra g. 1"))


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
    assert len(parse_pasted("\n".join(f"Žirmūnų g. {n}" for n in range(1, 1001))).lines) == 1000


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


def lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(number, text) for number, text in enumerate(texts, start=1)]


def test_lines_resolve_to_found_ambiguous_street_only_and_not_found(index):
    rows = resolve_lines(lines("zirmunu 12a", "Liepų 8", "Žirmūnų g. 13", "Nėra g. 1", "ZIRMUNU 12A"), index)
    assert [r.status for r in rows] == ["found", "ambiguous", "street_only", "not_found", "found"]
    assert rows[0].address_code == "11"
    assert rows[4].address_code == "11"
    assert rows[4].typed == "ZIRMUNU 12A"
    assert {code for code, _ in rows[1].candidates} == {"21", "31"}
    assert ("12", "Žirmūnų g. 14") in rows[2].candidates


def test_a_register_code_finds_the_building_and_says_whether_the_text_did_too(index):
    rows = resolve_lines(
        [
            SourceLine(1, "zirmunu 12a", "11"),
            SourceLine(2, "Liepų 8", "21"),
            SourceLine(3, "", "31"),
            SourceLine(4, "Nėra g. 1", "999"),
        ],
        index,
    )
    assert [(r.typed, r.status, r.address_code) for r in rows] == [
        ("zirmunu 12a", "found", "11"),
        ("Liepų 8", "picked", "21"),
        ("Liepų g. 8", "picked", "31"),
        ("Nėra g. 1", "not_found", None),
    ]
