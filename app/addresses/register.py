"""Import of the Registrų centras street and address files (pipe-delimited CSV)."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.addresses.lookup import forget_index
from app.addresses.models import Address, Street
from app.datacache import bump_data_version
from app.extensions import db
from app.timeutil import utcnow

VILNIUS_CITY_SAV_KODAS = "13"
STREETS_FILE = "adr_gatves.csv"
ADDRESSES_FILE = "adr_stat_lr.csv"
STREET_COLUMNS = ("GAT_KODAS", "TIPAS", "TIPO_SANTRUMPA", "VARDAS_K")
ADDRESS_COLUMNS = ("AOB_KODAS", "GAT_KODAS", "NR")
CODE_RE = re.compile(r"^\d{1,20}$")
HOUSE_NUMBER_RE = re.compile(r"^\d{1,5}[A-ZĄČĘĖĮŠŲŪŽ]?$")
BLOCK_RE = re.compile(r"^[0-9A-Z]{1,5}$")


class RegisterError(Exception):
    """A register file that cannot be imported; names the file, line and column."""

    def __init__(self, file: str, line: int | None, column: str | None, problem: str):
        self.file, self.line, self.column, self.problem = file, line, column, problem
        where = file
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class StreetRow:
    code: str
    name: str
    type_word: str
    type_abbr: str
    settlement: str
    valid_from: date | None


@dataclass(frozen=True)
class AddressRow:
    code: str
    street_code: str
    number: str
    block: str
    postcode: str
    settlement: str
    valid_from: date | None


@dataclass
class ImportSummary:
    streets_added: int = 0
    streets_updated: int = 0
    streets_retired: int = 0
    addresses_added: int = 0
    addresses_updated: int = 0
    addresses_retired: int = 0
    skipped_outside_vilnius: int = 0

    @property
    def changed(self) -> bool:
        streets = (self.streets_added, self.streets_updated, self.streets_retired)
        return any((*streets, self.addresses_added, self.addresses_updated, self.addresses_retired))

    def lines(self) -> list[str]:
        return [
            f"streets: {self.streets_added} added, {self.streets_updated} updated, {self.streets_retired} retired",
            f"addresses: {self.addresses_added} added, {self.addresses_updated} updated, "
            f"{self.addresses_retired} retired",
            f"rows outside Vilnius city skipped: {self.skipped_outside_vilnius}",
        ]


def _read_rows(path: Path, required: tuple[str, ...]):
    """Yield (line number, {column: value}) from a pipe-delimited UTF-8 file."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RegisterError(name, None, None, "file not found") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RegisterError(name, line, None, "not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="|", quoting=csv.QUOTE_NONE)
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        raise RegisterError(name, 1, None, "the file is empty") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise RegisterError(name, 1, missing[0], f"required column missing (header: {'|'.join(header)})")
    for line_no, values in enumerate(reader, start=2):
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if len(values) != len(header):
            raise RegisterError(name, line_no, None, f"expected {len(header)} fields, found {len(values)}")
        yield line_no, {h: v.strip() for h, v in zip(header, values, strict=True)}


def _code(name: str, line: int, row: dict, column: str) -> str:
    value = row.get(column, "")
    if not CODE_RE.match(value):
        raise RegisterError(name, line, column, f"not a register code: {value!r}")
    return value


def _date(name: str, line: int, row: dict, column: str) -> date | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RegisterError(name, line, column, f"not a date (YYYY-MM-DD): {value!r}") from None


def read_streets(path: Path) -> list[StreetRow]:
    """Parse adr_gatves.csv; raises RegisterError on the first bad line."""
    rows = []
    for line, row in _read_rows(path, STREET_COLUMNS):
        for column in ("VARDAS_K", "TIPAS", "TIPO_SANTRUMPA"):
            if not row[column]:
                raise RegisterError(path.name, line, column, "empty value")
        rows.append(
            StreetRow(
                code=_code(path.name, line, row, "GAT_KODAS"),
                name=row["VARDAS_K"],
                type_word=row["TIPAS"],
                type_abbr=row["TIPO_SANTRUMPA"],
                settlement=row.get("GYV_KODAS", ""),
                valid_from=_date(path.name, line, row, "GAT_NUO"),
            )
        )
    return rows


