"""The portfolio table as CSV and XLSX, and its buildings' shutoffs as one iCalendar feed."""

import csv
import io
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from app.portfolio.labels import ROW_STATUS_LABELS
from app.portfolio.services import TableRow
from app.portfolio.sources import KeptColumn
from app.shutoffs.calendar import shutoffs_calendar
from app.shutoffs.models import Shutoff
from app.wording import kind_label

# Spreadsheet programs run a cell starting with these as a formula; what a manager typed stays text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What Excel refuses in a sheet's name, and how long the name may be.
SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")
SHEET_TITLE_LENGTH = 31


def _headers(kept: list[KeptColumn]) -> list[str]:
    # Read back by /managers (app.tabular.columns knows these names in four languages): what was typed and
    # the code find the building again; the computed columns are ignored; the kept columns come back kept.
    return [
        _("Eil. Nr."),
        _("Įvesta"),
        _("Adresas registre"),
        _("Adreso kodas"),
        _("Būsena"),
        _("Išjungimo pradžia"),
        _("Išjungimo pabaiga"),
        _("Priežastis"),
        _("Išjungimas artimiausiomis savaitėmis"),
        _("Nuoroda"),
        *(column.name or _("Stulpelis %(letter)s", letter=column.letter) for column in kept),
    ]


def _values(row: TableRow, address_url: Callable[[str], str], kept: list[KeptColumn]) -> list:
    shutoff = row.next_shutoff
    return [
        row.number,
        row.typed,
        row.label,
        row.address_code or "",
        str(ROW_STATUS_LABELS.get(row.status, row.status)),
        shutoff.first_day if shutoff else None,
        shutoff.last_day if shutoff else None,
        kind_label(shutoff.kind, _) if shutoff else "",
        (_("taip") if row.affected else _("ne")) if row.found else "",
        address_url(row.address_code) if row.address_code else "",
        *(row.kept.get(column.key, "") for column in kept),
    ]


def table_csv(rows: list[TableRow], address_url: Callable[[str], str], kept: list[KeptColumn] = ()) -> bytes:
    """UTF-8 with BOM and `;`: what Lithuanian Excel opens by double-click (and what /managers reads back).

    `kept`: the columns of the manager's own files carried after ours (TableRow.kept holds their cells)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_as_text(name) for name in _headers(kept)])  # a kept column's name is the manager's text
    for row in rows:
        values = [_as_text(v) if isinstance(v, str) else v for v in _values(row, address_url, kept)]
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _as_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _xlsx_cell(sheet, row: int, column: int, value) -> Cell:
    """Write one cell: text stays text (openpyxl would store "=…" as a formula), dates as dates."""
    if isinstance(value, str):
        # XML 1.0 has no place for most C0 control characters: openpyxl refuses a cell holding one (a line
        # typed or a file's cell with ESC or a form feed would fail the whole export).
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def sheet_title(name: str) -> str:
    """A list's name as an Excel sheet title: without []:*?/\\ and control characters, no apostrophe at
    either end, at most 31 characters; '' when nothing is left."""
    kept = "".join(" " if ch.isspace() or not ch.isprintable() else ch for ch in name or "")
    kept = " ".join(kept.translate(SHEET_TITLE_FORBIDDEN).split())
    return kept[:SHEET_TITLE_LENGTH].strip(" '")


def table_xlsx(
    rows: list[TableRow], address_url: Callable[[str], str], title: str, kept: list[KeptColumn] = ()
) -> bytes:
    """An XLSX workbook with one sheet; dates are real dates, the header row is frozen; `kept` as table_csv."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title) or _("Adresai")
    for column, name in enumerate(_headers(kept), start=1):
        _xlsx_cell(sheet, 1, column, name).font = Font(bold=True)  # a kept column's name is the manager's text
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(_values(row, address_url, kept), start=1):
            _xlsx_cell(sheet, number, column, value)
    for column, width in zip("ABCDEFGHIJ", (6, 30, 30, 14, 18, 14, 14, 22, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def calendar_ics(
    shutoffs: list[Shutoff],
    labels: dict[str, str],
    name: str,
    address_url: Callable[[str], str],
    language: str,
) -> bytes:
    """One event per shutoff of the list's buildings, built as a building's own feed builds it (the same UID,
    title, status and SEQUENCE, so a phone subscribed to both shows each shutoff once)."""

    def label(shutoff: Shutoff) -> str:
        return labels.get(shutoff.address_code, shutoff.address_code)

    return shutoffs_calendar(
        name=name,
        shutoffs=sorted(shutoffs, key=lambda s: (s.first_day, label(s), s.id)),
        label=label,
        page_url=lambda s: address_url(s.address_code),
        language=language,
    )
