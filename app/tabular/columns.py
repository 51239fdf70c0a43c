"""Which column of an address list holds what: the header's names in four languages, else the cells themselves.

Pure Python: no Flask.

    reading = read_columns(table.rows)
    reading.header_line                 # the row read as the header (its Row.line), or None
    reading.roles                       # one Role per column: (Role.STREET, Role.HOUSE, Role.OTHER)
    reading.address_from(row.cells)     # "Žirmūnų g. 12 K2": the columns that name the building, joined

A first row (or one of the first HEADER_SEARCH_ROWS, under a title) is a header only when its cells look
like header names: at least one is a known name, and either most of them are or none holds a digit.
Register extracts and accountants' sheets split the address (`Gatvė`, `Namo Nr.`, `Korpusas`, `Butas`,
`Miestas`); the building is the street, the house number and the block, joined. Flats, cities and postcodes
are kept but never used to find the building. The service's own export is read back the same way: what was
typed and the register code are its address; the columns it computes again are ignored.
"""

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.addresses.normalise import fold
from app.tabular.model import Row

HEADER_SEARCH_ROWS = 5  # a title line or two above the header, as exports add
CONTENT_SAMPLE_ROWS = 200
CONTENT_SHARE = 0.8  # the share of a column's cells that must look alike for the column to be read as them


class Role(enum.StrEnum):
    """What a column holds. ADDRESS, STREET, HOUSE, BLOCK and CODE find the building; the rest are kept."""

    ADDRESS = "address"  # the whole address in one cell: `Žirmūnų g. 12A`
    STREET = "street"  # `Žirmūnų g.`
    HOUSE = "house"  # the house number with its letter: `12A`
    BLOCK = "block"  # korpusas: `2` or `K2`
    CODE = "code"  # the building's register code (AOB_KODAS)
    FLAT = "flat"  # kept, never used to find the building
    CITY = "city"  # kept, never used to find the building
    POSTCODE = "postcode"  # kept, never used to find the building
    OTHER = "other"  # kept and carried into the exports
    IGNORED = "ignored"  # not kept: a column the service's own export computes again


FINDING_ROLES = (Role.ADDRESS, Role.STREET, Role.HOUSE, Role.BLOCK, Role.CODE)
KEPT_ROLES = (Role.FLAT, Role.CITY, Role.POSTCODE, Role.OTHER)

# Header names as people write them, in Lithuanian, English, Russian and Polish (looked up by header_key(),
# so case, diacritics, Cyrillic and punctuation do not matter). The service's own export headers are here
# too (app/portfolio/exports.py): what was typed and the register code find the building again, the columns
# it computes are ignored.
HEADER_SPELLINGS: dict[Role, tuple[str, ...]] = {
    Role.ADDRESS: (
        "Adresas", "Adresai", "Namo adresas", "Pastato adresas", "Objekto adresas", "Namas", "Pastatas",
        "Address", "Addresses", "Building address", "Street address", "House address", "Building",
        "Адрес", "Адреса", "Адрес дома", "Адрес здания", "Полный адрес",
        "Adres", "Adresy", "Adres budynku", "Adres nieruchomości", "Budynek",
    ),
    Role.STREET: ("Gatvė", "Gatvės pavadinimas", "Street", "Street name", "Улица", "Ulica", "Nazwa ulicy", "Ul."),
    Role.HOUSE: (
        "Nr.", "Namo Nr.", "Namo numeris", "Numeris", "House", "House no.", "House number", "Number", "No.",
        "Дом", "Номер дома", "№ дома", "д.", "Номер", "Nr domu", "Numer domu", "Numer", "Numer budynku",
    ),
    Role.BLOCK: ("Korpusas", "Korp.", "Namo korpusas", "Block", "Корпус", "Строение", "Korpus", "Blok"),
    Role.CODE: (
        "AOB_KODAS", "Adreso kodas", "Address code", "Register code", "Код адреса", "Kod adresu",
    ),
    Role.FLAT: (
        "Butas", "Buto Nr.", "Buto numeris", "Bt.", "Flat", "Apartment", "Apt.", "Flat no.", "Квартира", "Кв.",
        "Номер квартиры", "Mieszkanie", "Nr mieszkania", "Lokal", "Nr lokalu", "M.",
    ),
    Role.CITY: (
        "Miestas", "Gyvenvietė", "Gyvenamoji vietovė", "Savivaldybė", "City", "Town", "Municipality",
        "Город", "Населённый пункт", "Miasto", "Miejscowość", "Gmina",
    ),
    Role.POSTCODE: (
        "Pašto kodas", "Pašto indeksas", "Postcode", "Post code", "Postal code", "ZIP", "ZIP code",
        "Индекс", "Почтовый индекс", "Kod pocztowy",
    ),
    # The service's own export: its row number and what it computes for each row, in its four languages.
    Role.IGNORED: (
        "Eil. Nr.", "Row", "№ п/п", "Lp.",
        "Adresas registre", "Register address", "Адрес в реестре", "Adres w rejestrze",
        "Būsena", "Status", "Статус",
        "Išjungimo pradžia", "Shutoff starts", "Начало отключения", "Początek wyłączenia",
        "Išjungimo pabaiga", "Shutoff ends", "Конец отключения", "Koniec wyłączenia",
        "Priežastis", "Reason", "Причина", "Przyczyna",
        "Išjungimas artimiausiomis savaitėmis", "Shutoff in the coming weeks", "Отключение в ближайшие недели",
        "Wyłączenie w najbliższych tygodniach",
        "Nuoroda", "Link", "Ссылка",
    ),
}  # fmt: skip
# What the service's export calls the text a manager typed: the address to read back, before any other.
TYPED_SPELLINGS = ("Įvesta", "Entered", "Введено", "Wpisano")
# Names that say "the building" without saying whether the cell holds the whole address or its number.
ADDRESS_OR_HOUSE_SPELLINGS = ("Namas", "Pastatas", "Building", "House", "Дом", "Budynek")