def read_addresses(path: Path) -> tuple[list[AddressRow], int]:
    """Parse adr_stat_lr.csv keeping Vilnius city rows; returns the rows and how many were skipped."""
    rows, skipped = [], 0
    for line, row in _read_rows(path, ADDRESS_COLUMNS):
        if "SAV_KODAS" in row and row["SAV_KODAS"] != VILNIUS_CITY_SAV_KODAS:
            skipped += 1
            continue
        number = row["NR"].upper().replace(" ", "")
        if not HOUSE_NUMBER_RE.match(number):
            raise RegisterError(path.name, line, "NR", f"not a house number: {row['NR']!r}")
        block = row.get("KORPUSO_NR", "").upper().replace(" ", "")
        if block and not BLOCK_RE.match(block):
            raise RegisterError(path.name, line, "KORPUSO_NR", f"not a block number: {block!r}")
        rows.append(
            AddressRow(
                code=_code(path.name, line, row, "AOB_KODAS"),
                street_code=_code(path.name, line, row, "GAT_KODAS"),
                number=number,
                block=block,
                postcode=row.get("PASTO_KODAS", ""),
                settlement=row.get("GYV_KODAS", ""),
                valid_from=_date(path.name, line, row, "AOB_NUO"),
            )
        )
    return rows, skipped


def _vilnius_streets(streets: list[StreetRow], addresses: list[AddressRow]) -> list[StreetRow]:
    """Streets of the settlements the Vilnius-city addresses lie in (all, if codes are absent)."""
    settlements = {a.settlement for a in addresses if a.settlement}
    if not settlements or not any(s.settlement for s in streets):
        return streets
    return [s for s in streets if s.settlement in settlements]


def import_register(directory: Path) -> ImportSummary:
    """Upsert Vilnius streets and addresses from DIR in one transaction; retire what vanished."""
    streets = read_streets(directory / STREETS_FILE)
    addresses, skipped = read_addresses(directory / ADDRESSES_FILE)
    streets = _vilnius_streets(streets, addresses)
    _check_unique(STREETS_FILE, [s.code for s in streets])
    _check_unique(ADDRESSES_FILE, [a.code for a in addresses])
    street_codes = {s.code for s in streets}
    for a in addresses:
        if a.street_code not in street_codes:
            raise RegisterError(
                ADDRESSES_FILE, None, "GAT_KODAS", f"address {a.code} names unknown street {a.street_code}"
            )

    summary = ImportSummary(skipped_outside_vilnius=skipped)
    try:
        _upsert_streets(streets, summary)
        _upsert_addresses(addresses, summary)
        if summary.changed:
            bump_data_version("register")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    forget_index()  # this worker at once; the others notice the version bump
    return summary


def _check_unique(name: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise RegisterError(name, None, None, f"code {code} appears twice")
        seen.add(code)


def _upsert_streets(rows: list[StreetRow], summary: ImportSummary) -> None:
    existing = {s.code: s for s in db.session.scalars(select(Street))}
    now = utcnow()
    for row in rows:
        street = existing.pop(row.code, None)
        if street is None:
            db.session.add(
                Street(
                    code=row.code,
                    name=row.name,
                    type_word=row.type_word,
                    type_abbr=row.type_abbr,
                    valid_from=row.valid_from,
                )
            )
            summary.streets_added += 1
            continue
        wanted = (row.name, row.type_word, row.type_abbr, row.valid_from, None)
        if (street.name, street.type_word, street.type_abbr, street.valid_from, street.retired_at) != wanted:
            street.name, street.type_word, street.type_abbr, street.valid_from = wanted[:4]
            street.retired_at = None
            summary.streets_updated += 1
    for street in existing.values():
        if street.retired_at is None:
            street.retired_at = now
            summary.streets_retired += 1


def _upsert_addresses(rows: list[AddressRow], summary: ImportSummary) -> None:
    existing = {a.code: a for a in db.session.scalars(select(Address))}
    now = utcnow()
    new = []
    for row in rows:
        address = existing.pop(row.code, None)
        if address is None:
            new.append(
                Address(
                    code=row.code,
                    street_code=row.street_code,
                    number=row.number,
                    block=row.block,
                    postcode=row.postcode,
                    valid_from=row.valid_from,
                )
            )
            continue
        wanted = (row.street_code, row.number, row.block, row.postcode, row.valid_from, None)
        current = (
            address.street_code,
            address.number,
            address.block,
            address.postcode,
            address.valid_from,
            address.retired_at,
        )
        if current != wanted:
            (address.street_code, address.number, address.block, address.postcode, address.valid_from) = wanted[:5]
            address.retired_at = None
            summary.addresses_updated += 1
    db.session.add_all(new)
    summary.addresses_added = len(new)
    # Vanished addresses are retired, never deleted: shutoffs and subscriptions may point at them.
    for address in existing.values():
        if address.retired_at is None:
            address.retired_at = now
            summary.addresses_retired += 1
