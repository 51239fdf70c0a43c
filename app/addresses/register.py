"""Import of the Registrų centras street and address files (pipe-delimited UTF-8, national or Vilnius only)."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.addresses.lookup import forget_index
from app.addresses.models import Address, Street
from app.addresses.recoding import Place, RecodingReport, follow_recoded_codes, street_successors
from app.datacache import bump_data_version
from app.extensions import db
from app.shutoffs.published import forget_published
from app.timeutil import today_in_vilnius, utcnow

VILNIUS_CITY_SAV_KODAS = "13"
STREETS_FILE = "adr_gatves.csv"
ADDRESSES_FILE = "adr_stat_lr.csv"
STREET_COLUMNS = ("GAT_KODAS", "TIPAS", "TIPO_SANTRUMPA", "VARDAS_K")
ADDRESS_COLUMNS = ("AOB_KODAS", "GAT_KODAS", "NR")
CODE_RE = re.compile(r"^\d{1,20}$")
HOUSE_NUMBER_RE = re.compile(r"^\d{1,5}[A-ZĄČĘĖĮŠŲŪŽ]?$")
BLOCK_RE = re.compile(r"^[0-9A-Z]{1,5}$")
BOM = b"\xef\xbb\xbf"
PROGRESS_EVERY_BYTES = 1 << 20
Progress = Callable[[int], None]


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
    recoding: RecodingReport = field(default_factory=RecodingReport)

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
            *(self.recoding.lines() if self.addresses_retired else []),
        ]


class _RegisterFile:
    """One pipe-delimited UTF-8 register file, read line by line (the national files hold a million rows).

    Lines are split as bytes; only the rows kept are decoded and validated, so the rows of other
    municipalities cost a split and a comparison each, and memory stays flat whatever the file's size.
    """

    def __init__(self, path: Path, required: tuple[str, ...]):
        self.name, self.path = path.name, path
        try:
            self.size = path.stat().st_size
            with path.open("rb") as handle:
                first = handle.readline()
        except (FileNotFoundError, IsADirectoryError):
            raise RegisterError(self.name, None, None, "file not found") from None
        if not first.strip():
            raise RegisterError(self.name, 1, None, "the file is empty")
        self.header = [h.strip().upper() for h in _decode(self.name, 1, first.removeprefix(BOM)).split("|")]
        missing = [c for c in required if c not in self.header]
        if missing:
            raise RegisterError(self.name, 1, missing[0], f"required column missing (header: {'|'.join(self.header)})")

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def rows(
        self, keep_column: str | None = None, keep: set[bytes] | None = None, progress: Progress | None = None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {column: value}) for each row whose `keep_column` is in `keep` (every row without
        them); the skipped ones are counted in self.skipped. Calls progress(bytes read) now and then."""
        self.skipped = 0
        width = len(self.header)
        at = self.column(keep_column) if keep_column and keep is not None else None
        with self.path.open("rb") as handle:
            unreported = len(handle.readline())
            for line_no, raw in enumerate(handle, start=2):
                unreported += len(raw)
                if progress is not None and unreported >= PROGRESS_EVERY_BYTES:
                    progress(unreported)
                    unreported = 0
                fields = raw.rstrip(b"\r\n").split(b"|")
                if len(fields) != width:
                    if len(fields) == 1 and not fields[0].strip():
                        continue
                    raise RegisterError(self.name, line_no, None, f"expected {width} fields, found {len(fields)}")
                if at is not None and fields[at].strip() not in keep:
                    self.skipped += 1
                    continue
                values = _decode(self.name, line_no, b"|".join(fields)).split("|")
                yield line_no, {h: v.strip() for h, v in zip(self.header, values, strict=True)}
        if progress is not None and unreported:
            progress(unreported)


