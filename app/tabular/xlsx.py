"""XLSX uploads: the ZIP checked part by part before openpyxl sees it, then the open sheet read row by row.

A 1.6 KB workbook can declare a sheet of A1:XFD1048576 (openpyxl's read-only mode would walk all of it),
and a few hundred KB can inflate to gigabytes of shared strings (which openpyxl loads whole when the
workbook opens). So, before openpyxl:

* the ZIP directory: how many parts, each part's and all parts' uncompressed size, each big part's
  compression ratio (zipfile never inflates a part past the size its directory entry gives);
* the parts themselves, inflated in chunks and counted, never parsed: XML elements per part, and the
  texts in the shared-strings part (the one [Content_Types].xml names, as openpyxl finds it).

Then the sheet is read with its declared dimensions reset: rows as the file has them, at most
`Limits.columns` cells wide, stopping at `Limits.sheet_rows` rows and at the time budget.
"""

import io
import re
import time
import warnings
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.tabular.model import RATIO_FLOOR_BYTES, Limits, Row, Table, TableError

CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 2**20
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
DEFAULT_SHARED_STRINGS_PART = "xl/sharedStrings.xml"
CHUNK_BYTES = 2**20
# A shared text starts with <si> (or <x:si …> with a namespace prefix); the tail kept between chunks is
# longer than any such tag, so a tag cut in two is counted once.
SHARED_TEXT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?si[\s/>]")
TAG_TAIL_BYTES = 64


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse (TableError) a ZIP that is broken or bigger inside than `limits` allow; read nothing else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > limits.zip_parts:
                raise TableError("too_large", "zip_parts")
            total = 0
            for part in parts:
                if part.file_size > limits.part_bytes:
                    raise TableError("too_large", "part_bytes")
                if part.file_size > RATIO_FLOOR_BYTES and part.file_size > limits.compression_ratio * max(
                    part.compress_size, 1
                ):
                    raise TableError("too_large", "compression_ratio")
                total += part.file_size
            if total > limits.total_bytes:
                raise TableError("too_large", "total_bytes")
            shared_strings = _shared_strings_part(archive)
            for part in parts:
                if part.filename.endswith((".xml", ".rels")) or part.filename == shared_strings:
                    _count_part(archive, part, limits, shared=part.filename == shared_strings)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise TableError("broken_xlsx") from exc


def _shared_strings_part(archive: zipfile.ZipFile) -> str:
    """The part openpyxl will load as shared strings: the one [Content_Types].xml gives that type."""
    try:
        info = archive.getinfo(CONTENT_TYPES_PART)
    except KeyError:
        return DEFAULT_SHARED_STRINGS_PART  # openpyxl refuses such a file anyway
    if info.file_size > CONTENT_TYPES_MAX_BYTES:
        raise TableError("too_large", "part_bytes")
    try:
        root = fromstring(archive.read(info))
    except (ParseError, DefusedXmlException) as exc:  # defusedxml refuses entity tricks
        raise TableError("broken_xlsx") from exc
    for element in root:
        if element.tag.endswith("Override") and element.get("ContentType") == SHARED_STRINGS_TYPE:
            return (element.get("PartName") or "").lstrip("/")
    return DEFAULT_SHARED_STRINGS_PART


def _count_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits, *, shared: bool) -> None:
    """Inflate a part in chunks and count its elements (and shared texts); refuse when past the limits."""
    elements = texts = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            # Start tags: every "<" that does not open an end tag, a declaration or a comment.
            elements += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
            if elements > limits.xml_elements:
                raise TableError("too_large", "xml_elements")
            if shared:
                window = tail + chunk
                cut = max(len(window) - TAG_TAIL_BYTES, 0)
                texts += sum(1 for match in SHARED_TEXT_START.finditer(window) if match.start() < cut)
                tail = window[cut:]
                if texts > limits.shared_strings:
                    raise TableError("too_large", "shared_strings")
    if shared and len(SHARED_TEXT_START.findall(tail)) + texts > limits.shared_strings:
        raise TableError("too_large", "shared_strings")


def read_sheet(data: bytes, limits: Limits, max_rows: int | None, deadline: float, cell_text) -> Table:
    """The open sheet's non-blank rows (the first when none is marked open); the archive was checked."""
    rows: list[Row] = []
    # openpyxl warns about styles and extensions it ignores; they do not matter for reading values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = _open_workbook(data)
        try:
            sheet = workbook.active or (workbook.worksheets[0] if workbook.worksheets else None)
            if sheet is None or not hasattr(sheet, "reset_dimensions"):  # a chart sheet has no cells
                return Table(rows=())
            sheet.reset_dimensions()  # the <dimension> the file declares is not believed
            for row in _sheet_rows(sheet, limits, deadline, cell_text):
                if max_rows is not None and len(rows) >= max_rows:
                    return Table(tuple(rows), truncated=True)
                rows.append(row)
        finally:
            workbook.close()
    return Table(tuple(rows))


def _open_workbook(data: bytes):
    from openpyxl import load_workbook  # only XLSX uploads pay for the import

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except Exception as exc:  # zipfile, KeyError, openpyxl's own classes for malformed parts: all "broken"
        raise TableError("broken_xlsx") from exc


def _sheet_rows(sheet, limits: Limits, deadline: float, cell_text) -> Iterator[Row]:
    """The sheet's rows that have a non-blank cell, read within `limits` and before `deadline`."""
    line = 0
    try:
        for line, values in enumerate(sheet.iter_rows(max_col=limits.columns, values_only=True), start=1):
            if line > limits.sheet_rows:
                raise TableError("too_large", "sheet_rows")
            if values.count(None) == len(values):
                continue  # openpyxl fills a gap between rows with empty ones: pass them cheaply
            if time.monotonic() > deadline:
                raise TableError("too_large", "seconds")
            end = len(values)
            while values[end - 1] is None:  # rows come as wide as Limits.columns: drop the padding
                end -= 1
            cells = tuple(cell_text(value) for value in values[:end])
            if any(cell.strip() for cell in cells):
                yield Row(line, _without_trailing_blanks(cells))
    except TableError:
        raise
    except Exception as exc:  # a sheet that breaks mid-way: name the row that could not be read
        raise TableError("broken_xlsx", line=line + 1 if line else None) from exc


def _without_trailing_blanks(cells: tuple[str, ...]) -> tuple[str, ...]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]
