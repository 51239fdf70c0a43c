"""The one reader of uploaded tables: encodings, delimiters, quoting, line numbers, XLSX, refusals and the
bounds that keep a hostile file from taking a worker down. Pure, no app."""

from datetime import date, datetime

import pytest

from app.tabular import MANAGER_LIMITS, Limits, Row, TableError, cell_text, read_table, read_text
from tests.helpers.workbooks import (
    dimension_bomb,
    handmade_xlsx,
    many_shared_strings,
    shared_strings_bomb,
    text_cell,
    xlsx,
)

TOO_LARGE = (
    "Failas per didelis arba per sudėtingas, kad jį būtų galima perskaityti. Palikite jame tik vieną lapą "
    "su reikalingais stulpeliais ir eilutėmis, išsaugokite kaip CSV arba XLSX ir įkelkite dar kartą."
)


def test_utf8_with_a_bom_and_commas():
    table = read_table("\ufeffAdresai,Pradžia\nŽirmūnų g. 2,2030-05-10\n".encode(), "grafikas.csv")
    assert table.rows == (Row(1, ("Adresai", "Pradžia")), Row(2, ("Žirmūnų g. 2", "2030-05-10")))
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")


def test_windows_1257_with_semicolons_as_lithuanian_excel_saves_csv():
    table = read_table("Adresas;Pastaba\nŠeškinės g. 10;laiptinė „A“\n".encode("cp1257"), "namai.csv")
    assert table.rows[1].cells == ("Šeškinės g. 10", "laiptinė „A“")
    assert (table.encoding, table.delimiter) == ("cp1257", ";")


def test_utf16_with_tabs_as_excel_saves_unicode_text():
    table = read_table("Adresas\tPastaba\nŽirmūnų g. 12A\tx\n".encode("utf-16"), "namai.txt")
    assert table.rows[1].cells == ("Žirmūnų g. 12A", "x")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")


@pytest.mark.parametrize(
    "data",
    [
        "Адрес\nЖирмуну 12\n".encode("cp1251"),  # Cyrillic Windows-1251 would read as Lithuanian nonsense
        b"Adresas\nZirmunu g. 12\x81\n",  # a byte Windows-1257 leaves undefined: refused, never replaced
    ],
    ids=["windows-1251", "undefined-byte"],
)
def test_text_in_another_encoding_is_refused_rather_than_read_as_nonsense(data):
    with pytest.raises(TableError) as raised:
        read_table(data, "namai.csv")
    assert raised.value.kind == "encoding"
    assert str(raised.value) == (
        "Nepavyko perskaityti failo koduotės. Išsaugokite jį kaip „CSV UTF-8“ arba XLSX ir įkelkite dar kartą."
    )


def test_a_delimiter_inside_quotes_is_part_of_the_cell():
    data = 'Adresai,Pradžia\n"Žirmūnų g. 2, 4; Liepų al. 3–5",2030-05-10\n'.encode()
    table = read_table(data, "grafikas.csv")
    assert table.delimiter == ","
    assert table.rows[1].cells == ("Žirmūnų g. 2, 4; Liepų al. 3–5", "2030-05-10")


@pytest.mark.parametrize(
    "text",
    [
        # `;` comes first in the preference order and appears in a cell: it splits only one line.
        "Adresas,Pastaba\nŽirmūnų g. 2,laiptinės 1; 2\nLiepų al. 8,\n",
        # `;` outnumbers `,` in the first lines, but only `,` gives every line the same cells.
        "Adresai,Pradžia\nA. Goštauto g. 1; Liepų al. 2; Žirmūnų g. 3; Vilniaus g. 4,2030-05-10\n",
    ],
)
def test_the_delimiter_is_the_one_that_splits_every_line_alike(text):
    table = read_table(text.encode(), "namai.csv")
    assert table.delimiter == ","
    assert [len(row.cells) for row in table.rows] == [2] * len(table.rows)


