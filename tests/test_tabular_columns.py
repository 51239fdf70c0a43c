"""What each column of an address list holds: header names in four languages, else the cells. Pure, no app."""

import pytest

from app.tabular import Row
from app.tabular.columns import Reading, Role, column_letter, find_header, header_role, read_columns


def rows(*lines: str) -> list[Row]:
    return [Row(number, tuple(line.split(";"))) for number, line in enumerate(lines, start=1)]


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Adresas", Role.ADDRESS),
        ("NAMO ADRESAS:", Role.ADDRESS),
        ("Address", Role.ADDRESS),
        ("Адрес", Role.ADDRESS),
        ("Adres", Role.ADDRESS),
        ("Gatvė", Role.STREET),
        ("gatve", Role.STREET),
        ("Улица", Role.STREET),
        ("Ulica", Role.STREET),
        ("Namo Nr.", Role.HOUSE),
        ("Nr.", Role.HOUSE),
        ("№ дома", Role.HOUSE),
        ("Numer domu", Role.HOUSE),
        ("Korpusas", Role.BLOCK),
        ("Корпус", Role.BLOCK),
        ("Butas", Role.FLAT),
        ("Квартира", Role.FLAT),
        ("Miestas", Role.CITY),
        ("Miejscowość", Role.CITY),
        ("Pašto kodas", Role.POSTCODE),
        ("AOB_KODAS", Role.CODE),
        ("Įvesta", Role.ADDRESS),
        ("Введено", Role.ADDRESS),
        ("Eil. Nr.", Role.IGNORED),
        ("Отключение в ближайшие недели", Role.IGNORED),
        ("Butų sk.", None),
        ("Savininkas", None),
    ],
)
def test_a_header_name_gives_its_column_a_role_in_any_of_four_languages(name, role):
    assert header_role(name) is role


@pytest.mark.parametrize(
    ("lines", "header_line"),
    [
        (("Adresas;Pastaba", "Žirmūnų g. 12A;x"), 1),
        (("Pavadinimas;Kontaktai;Telefonas;Adresas", "Bendrija;Ona;+370;Žirmūnų g. 12A"), 1),
        (("Namų sąrašas, 2026 m.", "Gatvė;Nr.", "Žirmūnų g.;12A"), 2),
        (("Žirmūnų g. 12A;Nr. 5", "Liepų al. 8;"), None),
        (("Bendrijos namai;2026", "Žirmūnų g. 12A;x"), None),
        (("Žirmūnų g. 12A;Namas", "Liepų al. 8;Namas"), None),
        (("Gatvė;Nr.;Butų sk. 2026", "Žirmūnų g.;12A;40"), 1),
        (("Objektas;Adresas;Plotas m2", "Namas A;Žirmūnų g. 12A;1200"), 1),
        (("Adresas;Plotas, m²;Pastaba", "Žirmūnų g. 12A;1200;x"), 1),
        (("Adresas;1200", "Žirmūnų g. 12A;800"), None),
    ],
    ids=[
        "names",
        "few-known-no-digits",
        "under-a-title",
        "data-first",
        "unknown-names",
        "data-with-a-name",
        "most-known",
        "a-unit-in-a-name",
        "a-superscript-unit",
        "a-number-beside-a-name",
    ],
)
def test_a_row_is_a_header_only_when_its_cells_look_like_header_names(lines, header_line):
    found = find_header(rows(*lines))
    assert (rows(*lines)[found].line if found is not None else None) == header_line


@pytest.mark.parametrize(
    ("lines", "roles"),
    [
        (("Žirmūnų g.;12A", "Liepų al.;8"), (Role.STREET, Role.HOUSE)),
        (("Žirmūnų g. 12A;Vilnius", "Liepų al. 8;Vilnius"), (Role.ADDRESS, Role.CITY)),
        (("1;Žirmūnų g. 12A", "2;Liepų al. 8"), (Role.OTHER, Role.ADDRESS)),
        (("Sausio 13-osios g.;5", "Kalvarijų Sodų 1-oji g.;7"), (Role.STREET, Role.HOUSE)),
        (("Žirmūnų g.;12;5", "Liepų al.;8;3"), (Role.STREET, Role.HOUSE, Role.OTHER)),
        (("Žirmūnų g. 12A;LT-09101", "Liepų al. 8;LT-01100"), (Role.ADDRESS, Role.POSTCODE)),
    ],
    ids=["street-number", "address-city", "row-number", "street-with-digits", "flat-unnamed", "postcode"],
)
def test_columns_without_a_header_are_read_by_their_cells(lines, roles):
    assert read_columns(rows(*lines)) == Reading(header_line=None, roles=roles)


def test_a_named_address_column_wins_over_one_that_only_looks_like_addresses():
    reading = read_columns(rows("Pavadinimas;Adresas", "Žirmūnų g. 14;Liepų al. 8"))
    assert reading.roles == (Role.OTHER, Role.ADDRESS)


def test_a_column_named_namas_holding_numbers_is_the_house_number():
    reading = read_columns(rows("Gatvė;Namas;Butas", "Žirmūnų g.;12A;5", "Liepų al.;8;1"))
    assert reading.roles == (Role.STREET, Role.HOUSE, Role.FLAT)


@pytest.mark.parametrize(
    ("cells", "address"),
    [
        (("Žirmūnų g.", "12", "2"), "Žirmūnų g. 12 K2"),
        (("Žirmūnų g.", "12", "K2"), "Žirmūnų g. 12 K2"),
        (("Žirmūnų g.", "12", "korp. 3"), "Žirmūnų g. 12 K3"),
        (("Žirmūnų g.", "12A", ""), "Žirmūnų g. 12A"),
        (("Žirmūnų g.", "", "2"), "Žirmūnų g."),
    ],
)
def test_street_number_and_block_are_joined_as_the_register_writes_them(cells, address):
    reading = Reading(header_line=None, roles=(Role.STREET, Role.HOUSE, Role.BLOCK))
    assert reading.address_from(cells) == address


@pytest.mark.parametrize(("column", "letter"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (63, "BL")])
def test_columns_are_named_by_their_spreadsheet_letters(column, letter):
    assert column_letter(column) == letter
