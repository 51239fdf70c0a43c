"""The pastes and files a managers' list is made of: stored with their rows, read again when the manager
changes how their columns are read, and the columns they carry into the exports."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.portfolio.models import Portfolio, PortfolioEntry, PortfolioSource
from app.portfolio.parsing import (
    MAX_LIST_LINES,
    InputError,
    Matcher,
    ParsedSource,
    ResolvedLine,
    parse_rows,
    resolve_lines,
)
from app.tabular import Row
from app.tabular.columns import Reading, Role, column_letter
from app.timeutil import utcnow


@dataclass(frozen=True)
class KeptColumn:
    """A column of the manager's files carried into the exports: one per header name, or per unnamed column."""

    key: str
    name: str  # the header cell; '' for a column without one (the export names it by `letter`)
    letter: str  # where it was in its file: `C`


Resolved = tuple[ParsedSource, list[ResolvedLine]]


def resolve_sources(sources: list[ParsedSource], index: Matcher) -> list[Resolved]:
    """Each paste or file with its lines resolved; raises InputError("too_many") past MAX_LIST_LINES together."""
    count = sum(len(source.lines) for source in sources)
    if count > MAX_LIST_LINES:
        raise InputError("too_many", count=count)
    return [(source, resolve_lines(source.lines, index)) for source in sources]


def add_sources(portfolio: Portfolio, sources: list[Resolved], start: int) -> None:
    """Store each paste or file and its lines (positions from `start`); the caller commits."""
    for parsed, rows in sources:
        source = PortfolioSource(
            portfolio_id=portfolio.id,
            kind=parsed.kind,
            filename=parsed.filename,
            header_line=parsed.reading.header_line,
            roles=[str(role) for role in parsed.reading.roles],
            rows=[[row.line, list(row.cells)] for row in parsed.rows],
        )
        db.session.add(source)
        db.session.flush()
        _add_entries(portfolio, source.id, rows, start)
        start += len(rows)


def _entry_fields(portfolio: Portfolio, source_id: int, row: ResolvedLine) -> dict:
    """A PortfolioEntry's columns for a resolved line (its position apart)."""
    return {
        "portfolio_id": portfolio.id,
        "source_id": source_id,
        "line": row.line,
        "typed": row.typed,
        "status": row.status,
        "address_code": row.address_code,
        "candidates": [list(c) for c in row.candidates],
        "kept": [list(k) for k in row.kept],
    }


def _add_entries(portfolio: Portfolio, source_id: int, rows: list[ResolvedLine], start: int) -> None:
    if rows:
        db.session.execute(
            PortfolioEntry.__table__.insert(),
            [_entry_fields(portfolio, source_id, row) | {"position": start + i} for i, row in enumerate(rows)],
        )


def source_of(portfolio: Portfolio, source_id: int) -> PortfolioSource | None:
    """The paste or file with this id when it belongs to this portfolio."""
    source = db.session.get(PortfolioSource, source_id)
    return source if source is not None and source.portfolio_id == portfolio.id else None


def stored_reading(source: PortfolioSource) -> Reading:
    """How the source's columns are read now."""
    return Reading(header_line=source.header_line, roles=tuple(Role(role) for role in source.roles or []))


def parsed_source(source: PortfolioSource, reading: Reading | None = None) -> ParsedSource:
    """The stored rows read again, the way they are read now (or with `reading`)."""
    rows = [Row(line, tuple(cells)) for line, cells in source.rows or []]
    return parse_rows(rows, source.kind, source.filename, reading or stored_reading(source))


def reread_source(portfolio: Portfolio, source: PortfolioSource, reading: Reading, index: Matcher) -> ParsedSource:
    """Read a paste or file again with another reading: its lines are replaced where they were in the list.

    A line that reads the same as before keeps what the manager did with it (a building picked). Raises
    InputError("empty") when the reading finds no address, InputError("too_many") past MAX_LIST_LINES.
    """
    parsed = parsed_source(source, reading)
    if not parsed.lines:
        raise InputError("empty")
    entries = list(
        db.session.scalars(
            select(PortfolioEntry)
            .where(PortfolioEntry.portfolio_id == portfolio.id)
            .order_by(PortfolioEntry.position, PortfolioEntry.id)
        )
    )
    own = [e for e in entries if e.source_id == source.id]
    others = [e for e in entries if e.source_id != source.id]
    if len(others) + len(parsed.lines) > MAX_LIST_LINES:
        raise InputError("too_many", count=len(others) + len(parsed.lines))
    before = {(e.line, e.typed): e for e in own}
    fresh = [line for line in parsed.lines if (line.line, line.typed) not in before]
    resolved = iter(resolve_lines(fresh, index))
    ordered: list[PortfolioEntry] = []
    for line in parsed.lines:
        entry = before.pop((line.line, line.typed), None)
        if entry is None:
            entry = PortfolioEntry(**_entry_fields(portfolio, source.id, next(resolved)))
            db.session.add(entry)
        entry.kept = [list(k) for k in line.kept]
        ordered.append(entry)
    for gone in before.values():
        db.session.delete(gone)
    at = next((i for i, e in enumerate(entries) if e.source_id == source.id), len(entries))
    placed = (
        [e for e in entries[:at] if e.source_id != source.id]
        + ordered
        + [e for e in entries[at:] if e.source_id != source.id]
    )
    for position, entry in enumerate(placed):
        entry.position = position
    source.header_line = reading.header_line
    source.roles = [str(role) for role in reading.roles]
    portfolio.updated_at = utcnow()
    db.session.commit()
    return parsed


def sources_of(portfolio: Portfolio) -> list[PortfolioSource]:
    """The pastes and files of a list, in the order they were given."""
    return list(
        db.session.scalars(
            select(PortfolioSource).where(PortfolioSource.portfolio_id == portfolio.id).order_by(PortfolioSource.id)
        )
    )


def kept_columns(sources: list[PortfolioSource]) -> tuple[list[KeptColumn], dict[tuple[int, int], str]]:
    """The columns the exports carry, and the key of each (source id, column) that goes into one."""
    columns: dict[str, KeptColumn] = {}
    keys: dict[tuple[int, int], str] = {}
    for source in sources:
        reading = stored_reading(source)
        header = next((cells for line, cells in source.rows or [] if line == source.header_line), [])
        for column in reading.kept():
            name = header[column].strip() if column < len(header) else ""
            key = f"name:{name.casefold()}" if name else f"column:{source.id}:{column}"
            columns.setdefault(key, KeptColumn(key, name, column_letter(column)))
            keys[(source.id, column)] = key
    return list(columns.values()), keys
