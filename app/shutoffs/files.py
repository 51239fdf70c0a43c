"""Reading a schedule file (CSV or XLSX, read by app.tabular) → rows, or the problem per row."""

import re
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _

from app.addresses.normalise import fold
from app.shutoffs.models import ShutoffKind
from app.tabular import Row, TableError, read_table

REQUIRED = ("addresses", "start", "end", "reason")
HEADERS = {
    "adresai": "addresses",
    "addresses": "addresses",
    "adresas": "addresses",
    "pradzia": "start",
    "start": "start",
    "pabaiga": "end",
    "end": "end",
    "priezastis": "reason",
    "reason": "reason",
    "pastaba": "note",
    "note": "note",
    "pastabos": "note",
    # The optional work number: a row's identity within its schedule when the file has one.
    "nr": "work_number",
    "nr.": "work_number",
    "darbo nr": "work_number",
    "darbo nr.": "work_number",
    "darbo numeris": "work_number",
    "id": "work_number",
    # The optional status: `atšaukta` cancels what the row names.
    "busena": "status",
    "status": "status",
}
HEADER_STEMS = (
    ("adres", "addresses"),
    ("pradz", "start"),
    ("pabaig", "end"),
    ("priezast", "reason"),
    ("pastab", "note"),
    ("busen", "status"),
)
CANCELLED_WORDS = frozenset({"atsaukta", "atsauktas", "atsaukti", "cancelled", "canceled"})
# What a status cell may say besides a cancellation: the row is going ahead.
PLANNED_WORDS = frozenset({"", "planuojama", "planuojamas", "suplanuota", "aktyvi", "galioja", "perkelta", "planned"})
MAX_WORK_NUMBER_LENGTH = 40
KINDS = (
    ("hidraulin", ShutoffKind.HYDRAULIC_TEST),
    ("hydraulic", ShutoffKind.HYDRAULIC_TEST),
    ("rekonstrukc", ShutoffKind.RECONSTRUCTION),
    ("reconstruction", ShutoffKind.RECONSTRUCTION),
    ("remont", ShutoffKind.REPAIR),
    ("repair", ShutoffKind.REPAIR),
)
DATE_RE = re.compile(r"^(\d{4})[-.](\d{1,2})[-.](\d{1,2})\.?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
MAX_SCHEDULE_ROWS = 20_000  # data rows of one file (a season's schedule has a few thousand)
HEADER_SEARCH_ROWS = 5


class ScheduleFileError(ValueError):
    """The file as a whole cannot be read as a schedule (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class ScheduleRow:
    line: int  # where the record starts in the file (what staff see in a spreadsheet)
    addresses: str
    first_day: date
    last_day: date
    kind: ShutoffKind
    note: str = ""
    number: int = 0  # 1-based position among the data rows
    work_number: str = ""  # from a `Nr.` / `Darbo Nr.` / `ID` column; "" when the file has none
    cancelled: bool = False  # the `Būsena` column says `atšaukta`


@dataclass(frozen=True)
class RowProblem:
    line: int
    text: str
    message: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleFile:
    """What a schedule file holds: its rows, the rows it could not read, and whether it numbers its work."""

    rows: list[ScheduleRow]
    problems: list[RowProblem]
    numbered: bool = False  # the file has a work-number column: identity is (building, work number)


def read_schedule(data: bytes, filename: str = "") -> ScheduleFile:
    """Rows of a CSV or XLSX schedule (app.tabular's policy), and the rows it could not read.

    Raises ScheduleFileError when the file as a whole is not a schedule (unreadable, no header, too long).
    """
    try:
        # Enough rows to find the header and to know there are too many; a huge sheet is not read to the end.
        table = read_table(data, filename, max_rows=HEADER_SEARCH_ROWS + MAX_SCHEDULE_ROWS + 1).rows
    except TableError as exc:
        raise ScheduleFileError(str(exc)) from exc
    if not table:
        raise ScheduleFileError(_("Failas tuščias."))
    header_at, columns = _header(table)
    body = table[header_at + 1 :]
    if len(body) > MAX_SCHEDULE_ROWS:
        raise ScheduleFileError(_("Per daug eilučių (daugiausia %(max)d).", max=MAX_SCHEDULE_ROWS))
    numbered = "work_number" in columns
    rows, problems = [], []
    for number, row in enumerate(body, start=1):
        cell = {key: (row.cells[i].strip() if i < len(row.cells) else "") for key, i in columns.items()}
        try:
            rows.append(replace(_row(row.line, cell, numbered), number=number))
        except ValueError as exc:
            problems.append(RowProblem(row.line, cell["addresses"], str(exc)))
    return ScheduleFile(rows, problems, numbered)


def _header(table: tuple[Row, ...]) -> tuple[int, dict[str, int]]:
    """Where the header is and which column holds what; a title line above it (as some exports add) is skipped."""
    for position, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for i, name in enumerate(row.cells):
            key = _column(name)
            if key and key not in columns:
                columns[key] = i
        if all(c in columns for c in REQUIRED):
            return position, columns
    raise ScheduleFileError(
        _(
            "Tai ne grafikas: pirmoje eilutėje turi būti stulpeliai Adresai, Pradžia, Pabaiga, Priežastis "
            "(rasta: %(found)s).",
            found=", ".join(h for h in table[0].cells if h.strip()) or "—",
        )
    )


def _column(name: str) -> str | None:
    """`Adresai`, `Pradžios data`, `Start` … → addresses/start/end/reason/note."""
    folded = fold(name).strip().strip("*: ")
    if folded in HEADERS:
        return HEADERS[folded]
    return next((key for stem, key in HEADER_STEMS if folded.startswith(stem)), None)


def _row(line: int, cell: dict[str, str], numbered: bool) -> ScheduleRow:
    if not cell["addresses"]:
        raise ValueError(_("Nenurodyti adresai"))
    first = _date(cell["start"], "start")
    last = _date(cell["end"], "end")
    if last < first:
        raise ValueError(
            _("Pabaiga (%(end)s) ankstesnė už pradžią (%(start)s)", end=last.isoformat(), start=first.isoformat())
        )
    work_number = " ".join(cell.get("work_number", "").split())
    if numbered and not work_number:
        raise ValueError(_("Nenurodytas darbo numeris (stulpelis „Nr.“)"))
    if len(work_number) > MAX_WORK_NUMBER_LENGTH:
        raise ValueError(_("Darbo numeris ilgesnis nei %(max)d simbolių", max=MAX_WORK_NUMBER_LENGTH))
    return ScheduleRow(
        line,
        cell["addresses"],
        first,
        last,
        _kind(cell["reason"]),
        cell.get("note", ""),
        work_number=work_number,
        cancelled=_cancelled(cell.get("status", "")),
    )


def _cancelled(status: str) -> bool:
    """`atšaukta` → True; empty or a word for "going ahead" → False; anything else is a row problem."""
    folded = fold(status).strip(" .")
    if folded in CANCELLED_WORDS:
        return True
    if folded in PLANNED_WORDS:
        return False
    raise ValueError(_("Nežinoma būsena „%(status)s“ (tinka: tuščia arba „atšaukta“)", status=status))


def _date(text: str, column: str) -> date:
    """`2027-05-10` or `2027.05.10` (a time after it, as spreadsheets export, is ignored)."""
    match = DATE_RE.match(text.strip())
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass  # 2027-13-01: reported below like any other non-date
    name = _("Pradžia") if column == "start" else _("Pabaiga")
    raise ValueError(_("%(column)s: „%(text)s“ nėra data (MMMM-MM-DD arba MMMM.MM.DD)", column=name, text=text or "—"))


def _kind(reason: str) -> ShutoffKind:
    folded = fold(reason)
    for stem, kind in KINDS:
        if stem in folded:
            return kind
    raise ValueError(
        _(
            "Nežinoma priežastis „%(reason)s“ (tinka: Hidrauliniai bandymai, … remontas, … rekonstrukcija)",
            reason=reason or "—",
        )
    )
