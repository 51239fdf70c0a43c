"""Reading a schedule file: CSV (UTF-8 ± BOM or Windows-1257, `,` or `;`) or XLSX → rows, or the problem per row."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _

from app.shutoffs.models import ShutoffKind

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
}
HEADER_STEMS = (
    ("adres", "addresses"),
    ("pradz", "start"),
    ("pabaig", "end"),
    ("priezast", "reason"),
    ("pastab", "note"),
)
KINDS = (
    ("hidraulin", ShutoffKind.HYDRAULIC_TEST),
    ("hydraulic", ShutoffKind.HYDRAULIC_TEST),
    ("rekonstrukc", ShutoffKind.RECONSTRUCTION),
    ("reconstruction", ShutoffKind.RECONSTRUCTION),
    ("remont", ShutoffKind.REPAIR),
    ("repair", ShutoffKind.REPAIR),
)
DATE_RE = re.compile(r"^(\d{4})[-.](\d{1,2})[-.](\d{1,2})\.?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
MAX_ROWS = 20_000
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


@dataclass(frozen=True)
class RowProblem:
    line: int
    text: str
    message: str
    suggestions: tuple[str, ...] = ()
    source_key: str = ""  # of a row that was read but not resolved: its published shutoffs are not "cancelled"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_schedule(data: bytes, filename: str = "") -> tuple[list[ScheduleRow], list[RowProblem]]:
    """Rows of a CSV (UTF-8 ± BOM or Windows-1257, `,` or `;`) or XLSX schedule, and the rows it could not read."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        table = _xlsx_table(data)
    else:
        table = _csv_table(data)
    table = [(line, cells) for line, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise ScheduleFileError(_("Failas tuščias."))
    # The header is the first row naming the columns; a title line above it (as some exports add) is skipped.
    for position, (_line, header) in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for i, name in enumerate(header):
            key = _column(name)
            if key and key not in columns:
                columns[key] = i
        if all(c in columns for c in REQUIRED):
            table = table[position:]
            break
    else:
        raise ScheduleFileError(
            _(
                "Tai ne grafikas: pirmoje eilutėje turi būti stulpeliai Adresai, Pradžia, Pabaiga, Priežastis "
                "(rasta: %(found)s).",
                found=", ".join(h for h in table[0][1] if h.strip()) or "—",
            )
        )
    if len(table) - 1 > MAX_ROWS:
        raise ScheduleFileError(_("Per daug eilučių (daugiausia %(max)d).", max=MAX_ROWS))
    rows, problems = [], []
    for number, (line, cells) in enumerate(table[1:], start=1):
        cell = {key: (cells[i].strip() if i < len(cells) else "") for key, i in columns.items()}
        try:
            rows.append(replace(_row(line, cell), number=number))
        except ValueError as exc:
            problems.append(RowProblem(line, cell["addresses"], str(exc)))
    return rows, problems


def _column(name: str) -> str | None:
    """`Adresai`, `Pradžios data`, `Start` … → addresses/start/end/reason/note."""
    folded = fold(name).strip("*: ")
    if folded in HEADERS:
        return HEADERS[folded]
    return next((key for stem, key in HEADER_STEMS if folded.startswith(stem)), None)


def _row(line: int, cell: dict[str, str]) -> ScheduleRow:
    if not cell["addresses"]:
        raise ValueError(_("Nenurodyti adresai"))
    first = _date(cell["start"], "start")
    last = _date(cell["end"], "end")
    if last < first:
        raise ValueError(
            _("Pabaiga (%(end)s) ankstesnė už pradžią (%(start)s)", end=last.isoformat(), start=first.isoformat())
        )
    return ScheduleRow(line, cell["addresses"], first, last, _kind(cell["reason"]), cell.get("note", ""))


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


def _csv_table(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1257", errors="replace")
    if "\x00" in text:
        raise ScheduleFileError(_("Tai ne CSV ar XLSX failas."))
    first_lines = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    delimiter = max((";", ",", "\t"), key=first_lines.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table, start = [], 1
        for cells in reader:
            table.append((start, cells))
            start = reader.line_num + 1  # a quoted cell may span several lines
        return table
    except csv.Error as exc:
        raise ScheduleFileError(_("Netvarkingas CSV failas: %(error)s", error=str(exc))) from None


def _xlsx_table(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only XLSX uploads pay for the import

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ScheduleFileError(_("Nepavyko perskaityti XLSX failo.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (line, [_xlsx_cell(v) for v in values])
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _xlsx_cell(value) -> str:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):  # datetime → its day
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
