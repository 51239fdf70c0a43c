"""Addresses a manager pasted or uploaded → lines → buildings. Pure Python: no Flask, no database.

A paste is read like a file: cells copied from a spreadsheet (tab-separated, with or without a header) are
columns, and the columns are read by app.tabular.columns (a header's names, else the cells).

    source = parse_pasted("Gatvė\\tNamo Nr.\\nŽirmūnų g.\\t12A")   # or read_upload("namai.csv", data)
    source.reading       # which row is the header, what each column holds
    source.lines         # one SourceLine per row that names a building (its text, a register code, kept cells)
    source.skipped       # every other row, with the reason: no input line is dropped without a word
    resolved = resolve_lines(source.lines, address_index())

Blank lines are no input and are not listed. A list that is empty or too long raises InputError(kind), a
file that cannot be read app.tabular.TableError; the view turns either into a message that says what to do.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from flask_babel import gettext as _  # without an app it gives the Lithuanian text

from app.addresses.matcher import AddressRecord, MatchResult
from app.tabular import MANAGER_LIMITS, Row, read_table, read_text
from app.tabular.columns import Reading, read_columns

MAX_LIST_LINES = 1000  # lines one list may hold (pasted, uploaded and added later together)
MAX_TYPED_LENGTH = 200  # what is kept of a line's text, and of every cell kept with it
# Reading stops here: enough to say how many lines there were (past it the file is "too large" anyway).
COUNT_CAP = MANAGER_LIMITS.sheet_rows
# What a spreadsheet program puts before a cell that starts like a formula to keep it text (the
# service's own CSV export does it too): read back, the apostrophe goes.
FORMULA_START = ("=", "+", "-", "@")

ErrorKind = Literal["empty", "too_many"]


class LineStatus(enum.StrEnum):
    """What became of a line: a building (found, or picked by the manager), a question, or nothing."""

    FOUND = "found"
    PICKED = "picked"
    AMBIGUOUS = "ambiguous"
    STREET_ONLY = "street_only"  # the street exists, the house number does not
    NOT_FOUND = "not_found"
    OUTSIDE_AREA = "outside_area"  # another city or municipality: this service covers Vilnius city only


class SourceKind(enum.StrEnum):
    PASTE = "paste"
    FILE = "file"


class SkipReason(enum.StrEnum):
    """Why a row of a paste or file is not a line of the list."""

    ABOVE_HEADER = "above_header"  # a title above the header row
    NO_ADDRESS = "no_address"  # the columns that name the building are empty in this row


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
class SourceLine:
    """A row that names a building: its text (the address cell, or street + number + block) and what it keeps."""

    line: int  # where the row starts in the paste or file, 1-based
    typed: str
    code: str = ""  # the register code the row gives, if it has such a column
    kept: tuple[tuple[int, str], ...] = ()  # (column, text) of the kept columns' non-empty cells


@dataclass(frozen=True, slots=True)
class SkippedLine:
    line: int
    text: str  # the row's non-empty cells, as the manager wrote them
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """One paste or file: every row it had, how it was read, and what became of each row."""

    kind: SourceKind
    filename: str
    rows: tuple[Row, ...]  # every non-blank row, the header and any title above it included
    reading: Reading
    lines: tuple[SourceLine, ...]
    skipped: tuple[SkippedLine, ...]


def parse_pasted(text: str) -> ParsedSource:
    """Pasted lines: one address per line, or cells copied from a spreadsheet (see the module docstring).

    Raises app.tabular.TableError for a paste past the limits, InputError for no or too many addresses.
    """
    table = read_text(text or "", max_rows=COUNT_CAP + 1, limits=MANAGER_LIMITS)
    return _limited(parse_rows(table.rows, SourceKind.PASTE))


def read_upload(filename: str, data: bytes) -> ParsedSource:
    """An uploaded CSV or XLSX file, its columns read as a paste's are.

    Raises app.tabular.TableError for a file that cannot be read, InputError for no or too many addresses.
    """
    table = read_table(data, filename, max_rows=COUNT_CAP + 1, limits=MANAGER_LIMITS)
    return _limited(parse_rows(table.rows, SourceKind.FILE, filename))


def parse_rows(
    rows: Sequence[Row], kind: SourceKind, filename: str = "", reading: Reading | None = None
) -> ParsedSource:
    """Rows → lines and skipped rows, with `reading` (the one read_columns guesses when None)."""
    rows = tuple(Row(row.line, tuple(_clean(cell)[:MAX_TYPED_LENGTH] for cell in row.cells)) for row in rows)
    reading = reading or read_columns(rows)
    lines: list[SourceLine] = []
    skipped: list[SkippedLine] = []
    header_seen = reading.header_line is None
    for row in rows:
        if not header_seen:
            header_seen = row.line == reading.header_line
            if not header_seen:
                skipped.append(SkippedLine(row.line, _shown(row.cells), SkipReason.ABOVE_HEADER))
            continue
        typed = _unescaped(reading.address_from(row.cells))[:MAX_TYPED_LENGTH]
        code = reading.code_from(row.cells)
        if not any(ch.isalnum() for ch in typed) and not code:  # empty, or only punctuation
            skipped.append(SkippedLine(row.line, _shown(row.cells), SkipReason.NO_ADDRESS))
            continue
        kept = tuple((i, row.cells[i]) for i in reading.kept() if i < len(row.cells) and row.cells[i])
        lines.append(SourceLine(row.line, typed, code, kept))
    return ParsedSource(kind, filename, rows, reading, tuple(lines), tuple(skipped))


def _limited(source: ParsedSource) -> ParsedSource:
    if not source.lines:
        raise InputError("empty")
    if len(source.lines) > MAX_LIST_LINES:
        raise InputError("too_many", count=len(source.lines))
    return source


def _clean(value: str) -> str:
    return " ".join((value or "").replace("\u00a0", " ").split())


def _unescaped(text: str) -> str:
    """`'=Nėra g. 1` (a spreadsheet's way of keeping a formula-like cell text) → `=Nėra g. 1`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _shown(cells: Iterable[str]) -> str:
    return " | ".join(cell for cell in cells if cell)[:MAX_TYPED_LENGTH]


@dataclass(frozen=True, slots=True)
class ResolvedLine:
    """One line of a manager's list and the building (or the buildings to pick from) it names."""

    typed: str
    status: LineStatus
    address_code: str | None = None
    candidates: tuple[tuple[str, str], ...] = ()  # (code, label) the manager may pick from
    line: int | None = None  # where it was in its paste or file
    kept: tuple[tuple[int, str], ...] = ()  # cells of the kept columns (SourceLine.kept)


class Matcher(Protocol):
    """What resolving needs of the address index (app.addresses.matcher.AddressIndex has it)."""

    def match(self, text: str) -> MatchResult: ...
    def address(self, code: str) -> AddressRecord | None: ...


def resolve_lines(lines: Iterable[SourceLine], index: Matcher) -> list[ResolvedLine]:
    """Each line through the matcher (or its register code); repeated lines are matched once."""
    seen: dict[tuple[str, str], ResolvedLine] = {}
    resolved = []
    for line in lines:
        key = (line.typed.casefold(), line.code)
        if key not in seen:
            seen[key] = resolve_line(line.typed, index, code=line.code)
        resolved.append(replace(seen[key], typed=line.typed or seen[key].typed, line=line.line, kept=line.kept))
    return resolved


def resolve_line(line: str, index: Matcher, code: str = "") -> ResolvedLine:
    """One line: a building, buildings to pick from, or nothing.

    A register code the row gives (the service's own export has one) names the building: FOUND when the text
    says the same, PICKED when it took the manager's choice; an unknown code is ignored.
    """
    known = index.address(code) if code else None
    if known is not None:
        result = index.match(line) if line else None
        said_the_same = result is not None and result.address is not None and result.address.code == known.code
        status = LineStatus.FOUND if said_the_same and result.status == "found" else LineStatus.PICKED
        return ResolvedLine(line or known.label, status, known.code)
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
    if result.status == "outside_area":
        return ResolvedLine(line, LineStatus.OUTSIDE_AREA)
    return ResolvedLine(line, LineStatus.NOT_FOUND)