def test_a_title_line_above_the_header_does_not_decide_the_delimiter():
    text = "Grafikas, 2030 m.\nAdresai;Pradžia;Pabaiga\nŽirmūnų g. 2, 4;2030-05-10;2030-05-11\n"
    table = read_table(text.encode(), "grafikas.csv")
    assert table.delimiter == ";"
    assert table.rows[2].cells == ("Žirmūnų g. 2, 4", "2030-05-10", "2030-05-11")


def test_a_one_column_list_keeps_commas_inside_its_addresses():
    table = read_table("Gedimino pr. 9, Vilnius\nŽirmūnų g. 12A\nLiepų al. 8\n".encode(), "namai.txt")
    assert table.delimiter is None
    assert [row.cells for row in table.rows] == [("Gedimino pr. 9, Vilnius",), ("Žirmūnų g. 12A",), ("Liepų al. 8",)]


def test_rows_keep_the_line_where_they_start_and_blank_lines_are_left_out():
    text = 'Adresai,Pastaba\n"Žirmūnų g. 2,\n4",x\n\n ,\nLiepų al. 8,y\n'
    table = read_table(text.encode(), "grafikas.csv")
    assert [row.line for row in table.rows] == [1, 2, 6]
    assert table.rows[1].cells == ("Žirmūnų g. 2,\n4", "x")


def test_an_xlsx_sheet_gives_text_cells_dates_and_whole_numbers():
    data = xlsx(
        [
            ["Adresai", "Pradžia", "Pabaiga", "Nr."],
            [None, None, None, None],
            ["Žirmūnų g. 2", date(2030, 5, 10), datetime(2030, 5, 11, 8, 30), 12.0],
        ]
    )
    table = read_table(data, "grafikas.xlsx")
    assert table.rows == (
        Row(1, ("Adresai", "Pradžia", "Pabaiga", "Nr.")),
        Row(3, ("Žirmūnų g. 2", "2030-05-10", "2030-05-11 08:30:00", "12")),
    )
    assert (table.encoding, table.delimiter) == (None, None)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12.0, "12"),  # Excel keeps every number as a float
        (2.5, "2.5"),
        (7, "7"),
        (datetime(2030, 5, 10), "2030-05-10"),
        (datetime(2030, 5, 10, 8, 30), "2030-05-10 08:30:00"),
        (date(2030, 5, 10), "2030-05-10"),
        ("Žirmūnų\x00 g. 2", "Žirmūnų g. 2"),
    ],
)
def test_a_spreadsheet_value_becomes_the_text_a_person_sees(value, text):
    assert cell_text(value) == text


def test_an_xlsx_is_read_from_the_sheet_open_when_it_was_saved():
    data = xlsx([["Senas lapas"]], [["Adresas"], ["Žirmūnų g. 12A"]], active=1)
    assert [row.cells for row in read_table(data, "namai.xlsx").rows] == [("Adresas",), ("Žirmūnų g. 12A",)]


def test_reading_stops_after_max_rows_and_says_so():
    data = "\n".join(f"Žirmūnų g. {n}" for n in range(1, 11)).encode()
    table = read_table(data, "namai.csv", max_rows=3)
    assert [row.cells[0] for row in table.rows] == ["Žirmūnų g. 1", "Žirmūnų g. 2", "Žirmūnų g. 3"]
    assert table.truncated
    assert not read_table(data, "namai.csv", max_rows=10).truncated


@pytest.mark.parametrize(("data", "filename"), [(b"", "namai.csv"), (b" \r\n\r\n", "namai.txt"), (b"", "namai.pdf")])
def test_an_empty_file_is_an_empty_table(data, filename):
    assert read_table(data, filename).rows == ()


def test_a_name_without_an_extension_is_read_by_its_content():
    assert read_table(b"Adresas\nZirmunu 12\n", "namai").rows[1].cells == ("Zirmunu 12",)
    assert read_table(xlsx([["Adresas"]]), "namai").rows[0].cells == ("Adresas",)


def _unclosed_quote() -> bytes:
    return b'Adresas,Pastaba\n"Zirmunu 12,' + b"x" * 200_000 + b"\n"


