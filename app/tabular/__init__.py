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
* **Delimiter** of text: the one of `;`, tab and `,` that splits most of the first records (quotes
  respected) into the same number of cells, more than one; none of them (a one-column list) when none
  does. So a comma inside some addresses, or a `;` inside a quoted cell, is not taken for the delimiter.
  Cells pasted from a spreadsheet are read the same way (read_text).
* **Bounds** (Limits): the file's size; an XLSX's parts, their sizes and compression, its XML elements
  and shared texts, all checked before openpyxl parses anything; the sheet's declared size ignored; rows
  and columns capped while reading; a time budget. A file past one is refused as "too_large".
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
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as clock_time

from app.tabular.model import MANAGER_LIMITS, Limits, Row, Table, TableError, TableErrorKind
from app.tabular.xlsx import check_archive, read_sheet

__all__ = [
    "MANAGER_LIMITS",
    "Limits",
    "Row",
    "Table",
    "TableError",
    "TableErrorKind",
    "cell_text",
    "decode_text",
    "read_table",
    "read_text",
    "sniff_delimiter",
]

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


def read_table(data: bytes, filename: str, *, max_rows: int | None = None, limits: Limits | None = None) -> Table:
    """The rows of an uploaded CSV or XLSX file (see the module docstring for the policy).

    `filename` is only used for its extension. `max_rows` stops reading after that many non-blank rows
    (and sets `truncated`), so a huge sheet is not read to the end to be refused. `limits` bounds what is
    read at all (Limits() by default): past any of them the file is refused before, or while, it is parsed.
    Raises TableError.
    """
    limits = limits or Limits()
    deadline = time.monotonic() + limits.seconds
    if len(data) > limits.file_bytes:
        raise TableError("too_large", "file_bytes")
    if not data.strip():
        return Table(rows=())
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(OLE_MAGIC):
        raise TableError("old_excel")
    if extension and extension not in TEXT_EXTENSIONS | XLSX_EXTENSIONS:
        raise TableError("not_csv_xlsx")
    if data.startswith(ZIP_MAGIC):
        check_archive(data, limits)
        return read_sheet(data, limits, max_rows, deadline, cell_text)
    if extension in XLSX_EXTENSIONS:
        raise TableError("broken_xlsx")
    if data.startswith(BINARY_MAGIC):
        raise TableError("binary")
    text, encoding = decode_text(data)
    return read_text(text, encoding, max_rows=max_rows, limits=limits, deadline=deadline)


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
    """The delimiter that splits most of the first records into one same count of cells (> 1), or None."""
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
        # The most frequent count of cells; between equally frequent ones, the larger. It must be the
        # count of most records: a delimiter that splits one line in two is a character inside a cell.
        width = max(counts, key=lambda n: (counts[n], n))
        score = (counts[width], width)
        if width > 1 and 2 * counts[width] > counts.total() and score > best:
            best, chosen = score, delimiter
    return chosen


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_text(
    text: str,
    encoding: str = "utf-8",
    *,
    max_rows: int | None = None,
    limits: Limits | None = None,
    deadline: float | None = None,
) -> Table:
    """Rows of delimited text already decoded (a file's, or cells pasted from a spreadsheet): the same
    delimiter policy, line numbers and limits as a file. Raises TableError."""
    limits = limits or Limits()
    deadline = deadline if deadline is not None else time.monotonic() + limits.seconds
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or NO_DELIMITER)
    rows: list[Row] = []
    start = last_start = 1
    try:
        for records, cells in enumerate(reader, start=1):
            if records > limits.sheet_rows:
                raise TableError("too_large", "sheet_rows")
            if time.monotonic() > deadline:
                raise TableError("too_large", "seconds")
            if any(cell.strip() for cell in cells):
                if max_rows is not None and len(rows) >= max_rows:
                    return Table(tuple(rows), encoding, delimiter, truncated=True)
                rows.append(Row(start, tuple(cells[: limits.columns])))
            last_start, start = start, reader.line_num + 1  # a quoted cell may span several lines
    except csv.Error as exc:  # e.g. an unclosed quote making one cell larger than csv's field limit
        raise TableError("broken_csv") from exc
    if _ends_inside_quotes(text, last_start, delimiter or NO_DELIMITER):
        raise TableError("broken_csv")
    return Table(tuple(rows), encoding, delimiter)


def _ends_inside_quotes(text: str, first_line: int, delimiter: str) -> bool:
    """True when the last record, starting at line `first_line` (1-based, as csv counts), ends the text inside a
    quoted cell: an unclosed quote, which csv would quietly let take every line after it into one cell."""
    stream = io.StringIO(text, newline="")
    for _ in range(first_line - 1):
        stream.readline()
    try:
        for _ in csv.reader(stream, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)  # the one error csv raises only at the end, in a quote
    return False


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person sees: `2027-05-10`, `12` (not `12.0`), '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == clock_time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