_PUNCTUATION = re.compile(r"[.:;,*#_/()\[\]\"'„“”«»\-–—]+")
_HOUSE = re.compile(r"\d{1,4}\s*[a-z]?")
# Words, then a house number that is not part of a name (`Sausio 13-osios`, `1-oji`): an address.
_HAS_HOUSE = re.compile(r"[a-z]{2}.*?\b\d{1,4}\s?[a-z]?\b(?!\s*-\s*[a-z])")
_POSTCODE = re.compile(r"(?:lt\s*-?\s*)?\d{5}")
_CODE = re.compile(r"\d{6,12}")
_CITY = re.compile(r"vilnius|vilniaus\s*(?:m|miestas|miesto)?(?:\s*sav)?|vilnjus|wilno|vilna")
_BLOCK = re.compile(r"(?:k|korp|korpusas)?[.\s-]*(\d{1,2})", re.IGNORECASE)
_LETTERS = re.compile(r"[a-z]{3}")
_NUMBER = re.compile(r"[+-]?\d[\d\s.,]*")


def header_key(name: str) -> str:
    """A header cell as it is looked up: folded, punctuation and surrounding spaces gone (`Namo Nr.:` → `namo nr`)."""
    return " ".join(_PUNCTUATION.sub(" ", fold(name)).split())


HEADER_NAMES: dict[Role, frozenset[str]] = {
    role: frozenset(header_key(name) for name in names) for role, names in HEADER_SPELLINGS.items()
}
TYPED_NAMES = frozenset(header_key(name) for name in TYPED_SPELLINGS)
ADDRESS_OR_HOUSE_NAMES = frozenset(header_key(name) for name in ADDRESS_OR_HOUSE_SPELLINGS)


def header_role(name: str) -> Role | None:
    """The role a header cell's name gives its column, or None when the name is not one we know."""
    key = header_key(name)
    if key in TYPED_NAMES:
        return Role.ADDRESS
    return next((role for role, names in HEADER_NAMES.items() if key in names), None)


def content_role(cells: Sequence[str]) -> Role:
    """The role a column's cells suggest when its header does not name it (or there is no header)."""
    values = [fold(cell).strip() for cell in cells if cell.strip()]
    if not values:
        return Role.OTHER
    for role, pattern, search in (
        (Role.CODE, _CODE, False),
        (Role.POSTCODE, _POSTCODE, False),
        (Role.HOUSE, _HOUSE, False),
        (Role.CITY, _CITY, False),
        (Role.ADDRESS, _HAS_HOUSE, True),
    ):
        matched = sum(1 for v in values if (pattern.search(v) if search else pattern.fullmatch(v)))
        if matched >= CONTENT_SHARE * len(values):
            return role
    if sum(1 for v in values if _LETTERS.search(v) and not any(ch.isdigit() for ch in v[-3:])) >= CONTENT_SHARE * len(
        values
    ):
        return Role.STREET
    return Role.OTHER