@pytest.mark.parametrize(
    ("data", "filename", "kind", "message"),
    [
        (b"%PDF-1.7\n", "namai.pdf", "not_csv_xlsx", "Pasirinkite CSV arba XLSX failą."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "namai.xls",
            "old_excel",
            "Tai senas Excel (.xls) failas. Išsaugokite jį kaip XLSX arba CSV ir įkelkite dar kartą.",
        ),
        (b"\x89PNG\r\n\x1a\n", "namai.csv", "binary", "Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą."),
        (
            b"Adresas\x00\nZirmunu 12\n",
            "namai.csv",
            "binary",
            "Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą.",
        ),
        (
            b"Adresas\nZirmunu 12\n",
            "namai.xlsx",
            "broken_xlsx",
            "XLSX failas sugadintas arba tai ne XLSX. Atidarykite jį Excel ir išsaugokite iš naujo.",
        ),
        (
            _unclosed_quote(),
            "namai.csv",
            "broken_csv",
            "CSV failas netvarkingas (pavyzdžiui, neuždarytos kabutės). Atidarykite jį Excel ir išsaugokite iš naujo.",
        ),
    ],
    ids=["pdf", "old-excel", "png-renamed", "nul-byte", "text-named-xlsx", "unclosed-quote"],
)
def test_a_file_that_cannot_be_read_raises_one_error_with_its_message(data, filename, kind, message):
    with pytest.raises(TableError) as raised:
        read_table(data, filename)
    assert raised.value.kind == kind
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "text",
    [
        'Žirmūnų g. 4\n"Gedimino pr. 9\nPilies g. 2\nAntakalnio g. 1\n',  # a list: one stray quote
        'Adresas;Butų sk.\nŽirmūnų g. 4;12\n"Gedimino pr. 9;8\nPilies g. 2;3\n',  # with a delimiter
        'Žirmūnų g. 4\n"Gedimino pr. 9"" \nPilies g. 2',  # an escaped quote, no closing one, no last newline
    ],
    ids=["one-column", "semicolons", "escaped-quote"],
)
def test_a_quote_left_open_is_refused_rather_than_swallowing_the_lines_after_it(text):
    """csv reads an unclosed quote to the end of the text as one cell: the lines after it used to vanish
    into one row (five pasted addresses became two rows, nothing said so)."""
    with pytest.raises(TableError) as raised:
        read_table(text.encode(), "namai.csv")
    assert raised.value.kind == "broken_csv"
    with pytest.raises(TableError):
        read_text(text)


def test_quotes_that_close_are_read_as_before():
    text = '"Žirmūnų g. 4"\n"Saulėtekio" al. 5\n"Gedimino pr. 9,\nVilnius"\nPilies g. 2'
    table = read_text(text)
    assert [row.cells for row in table.rows] == [
        ("Žirmūnų g. 4",),
        ("Saulėtekio al. 5",),
        ("Gedimino pr. 9,\nVilnius",),
        ("Pilies g. 2",),
    ]
    assert [row.line for row in table.rows] == [1, 2, 3, 5]


# --- bounds: what a hostile file cannot make the reader do -----------------------------------------


def test_a_sheet_declaring_the_largest_size_excel_allows_is_read_as_the_cells_it_holds():
    data = handmade_xlsx([(1, text_cell("A1", "Adresas"))], dimension="A1:XFD1048576")
    assert len(data) < 2000
    assert read_table(data, "namai.xlsx").rows == (Row(1, ("Adresas",)),)


def test_a_sheet_declaring_less_than_it_holds_is_read_to_its_last_row():
    rows = [
        (1, text_cell("A1", "Adresas")),
        (2, text_cell("A2", "Žirmūnų g. 12A")),
        (3, text_cell("A3", "Liepų al. 8")),
    ]
    table = read_table(handmade_xlsx(rows, dimension="A1"), "namai.xlsx")
    assert [row.cells for row in table.rows] == [("Adresas",), ("Žirmūnų g. 12A",), ("Liepų al. 8",)]


