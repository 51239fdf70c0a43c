"""Portfolios in the database: create, edit, purge, and the table of buildings with their next shutoff.

The pastes and files a list is made of are app.portfolio.sources'."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from app.addresses.models import Address, Street, address_label
from app.extensions import db
from app.portfolio.models import Portfolio, PortfolioEntry
from app.portfolio.parsing import MAX_LIST_LINES, InputError, LineStatus, ResolvedLine
from app.portfolio.sources import Resolved, add_sources
from app.shutoffs.models import Shutoff, ShutoffStatus
from app.shutoffs.queries import hot_water_off_soon
from app.timeutil import utcnow
from app.wording import overlaps_horizon

# Codes per IN (…) list: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500
FOUND = (LineStatus.FOUND, LineStatus.PICKED)
TO_PICK = (LineStatus.AMBIGUOUS, LineStatus.STREET_ONLY)


@dataclass
class TableRow:
    entry_id: int
    number: int
    typed: str
    status: LineStatus
    address_code: str | None
    label: str = ""
    candidates: list[tuple[str, str]] = field(default_factory=list)
    shutoffs: list[Shutoff] = field(default_factory=list)  # ending today or later, by first day
    affected: bool = False  # hot water off within the horizon (a cancelled one does not count)
    duplicate: bool = False  # the same building is on an earlier row
    kept: dict[str, str] = field(default_factory=dict)  # KeptColumn.key → the cell of its paste or file

    @property
    def found(self) -> bool:
        return self.status in FOUND

    @property
    def can_pick(self) -> bool:
        return self.status in TO_PICK and bool(self.candidates)

    @property
    def active_shutoffs(self) -> list[Shutoff]:
        return [s for s in self.shutoffs if s.status != ShutoffStatus.CANCELLED]

    @property
    def next_shutoff(self) -> Shutoff | None:
        return next(iter(self.active_shutoffs), None)


@dataclass(frozen=True)
class Summary:
    total: int
    found: int
    to_pick: int
    not_found: int
    affected: int


def portfolio_by_public_id(public_id: str | None) -> Portfolio | None:
    """The portfolio a signed link names, or None."""
    if not public_id:
        return None
    return db.session.scalar(select(Portfolio).where(Portfolio.public_id == public_id))


def create_portfolio(sources: list[Resolved]) -> Portfolio:
    """A new draft portfolio made of these pastes and files, committed."""
    portfolio = Portfolio()
    db.session.add(portfolio)
    db.session.flush()
    add_sources(portfolio, sources, start=0)
    db.session.commit()
    return portfolio


def append_sources(portfolio: Portfolio, sources: list[Resolved]) -> None:
    """More rows at the end; raises InputError("too_many") when the list would pass MAX_LIST_LINES."""
    count, last = db.session.execute(
        select(func.count(), func.max(PortfolioEntry.position)).where(PortfolioEntry.portfolio_id == portfolio.id)
    ).one()
    adding = sum(len(rows) for _, rows in sources)
    if count + adding > MAX_LIST_LINES:
        raise InputError("too_many", count=count + adding)
    add_sources(portfolio, sources, start=(last or 0) + 1)
    portfolio.updated_at = utcnow()
    db.session.commit()


def entry_of(portfolio: Portfolio, entry_id: int) -> PortfolioEntry | None:
    """The row with this id when it belongs to this portfolio (an id from another list is None)."""
    entry = db.session.get(PortfolioEntry, entry_id)
    return entry if entry is not None and entry.portfolio_id == portfolio.id else None


def pick_building(entry: PortfolioEntry, code: str) -> bool:
    """Settle an ambiguous row on one of its candidates; False when the code was not offered."""
    if code not in {c[0] for c in entry.candidates or []}:
        return False
    entry.address_code = code
    entry.status = LineStatus.PICKED
    entry.portfolio.updated_at = utcnow()
    db.session.commit()
    return True


def replace_row(entry: PortfolioEntry, row: ResolvedLine) -> None:
    """The manager corrected what was typed: store the new text and what it matched."""
    entry.typed = row.typed
    entry.status = row.status
    entry.address_code = row.address_code
    entry.candidates = [list(c) for c in row.candidates]
    entry.portfolio.updated_at = utcnow()
    db.session.commit()


def remove_entries(portfolio: Portfolio, entry_ids: Iterable[int]) -> int:
    """Drop rows from the list; returns how many went."""
    wanted = set(entry_ids)
    gone = [e for e in portfolio.entries if e.id in wanted]
    for entry in gone:
        portfolio.entries.remove(entry)
    if gone:
        portfolio.updated_at = utcnow()
        db.session.commit()
    return len(gone)


def save_portfolio(portfolio: Portfolio, name: str) -> None:
    """Name the list and keep it (a saved list is never purged as a draft)."""
    portfolio.name = name.strip()
    portfolio.saved_at = portfolio.saved_at or utcnow()
    db.session.commit()


def building_codes(portfolio: Portfolio) -> list[str]:
    """Every building the list settled on, once each, in list order."""
    codes = db.session.scalars(
        select(PortfolioEntry.address_code)
        .where(PortfolioEntry.portfolio_id == portfolio.id, PortfolioEntry.address_code.is_not(None))
        .order_by(PortfolioEntry.position)
    )
    return list(dict.fromkeys(codes))


def notice_rows(rows: list[TableRow]) -> list[TableRow]:
    """One row per building with a shutoff coming (the first row naming it): the stairwell notices to print."""
    seen: set[str] = set()
    buildings = []
    for row in rows:
        if row.next_shutoff is not None and row.address_code not in seen:
            seen.add(row.address_code)
            buildings.append(row)
    return buildings


def purge_drafts(days: int) -> int:
    """Delete lists never saved and not touched for `days` days, with their rows; returns how many went."""
    cutoff = utcnow() - timedelta(days=days)
    stale = select(Portfolio.id).where(Portfolio.saved_at.is_(None), Portfolio.updated_at < cutoff)
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(delete(PortfolioEntry).where(PortfolioEntry.portfolio_id.in_(ids)))
        db.session.execute(delete(Portfolio).where(Portfolio.id.in_(ids)))
        db.session.commit()
    return len(ids)


def table_rows(
    portfolio: Portfolio, today: date, horizon: int, kept_keys: dict[tuple[int, int], str] | None = None
) -> list[TableRow]:
    """Every row with its building's label and shutoffs ending today or later; a few queries in all.

    With `kept_keys` (from kept_columns) each row carries its kept cells by KeptColumn.key.
    """
    entries = db.session.execute(
        select(
            PortfolioEntry.id,
            PortfolioEntry.typed,
            PortfolioEntry.status,
            PortfolioEntry.address_code,
            PortfolioEntry.candidates,
            PortfolioEntry.source_id,
            PortfolioEntry.kept,
        )
        .where(PortfolioEntry.portfolio_id == portfolio.id)
        .order_by(PortfolioEntry.position, PortfolioEntry.id)
    ).all()
    codes = list(dict.fromkeys(e.address_code for e in entries if e.address_code))
    labels = labels_for(codes)
    shutoffs = shutoffs_ending_from(codes, today)
    seen: set[str] = set()
    rows = []
    for number, entry in enumerate(entries, start=1):
        row = TableRow(
            entry_id=entry.id,
            number=number,
            typed=entry.typed,
            status=entry.status,
            address_code=entry.address_code,
            candidates=[(c[0], c[1]) for c in entry.candidates or []],
        )
        if kept_keys is not None:
            row.kept = {
                kept_keys[(entry.source_id, column)]: text
                for column, text in entry.kept or []
                if (entry.source_id, column) in kept_keys
            }
        if entry.address_code:
            row.label = labels.get(entry.address_code, entry.address_code)
            row.shutoffs = shutoffs.get(entry.address_code, [])
            coming = [s for s in row.shutoffs if overlaps_horizon(s.first_day, s.last_day, today, horizon)]
            row.affected = hot_water_off_soon(coming)
            row.duplicate = entry.address_code in seen
            seen.add(entry.address_code)
        rows.append(row)
    return rows


def summarise(rows: list[TableRow]) -> Summary:
    """The counts above the table; `affected` counts buildings, not rows."""
    return Summary(
        total=len(rows),
        found=sum(r.found for r in rows),
        to_pick=sum(r.can_pick for r in rows),
        not_found=sum(not r.found and not r.can_pick for r in rows),
        affected=len({r.address_code for r in rows if r.affected}),
    )


def labels_for(codes: list[str]) -> dict[str, str]:
    """Register labels (`Žirmūnų g. 12A`) by address code."""
    labels = {}
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        for code, name, abbr, number, block in db.session.execute(
            select(Address.code, Street.name, Street.type_abbr, Address.number, Address.block)
            .join(Street, Address.street_code == Street.code)
            .where(Address.code.in_(chunk))
        ):
            labels[code] = address_label(name, abbr, number, block)
    return labels


def shutoffs_ending_from(codes: list[str], today: date) -> dict[str, list[Shutoff]]:
    """Shutoffs ending today or later per building (cancelled ones too), by first day."""
    found: dict[str, list[Shutoff]] = defaultdict(list)
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        for shutoff in db.session.scalars(
            select(Shutoff)
            .where(Shutoff.address_code.in_(chunk), Shutoff.last_day >= today)
            .order_by(Shutoff.first_day, Shutoff.id)
        ):
            found[shutoff.address_code].append(shutoff)
    return found


def shutoffs_for_calendar(codes: list[str], since: date) -> list[Shutoff]:
    """Shutoffs of these buildings ending on `since` or later, for the calendar feed."""
    return [s for lists in shutoffs_ending_from(codes, since).values() for s in lists]