@dataclass(frozen=True)
class Reading:
    """How a table is read: which row is its header and what each column holds."""

    header_line: int | None  # Row.line of the header row; None when every row is data
    roles: tuple[Role, ...]  # per column; columns past the end are OTHER

    def role(self, column: int) -> Role:
        return self.roles[column] if column < len(self.roles) else Role.OTHER

    def column(self, role: Role) -> int | None:
        """The (first) column read as `role`, or None."""
        return next((i for i, r in enumerate(self.roles) if r == role), None)

    @property
    def by_parts(self) -> bool:
        """The building is given as street + house number (+ block), not as one address cell."""
        return self.column(Role.ADDRESS) is None and self.column(Role.STREET) is not None

    def address_from(self, cells: Sequence[str]) -> str:
        """The text that names the building in this row: the address cell, or street + number (+ block)."""

        def cell(role: Role) -> str:
            column = self.column(role)
            return " ".join(cells[column].split()) if column is not None and column < len(cells) else ""

        if not self.by_parts:
            return cell(Role.ADDRESS)
        parts = [cell(Role.STREET), cell(Role.HOUSE)]
        block = _BLOCK.fullmatch(cell(Role.BLOCK))
        if block and parts[1]:
            parts.append(f"K{block.group(1)}")
        return " ".join(part for part in parts if part)

    def code_from(self, cells: Sequence[str]) -> str:
        """The register code this row gives ('' when there is no such column or cell)."""
        column = self.column(Role.CODE)
        return cells[column].strip() if column is not None and column < len(cells) else ""

    def kept(self) -> list[int]:
        """Columns kept with each row (and carried into the exports)."""
        return [i for i, role in enumerate(self.roles) if role in KEPT_ROLES]


def find_header(rows: Sequence[Row]) -> int | None:
    """The index (in `rows`) of the header row among the first few, or None when the rows have none: a row
    whose cells are mostly names we know, or that has one and no cell a header would not hold (an address,
    a number; `Plotas, m²` is a header's)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [cell for cell in row.cells if cell.strip()]
        known = sum(1 for cell in names if header_role(cell) is not None)
        if known and (2 * known > len(names) or not any(_looks_like_data(cell) for cell in names)):
            return index
    return None


def _looks_like_data(cell: str) -> bool:
    folded = fold(cell).strip()
    return bool(_HAS_HOUSE.search(folded) or _NUMBER.fullmatch(folded))


def read_columns(rows: Sequence[Row]) -> Reading:
    """The likeliest reading of a table: its header (see find_header) and a role per column.

    Named columns take their name's role; unnamed and unknown ones are judged by their cells. Then one
    way of naming the building is kept: one ADDRESS column (a named one first), else STREET with HOUSE (and
    BLOCK); the other would-be address columns are kept as OTHER. With neither, the first column is the address.
    """
    header_at = find_header(rows)
    header = rows[header_at].cells if header_at is not None else ()
    body = rows[header_at + 1 :] if header_at is not None else rows
    width = max((len(row.cells) for row in rows), default=0)
    sample = body[:CONTENT_SAMPLE_ROWS]
    roles: list[Role] = []
    named_columns: set[int] = set()
    typed_column = None
    for column in range(width):
        cells = [row.cells[column] if column < len(row.cells) else "" for row in sample]
        name = header[column] if column < len(header) else ""
        named = header_role(name) if name.strip() else None
        if header_key(name) in TYPED_NAMES and typed_column is None:
            typed_column = column
        if named is Role.ADDRESS and header_key(name) in ADDRESS_OR_HOUSE_NAMES:
            named = Role.HOUSE if content_role(cells) is Role.HOUSE else Role.ADDRESS
        if named is not None:
            named_columns.add(column)
        roles.append(named or content_role(cells))
    return Reading(
        header_line=rows[header_at].line if header_at is not None else None,
        roles=_settled(roles, named_columns, typed_column),
    )


def _settled(roles: list[Role], named: set[int], typed_column: int | None) -> tuple[Role, ...]:
    """One way of naming the building: the typed column, else the first ADDRESS (a named one before one
    judged by its cells), else STREET + HOUSE (+ BLOCK)."""

    def first(role: Role) -> int | None:
        candidates = [i for i, r in enumerate(roles) if r is role]
        return next((i for i in candidates if i in named), candidates[0] if candidates else None)

    address = typed_column if typed_column is not None else first(Role.ADDRESS)
    if address is None and first(Role.STREET) is None:
        address = next((i for i, r in enumerate(roles) if r not in (Role.CODE, Role.IGNORED)), None)
    settled = list(roles)
    if address is not None:
        for i, role in enumerate(roles):
            if i == address:
                settled[i] = Role.ADDRESS
            elif role in (Role.ADDRESS, Role.STREET, Role.HOUSE, Role.BLOCK):
                settled[i] = Role.OTHER
    seen: set[Role] = set()
    for i, role in enumerate(settled):
        if role in FINDING_ROLES:
            if role in seen:
                settled[i] = Role.OTHER  # one column per role: the first
            seen.add(role)
    return tuple(settled)


def column_letter(column: int) -> str:
    """A spreadsheet's name for a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