@pytest.mark.parametrize("limits", [None, MANAGER_LIMITS], ids=["schedule", "managers"])
def test_the_dimension_bomb_is_refused_at_the_row_cap_instead_of_filling_a_million_rows(limits):
    with pytest.raises(TableError) as raised:
        read_table(dimension_bomb(), "namai.xlsx", limits=limits)
    assert (raised.value.kind, raised.value.limit) == ("too_large", "sheet_rows")
    assert str(raised.value) == TOO_LARGE


def test_a_shared_strings_bomb_is_refused_by_its_compression_ratio_before_openpyxl_opens_it():
    with pytest.raises(TableError) as raised:
        read_table(shared_strings_bomb(megabytes=16), "grafikas.xlsx")
    assert (raised.value.kind, raised.value.limit) == ("too_large", "compression_ratio")


def test_a_shared_strings_part_past_the_part_size_is_refused_before_it_is_inflated():
    with pytest.raises(TableError) as raised:
        read_table(shared_strings_bomb(megabytes=16), "grafikas.xlsx", limits=Limits(part_bytes=8 * 2**20))
    assert (raised.value.kind, raised.value.limit) == ("too_large", "part_bytes")


def test_more_shared_texts_than_a_list_needs_are_refused_before_openpyxl_loads_them():
    data = many_shared_strings(1500)
    assert len(read_table(data, "namai.xlsx", limits=Limits(shared_strings=1500)).rows) == 1
    with pytest.raises(TableError) as raised:
        read_table(data, "namai.xlsx", limits=Limits(shared_strings=1499))
    assert (raised.value.kind, raised.value.limit) == ("too_large", "shared_strings")


@pytest.mark.parametrize(
    ("limits", "limit"),
    [
        (Limits(file_bytes=1000), "file_bytes"),
        (Limits(zip_parts=5), "zip_parts"),
        (Limits(part_bytes=1000), "part_bytes"),
        (Limits(total_bytes=5000), "total_bytes"),
        (Limits(xml_elements=20), "xml_elements"),
        (Limits(seconds=-1), "seconds"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_an_ordinary_workbook_past_a_lower_bound_is_refused_naming_it(limits, limit):
    data = xlsx([["Adresas"], ["Žirmūnų g. 12A"], ["Liepų al. 8"]])
    assert len(read_table(data, "namai.xlsx").rows) == 3
    with pytest.raises(TableError) as raised:
        read_table(data, "namai.xlsx", limits=limits)
    assert (raised.value.kind, raised.value.limit) == ("too_large", limit)
    assert str(raised.value) == TOO_LARGE


@pytest.mark.parametrize(
    ("data", "limits", "limit"),
    [
        (b"Adresas\n" + b"\n" * 200 + b"Zirmunu 12\n", Limits(sheet_rows=100), "sheet_rows"),
        (b"Adresas\nZirmunu 12\n", Limits(file_bytes=10), "file_bytes"),
        (b"Adresas\nZirmunu 12\n", Limits(seconds=-1), "seconds"),
    ],
    ids=["blank-records", "file-bytes", "seconds"],
)
def test_a_text_file_past_a_bound_is_refused_naming_it(data, limits, limit):
    with pytest.raises(TableError) as raised:
        read_table(data, "namai.csv", limits=limits)
    assert (raised.value.kind, raised.value.limit) == ("too_large", limit)


def test_cells_right_of_the_column_cap_are_not_read():
    text = ";".join(f"c{n}" for n in range(1, 101)) + "\n" + ";".join(str(n) for n in range(1, 101)) + "\n"
    table = read_table(text.encode(), "platus.csv")
    assert [len(row.cells) for row in table.rows] == [64, 64]
    assert table.rows[0].cells[-1] == "c64"
    wide = handmade_xlsx([(1, text_cell("A1", "Adresas") + text_cell("CV1", "toli"))], dimension="A1:CV1")
    assert read_table(wide, "platus.xlsx").rows == (Row(1, ("Adresas",)),)
