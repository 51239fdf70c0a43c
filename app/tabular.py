"""An uploaded table (CSV or XLSX) → its rows of text cells, each with its line number. Pure Python: no Flask.

    table = read_table(data, "grafikas.csv")
    for row in table.rows:          # blank rows are left out; row.line is where the row starts in the file
        row.line, row.cells         # 1-based, as a spreadsheet numbers it; cells are str ('' when empty)

One policy for every upload (the schedule import and the managers' lists):

* **Type** by content first (ZIP → XLSX, OLE → old .xls refused), then by the name's extension: `.csv`/`.txt`
  is text, `.xlsx`/`.xlsm` must be a workbook, any other extension is refused; a name without one is read
  by its content.
* **Encoding** of text: UTF-8 with or without BOM; UTF-16 when it starts with a BOM (Excel's "Unicode
  text"); otherwise Windows-1257 (Lithuanian Excel's "CSV"), but only when every non-ASCII letter is one a
  Lithuanian list plausibly holds, so Cyrillic Windows-1251 is refused rather than read as nonsense.
  Nothing is ever decoded with replacement characters.
* **Delimiter** of text: the one of `;`, tab and `,` that splits the most of the first records (quotes
  respected) into the same number of cells, more than one; none of them (a one-column list) when none
  does. So a comma inside an address, or a `;` inside a quoted cell, is not taken for the delimiter.
* **XLSX** through openpyxl in read-only mode, the sheet that was open when the file was saved; dates
  become `YYYY-MM-DD` (with ` HH:MM:SS` when not midnight), whole numbers lose their `.0`.

A file that cannot be read raises TableError; str() of it is the message to show the person (Lithuanian
unless a locale is active). An empty file is an empty table, not an error: what "empty" means is the
caller's to say.
"""

import codecs
import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from flask_babel import lazy_gettext as _l  # without an app it gives the Lithuanian text

TableErrorKind = Literal["not_csv_xlsx", "old_excel", "binary", "encoding", "broken_xlsx", "broken_csv"]

TEXT_EXTENSIONS = frozenset({"csv", "txt"})
XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})
DELIMITERS = (";", "\t", ",")  # on a tie, the first wins: Lithuanian Excel writes `;`, addresses hold `,`
SNIFF_RECORDS = 50
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
# What a Lithuanian list saved by Excel in Windows-1257 may hold beyond ASCII; anything else means
# the bytes were some other encoding (e.g. Cyrillic Windows-1251) and would turn into nonsense.
WINDOWS_1257_PLAUSIBLE = frozenset("ąčęėįšųūžĄČĘĖĮŠŲŪŽóÓłŁńŃśŚćĆźŹżŻ–—„“”‚‘’«»°§…\u00a0")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A text file has tabs and line breaks; a binary file renamed .csv has other control characters too.
CONTROL_CHARACTERS_ALLOWED = 2
CONTROL_CHARACTERS_SAMPLE = 20_000
# Cells of a one-column file are read with a delimiter that cannot occur (NUL is refused as binary).
NO_DELIMITER = "\x00"

# Per kind: what went wrong and what to do.
MESSAGES = {
    "not_csv_xlsx": _l("Pasirinkite CSV arba XLSX failą."),
    "old_excel": _l("Tai senas Excel (.xls) failas. Išsaugokite jį kaip XLSX arba CSV ir įkelkite dar kartą."),
    "binary": _l("Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą."),
    "encoding": _l(
        "Nepavyko perskaityti failo koduotės. Išsaugokite jį kaip „CSV UTF-8“ arba XLSX ir įkelkite dar kartą."
    ),
    "broken_xlsx": _l("XLSX failas sugadintas arba tai ne XLSX. Atidarykite jį Excel ir išsaugokite iš naujo."),
    "broken_csv": _l(
        "CSV failas netvarkingas (pavyzdžiui, neuždarytos kabutės). Atidarykite jį Excel ir išsaugokite iš naujo."
    ),
}


class TableError(ValueError):
    """The upload cannot be read as a table; `kind` says why (TableErrorKind), str() is the message to show.

    `line`: for a workbook that breaks part-way, the sheet row that could not be read (None otherwise).
    """

    def __init__(self, kind: TableErrorKind, line: int | None = None):
        super().__init__(kind)
        self.kind = kind
        self.line = line

    def __str__(self) -> str:
        if self.line is not None:
            return str(
                _l(
                    "XLSX failas sugadintas: nepavyko perskaityti %(line)d eilutės. "
                    "Atidarykite jį Excel ir išsaugokite iš naujo.",
                    line=self.line,
                )
            )
        return str(MESSAGES[self.kind])


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based line (CSV: where the record starts, a quoted cell may span lines) or sheet row (XLSX)
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[Row, ...]  # the rows that have a non-blank cell, in file order
    encoding: str | None = None  # utf-8, utf-8-sig, utf-16 or cp1257; None for XLSX
    delimiter: str | None = None  # ';', '\t' or ','; None for XLSX and one-column text
    truncated: bool = False  # reading stopped at max_rows: the file has more rows than `rows`


