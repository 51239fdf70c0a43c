"""Addresses a manager pasted or uploaded → rows → buildings. Pure Python: no Flask, no database.

lines = parse_pasted("Žirmūnų g. 12A\\nzirmunu 14")
lines = read_upload("namai.csv", data)       # CSV (UTF-8 ± BOM, Windows-1257; , ; or tab) or XLSX
rows = resolve_rows(lines, address_index())
Problems raise InputError(kind): the view turns the kind into a message that says what to do.
"""

import codecs
import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from app.addresses.matcher import AddressRecord, MatchResult

MAX_ROWS = 1000
MAX_TYPED_LENGTH = 200
# Reading stops here: enough to say how many rows there were without reading a huge sheet to the end.
COUNT_CAP = 100_000

ErrorKind = Literal["empty", "not_csv_xlsx", "old_excel", "binary", "encoding", "broken_xlsx", "too_many"]
RowStatus = Literal["found", "picked", "ambiguous", "street_only", "not_found", "outside_area"]

HEADER_NAMES = {"adresas", "adresai", "address", "addresses", "adres", "adresy", "адрес"}
TEXT_EXTENSIONS = {"csv", "txt"}
XLSX_EXTENSIONS = {"xlsx", "xlsm"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
# What a Lithuanian list saved by Excel in Windows-1257 may hold beyond ASCII; anything else means
# the bytes were some other encoding (e.g. Cyrillic Windows-1251) and would turn into nonsense.
WINDOWS_1257_PLAUSIBLE = set("ąčęėįšųūžĄČĘĖĮŠŲŪŽóÓłŁńŃśŚćĆźŹżŻ–—„“”‚‘’«»°§…\u00a0")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class InputError(Exception):
    """The list cannot be read; `kind` names why (see ErrorKind), `count` the rows for too_many."""

    def __init__(self, kind: ErrorKind, count: int = 0):
        super().__init__(kind)
        self.kind = kind
        self.count = count


@dataclass(frozen=True, slots=True)
class ResolvedRow:
    typed: str
    status: RowStatus
    address_code: str | None = None
    candidates: tuple[tuple[str, str], ...] = ()  # (code, label) the manager may pick from


def parse_pasted(text: str) -> list[str]:
    """One address per line; blank lines dropped; cells pasted from a spreadsheet row joined by a space."""
    lines = [_clean(line.replace("\t", " ")) for line in (text or "").splitlines()]
    return _limited(line for line in lines if line)


def read_upload(filename: str, data: bytes) -> list[str]:
    """The address column of an uploaded CSV or XLSX file (column `Adresas`, else the first)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data.strip():
        raise InputError("empty")
    if data.startswith(OLE_MAGIC):
        raise InputError("old_excel")
    if data.startswith(ZIP_MAGIC):
        if extension not in XLSX_EXTENSIONS | TEXT_EXTENSIONS:
            raise InputError("not_csv_xlsx")
        return _limited(_address_column(_xlsx_rows(data)))
    if extension in XLSX_EXTENSIONS:
        raise InputError("broken_xlsx")
    if extension not in TEXT_EXTENSIONS:
        raise InputError("not_csv_xlsx")
    if data.startswith(BINARY_MAGIC):
        raise InputError("binary")
    return _limited(_address_column(_csv_rows(decode_text(data))))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1257 as Lithuanian Excel saves it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _refuse_control_characters(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise InputError("encoding") from exc
    if b"\x00" in data:
        raise InputError("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1257")
        except UnicodeDecodeError as exc:
            raise InputError("encoding") from exc
        if any(ord(ch) > 127 and ch not in WINDOWS_1257_PLAUSIBLE for ch in text):
            raise InputError("encoding") from None
    return _refuse_control_characters(text)


def _refuse_control_characters(text: str) -> str:
    # A text file has tabs and line breaks; a binary renamed .csv has everything else too.
    if len(CONTROL_CHARACTERS.findall(text[:20_000])) > 2:
        raise InputError("binary")
    return text


def _csv_rows(text: str) -> Iterator[list[str]]:
    lines = text.splitlines()
    sample = [line for line in lines[:50] if line.strip()]
    delimiter = next((d for d in (";", "\t", ",") if any(d in line for line in sample)), None)
    if delimiter is None:
        # One column and no delimiter at all: the whole line is the address.
        yield from ([line] for line in lines)
        return
    yield from csv.reader(lines, delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    # openpyxl warns about styles and extensions it ignores; they do not matter for reading values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # zipfile, KeyError, openpyxl's own classes for malformed parts: all "broken"
            raise InputError("broken_xlsx") from exc
        try:
            sheet = workbook.active or (workbook.worksheets[0] if workbook.worksheets else None)
            if sheet is None:
                raise InputError("empty")
            for values in sheet.iter_rows(values_only=True):
                yield [_cell_text(value) for value in values]
        except InputError:
            raise
        except Exception as exc:  # a sheet that breaks mid-way is as broken as one that will not open
            raise InputError("broken_xlsx") from exc
        finally:
            workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _address_column(rows: Iterable[list[str]]) -> Iterator[str]:
    """Values of the `Adresas` column (header row skipped), else of the first column."""
    column = 0
    first = True
    for row in rows:
        cells = [_clean(cell) for cell in row]
        if not any(cells):
            continue
        if first:
            first = False
            named = [i for i, cell in enumerate(cells) if _fold(cell) in HEADER_NAMES]
            if named:
                column = named[0]
                continue
            if not any(ch.isdigit() for ch in cells[0]):
                continue  # a header with another name: a building's address has a house number
        if column < len(cells) and cells[column]:
            yield cells[column]


def _limited(values: Iterable[str]) -> list[str]:
    rows: list[str] = []
    for count, value in enumerate(values, start=1):
        if count > COUNT_CAP:
            break
        rows.append(value[:MAX_TYPED_LENGTH])
    if not rows:
        raise InputError("empty")
    if len(rows) > MAX_ROWS:
        raise InputError("too_many", count=len(rows))
    return rows


def _clean(value: str) -> str:
    return " ".join((value or "").replace("\u00a0", " ").split())


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold().strip().rstrip(":"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Matcher(Protocol):
    """What resolving needs of the address index (app.addresses.matcher.AddressIndex has it)."""

    def match(self, text: str) -> MatchResult: ...
    def address(self, code: str) -> AddressRecord | None: ...


def resolve_rows(lines: Iterable[str], index: Matcher) -> list[ResolvedRow]:
    """Each line through the matcher; repeated lines are matched once."""
    seen: dict[str, ResolvedRow] = {}
    rows = []
    for line in lines:
        key = line.casefold()
        if key not in seen:
            seen[key] = resolve_one(line, index)
        rows.append(replace(seen[key], typed=line))
    return rows


def resolve_one(line: str, index: Matcher) -> ResolvedRow:
    """One line: a building, buildings to pick from, or nothing."""
    result = index.match(line)
    if result.status == "found" and result.address is not None:
        return ResolvedRow(line, "found", result.address.code)
    if result.status == "ambiguous":
        # Candidates may be streets when no street had the house: only buildings can be picked.
        buildings = tuple((c.code, c.label) for c in result.candidates if index.address(c.code) is not None)
        return ResolvedRow(line, "ambiguous", None, buildings)
    if result.status == "street_only" and result.street is not None:
        return ResolvedRow(line, "street_only", None, tuple((house.code, house.label) for house in result.nearby))
    if result.status == "outside_area":
        return ResolvedRow(line, "outside_area")
    return ResolvedRow(line, "not_found")