def _decode(name: str, line: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RegisterError(name, line, None, "not UTF-8 text") from None


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


def _street(name: str, line: int, row: dict[str, str]) -> StreetRow:
    for column in ("VARDAS_K", "TIPAS", "TIPO_SANTRUMPA"):
        if not row[column]:
            raise RegisterError(name, line, column, "empty value")
    return StreetRow(
        code=_code(name, line, row, "GAT_KODAS"),
        name=row["VARDAS_K"],
        type_word=row["TIPAS"],
        type_abbr=row["TIPO_SANTRUMPA"],
        settlement=row.get("GYV_KODAS", ""),
        valid_from=_date(name, line, row, "GAT_NUO"),
    )


def _address(name: str, line: int, row: dict[str, str]) -> AddressRow:
    number = row["NR"].upper().replace(" ", "")
    if not HOUSE_NUMBER_RE.match(number):
        raise RegisterError(name, line, "NR", f"not a house number: {row['NR']!r}")
    block = row.get("KORPUSO_NR", "").upper().replace(" ", "")
    if block and not BLOCK_RE.match(block):
        raise RegisterError(name, line, "KORPUSO_NR", f"not a block number: {block!r}")
    return AddressRow(
        code=_code(name, line, row, "AOB_KODAS"),
        street_code=_code(name, line, row, "GAT_KODAS"),
        number=number,
        block=block,
        postcode=row.get("PASTO_KODAS", ""),
        settlement=row.get("GYV_KODAS", ""),
        valid_from=_date(name, line, row, "AOB_NUO"),
    )


@dataclass
class RegisterExtract:
    """The Vilnius part of a register directory."""

    streets: list[StreetRow]
    addresses: list[AddressRow]
    skipped_outside_vilnius: int


def register_size(directory: Path) -> int:
    """Bytes in the two register files (what `progress` of read_register counts up to)."""
    return sum(
        (directory / name).stat().st_size for name in (STREETS_FILE, ADDRESSES_FILE) if (directory / name).exists()
    )


def read_register(directory: Path, progress: Progress | None = None) -> RegisterExtract:
    """The Vilnius city streets and addresses of DIR, each file read once, line by line.

    Addresses are kept when SAV_KODAS is Vilnius city's (13; every row when the column is absent), streets
    when their GYV_KODAS is a settlement those addresses lie in (every street when either file lacks it).
    Raises RegisterError naming the file, line and column of the first problem.
    """
    streets_file = _RegisterFile(directory / STREETS_FILE, STREET_COLUMNS)
    addresses_file = _RegisterFile(directory / ADDRESSES_FILE, ADDRESS_COLUMNS)
    municipality = {VILNIUS_CITY_SAV_KODAS.encode()} if addresses_file.column("SAV_KODAS") is not None else None
    addresses = [
        _address(addresses_file.name, line, row)
        for line, row in addresses_file.rows("SAV_KODAS", municipality, progress)
    ]
    settlements = {a.settlement.encode() for a in addresses if a.settlement}
    if not settlements or streets_file.column("GYV_KODAS") is None:
        settlements = None
    streets = [
        _street(streets_file.name, line, row) for line, row in streets_file.rows("GYV_KODAS", settlements, progress)
    ]
    return RegisterExtract(streets, addresses, addresses_file.skipped)


def read_streets(path: Path) -> list[StreetRow]:
    """Every street of one adr_gatves.csv; raises RegisterError on the first bad line."""
    register = _RegisterFile(path, STREET_COLUMNS)
    return [_street(register.name, line, row) for line, row in register.rows()]


def read_addresses(path: Path) -> tuple[list[AddressRow], int]:
    """The Vilnius city rows of one adr_stat_lr.csv, and how many rows were skipped."""
    register = _RegisterFile(path, ADDRESS_COLUMNS)
    municipality = {VILNIUS_CITY_SAV_KODAS.encode()} if register.column("SAV_KODAS") is not None else None
    rows = [_address(register.name, line, row) for line, row in register.rows("SAV_KODAS", municipality)]
    return rows, register.skipped


def import_register(directory: Path, progress: Progress | None = None) -> ImportSummary:
    """Upsert Vilnius streets and addresses from DIR in one transaction; retire what vanished.

    `progress(bytes)` is called as the files are read (see register_size). Raises RegisterError and writes
    nothing when a file is broken.
    """
    extract = read_register(directory, progress)
    streets, addresses = extract.streets, extract.addresses
    _check_unique(STREETS_FILE, [s.code for s in streets])
    _check_unique(ADDRESSES_FILE, [a.code for a in addresses])
    street_codes = {s.code for s in streets}
    for a in addresses:
        if a.street_code not in street_codes:
            raise RegisterError(
                ADDRESSES_FILE, None, "GAT_KODAS", f"address {a.code} names unknown street {a.street_code}"
            )

    summary = ImportSummary(skipped_outside_vilnius=extract.skipped_outside_vilnius)
    try:
        places, street_names = _current_places()
        _upsert_streets(streets, summary)
        _upsert_addresses(addresses, summary)
        if summary.addresses_retired:
            summary.recoding = _follow_recoding(places, street_names, streets, addresses)
        if summary.changed:
            bump_data_version("register")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    forget_index()  # this worker at once; the others notice the version bump
    if summary.recoding.shutoffs_moved:
        forget_published()
    return summary


def _current_places() -> tuple[dict[str, Place], dict[str, tuple[str, str]]]:
    """The buildings in use before the import (code → Place), and the streets in use (code → name, abbr)."""
    streets = {
        code: (name, abbr)
        for code, name, abbr in db.session.execute(
            select(Street.code, Street.name, Street.type_abbr).where(Street.retired_at.is_(None))
        )
    }
    rows = db.session.execute(
        select(Address.code, Address.street_code, Street.name, Street.type_abbr, Address.number, Address.block)
        .join(Street, Street.code == Address.street_code)
        .where(Address.retired_at.is_(None))
    )
    return {code: Place(*place) for code, *place in rows}, streets


def _follow_recoding(
    before: dict[str, Place],
    street_names: dict[str, tuple[str, str]],
    streets: list[StreetRow],
    addresses: list[AddressRow],
) -> RecodingReport:
    in_file = {a.code for a in addresses}
    retired = {code: place for code, place in before.items() if code not in in_file}
    names = {s.code: (s.name, s.type_abbr) for s in streets}
    added = {
        a.code: Place(a.street_code, *names[a.street_code], a.number, a.block)
        for a in addresses
        if a.code not in before
    }
    successors = street_successors(
        {code: name for code, name in street_names.items() if code not in names},
        {code: name for code, name in names.items() if code not in street_names},
    )
    return follow_recoded_codes(retired, added, successors, today_in_vilnius())


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