def read_table(data: bytes, filename: str, *, max_rows: int | None = None) -> Table:
    """The rows of an uploaded CSV or XLSX file (see the module docstring for the policy).

    `filename` is only used for its extension. `max_rows` stops reading after that many non-blank rows
    (and sets `truncated`), so a huge sheet is not read to the end to be refused. Raises TableError.
    """
    if not data.strip():
        return Table(rows=())
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(OLE_MAGIC):
        raise TableError("old_excel")
    if extension and extension not in TEXT_EXTENSIONS | XLSX_EXTENSIONS:
        raise TableError("not_csv_xlsx")
    if data.startswith(ZIP_MAGIC):
        return _xlsx_table(data, max_rows)
    if extension in XLSX_EXTENSIONS:
        raise TableError("broken_xlsx")
    if data.startswith(BINARY_MAGIC):
        raise TableError("binary")
    text, encoding = decode_text(data)
    return _csv_table(text, encoding, max_rows)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file: UTF-8 ± BOM, UTF-16 with BOM, or plausible Windows-1257.

    Raises TableError("binary") for NUL bytes or many control characters, TableError("encoding") otherwise.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _refuse_control_characters(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise TableError("encoding") from exc
    if b"\x00" in data:
        raise TableError("binary")
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1257"), "cp1257"
        except UnicodeDecodeError as exc:  # bytes Windows-1257 leaves undefined
            raise TableError("encoding") from exc
        if any(ord(ch) > 127 and ch not in WINDOWS_1257_PLAUSIBLE for ch in text):
            raise TableError("encoding") from None
    return _refuse_control_characters(text), encoding


def _refuse_control_characters(text: str) -> str:
    if len(CONTROL_CHARACTERS.findall(text[:CONTROL_CHARACTERS_SAMPLE])) > CONTROL_CHARACTERS_ALLOWED:
        raise TableError("binary")
    return text


def sniff_delimiter(text: str) -> str | None:
    """The delimiter that splits the most of the first records into one same count of cells (> 1), or None."""
    best: tuple[int, int] = (0, 0)
    chosen = None
    for delimiter in DELIMITERS:
        counts: Counter[int] = Counter()
        try:
            for record in _records(text, delimiter):
                if len(record) > 1 or any(cell.strip() for cell in record):
                    counts[len(record)] += 1
                    if counts.total() >= SNIFF_RECORDS:
                        break
        except csv.Error:
            continue  # the full read reports it
        if not counts:
            continue
        # The most frequent count of cells; between equally frequent ones, the larger.
        width = max(counts, key=lambda n: (counts[n], n))
        score = (counts[width], width)
        if width > 1 and score > best:
            best, chosen = score, delimiter
    return chosen


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _csv_table(text: str, encoding: str, max_rows: int | None) -> Table:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or NO_DELIMITER)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if max_rows is not None and len(rows) >= max_rows:
                    return Table(tuple(rows), encoding, delimiter, truncated=True)
                rows.append(Row(start, tuple(cells)))
            start = reader.line_num + 1  # a quoted cell may span several lines
    except csv.Error as exc:  # e.g. an unclosed quote making one cell larger than csv's field limit
        raise TableError("broken_csv") from exc
    return Table(tuple(rows), encoding, delimiter)


def _xlsx_table(data: bytes, max_rows: int | None) -> Table:
    from openpyxl import load_workbook  # only XLSX uploads pay for the import

    rows: list[Row] = []
    # openpyxl warns about styles and extensions it ignores; they do not matter for reading values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # zipfile, KeyError, openpyxl's own classes for malformed parts: all "broken"
            raise TableError("broken_xlsx") from exc
        line = 0
        try:
            sheet = workbook.active or (workbook.worksheets[0] if workbook.worksheets else None)
            if sheet is None:
                return Table(rows=())
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = tuple(cell_text(value) for value in values)
                if any(cell.strip() for cell in cells):
                    if max_rows is not None and len(rows) >= max_rows:
                        return Table(tuple(rows), truncated=True)
                    rows.append(Row(line, cells))
        except Exception as exc:  # a sheet that breaks mid-way: name the row that could not be read
            raise TableError("broken_xlsx", line=line + 1 if line else None) from exc
        finally:
            workbook.close()
    return Table(tuple(rows))


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person sees: `2027-05-10`, `12` (not `12.0`), '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
