"""Addresses a manager pasted or uploaded → lines → buildings. Pure Python: no Flask, no database.

lines = parse_pasted("Žirmūnų g. 12A\\nzirmunu 14")
lines = read_upload("namai.csv", data)       # any file app.tabular reads (CSV or XLSX)
resolved = resolve_lines(lines, address_index())
A list that is empty or too long raises InputError(kind), a file that cannot be read app.tabular.TableError;
the view turns either into a message that says what to do.
"""

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from flask_babel import gettext as _  # without an app it gives the Lithuanian text

from app.addresses.matcher import AddressRecord, MatchResult
from app.addresses.normalise import fold
from app.tabular import MANAGER_LIMITS, Row, read_table

MAX_LIST_LINES = 1000  # lines one list may hold (pasted, uploaded and added later together)
MAX_TYPED_LENGTH = 200
# Reading stops here: enough to say how many lines there were without reading a huge sheet to the end.
COUNT_CAP = 100_000

ErrorKind = Literal["empty", "too_many"]

# Folded header names of the address column (`Adresas`, `Address`, `Adres`, `Адрес` …).
HEADER_NAMES = {"adresas", "adresai", "address", "addresses", "adres", "adresy"}


class LineStatus(enum.StrEnum):
    """What became of a line: a building (found, or picked by the manager), a question, or nothing."""

    FOUND = "found"
    PICKED = "picked"
    AMBIGUOUS = "ambiguous"
    STREET_ONLY = "street_only"  # the street exists, the house number does not
    NOT_FOUND = "not_found"


class InputError(Exception):
    """The list cannot be checked; `kind` names why (see ErrorKind), `count` the lines for too_many.

    str() is the message to show, in the current locale: what went wrong and what to do.
    """

    def __init__(self, kind: ErrorKind, count: int = 0):
        super().__init__(kind)
        self.kind = kind
        self.count = count

    def __str__(self) -> str:
        if self.kind == "too_many":
            return _(
                "Sąraše yra %(count)s adresų, o vienu kartu galima patikrinti iki %(max)s. "
                "Padalykite sąrašą į kelias dalis.",
                count=self.count,
                max=MAX_LIST_LINES,
            )
        return _("Faile nėra nė vieno adreso. Pasirinkite failą, kuriame yra adresų stulpelis.")


@dataclass(frozen=True, slots=True)
class ResolvedLine:
    """One line of a manager's list and the building (or the buildings to pick from) it names."""

    typed: str
    status: LineStatus
    address_code: str | None = None
    candidates: tuple[tuple[str, str], ...] = ()  # (code, label) the manager may pick from


def parse_pasted(text: str) -> list[str]:
    """One address per line; blank lines dropped; cells pasted from a spreadsheet row joined by a space."""
    lines = [_clean(line.replace("\t", " ")) for line in (text or "").splitlines()]
    return _limited(line for line in lines if line)


def read_upload(filename: str, data: bytes) -> list[str]:
    """The address column of an uploaded CSV or XLSX file (column `Adresas`, else the first).

    Raises app.tabular.TableError for a file that cannot be read, InputError for no or too many addresses.
    """
    table = read_table(data, filename, max_rows=COUNT_CAP + 1, limits=MANAGER_LIMITS)  # + the header
    return _limited(_address_column(table.rows))


def _address_column(rows: Iterable[Row]) -> Iterator[str]:
    """Values of the `Adresas` column (header row skipped), else of the first column."""
    column = 0
    first = True
    for row in rows:
        cells = [_clean(cell) for cell in row.cells]
        if not any(cells):
            continue
        if first:
            first = False
            named = [i for i, cell in enumerate(cells) if fold(cell).strip().rstrip(":") in HEADER_NAMES]
            if named:
                column = named[0]
                continue
            if not any(ch.isdigit() for ch in cells[0]):
                continue  # a header with another name: a building's address has a house number
        if column < len(cells) and cells[column]:
            yield cells[column]


def _limited(values: Iterable[str]) -> list[str]:
    lines: list[str] = []
    for count, value in enumerate(values, start=1):
        if count > COUNT_CAP:
            break
        lines.append(value[:MAX_TYPED_LENGTH])
    if not lines:
        raise InputError("empty")
    if len(lines) > MAX_LIST_LINES:
        raise InputError("too_many", count=len(lines))
    return lines


def _clean(value: str) -> str:
    return " ".join((value or "").replace("\u00a0", " ").split())


class Matcher(Protocol):
    """What resolving needs of the address index (app.addresses.matcher.AddressIndex has it)."""

    def match(self, text: str) -> MatchResult: ...
    def address(self, code: str) -> AddressRecord | None: ...


def resolve_lines(lines: Iterable[str], index: Matcher) -> list[ResolvedLine]:
    """Each line through the matcher; repeated lines are matched once."""
    seen: dict[str, ResolvedLine] = {}
    resolved = []
    for line in lines:
        key = line.casefold()
        if key not in seen:
            seen[key] = resolve_line(line, index)
        resolved.append(replace(seen[key], typed=line))
    return resolved


def resolve_line(line: str, index: Matcher) -> ResolvedLine:
    """One line: a building, buildings to pick from, or nothing."""
    result = index.match(line)
    if result.status == "found" and result.address is not None:
        return ResolvedLine(line, LineStatus.FOUND, result.address.code)
    if result.status == "ambiguous":
        # Candidates may be streets when no street had the house: only buildings can be picked.
        buildings = tuple((c.code, c.label) for c in result.candidates if index.address(c.code) is not None)
        return ResolvedLine(line, LineStatus.AMBIGUOUS, None, buildings)
    if result.status == "street_only" and result.street is not None:
        nearby = tuple((house.code, house.label) for house in result.nearby)
        return ResolvedLine(line, LineStatus.STREET_ONLY, None, nearby)
    return ResolvedLine(line, LineStatus.NOT_FOUND)
