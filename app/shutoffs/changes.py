"""A schedule file against what its schedule already publishes → what changes, building by building. Pure Python.

Identity
--------
Within a schedule a shutoff is one building and one piece of work:

* when the file has a work-number column (`Nr.`, `Darbo Nr.`, `ID`): (building, work number), key `nr:<number>`;
* otherwise (building, kind of work), key `kind:<kind>`. A building the file names twice for one kind (two
  hydraulic tests in a season) is paired with its published shutoffs by dates: equal dates first, then the
  rest in date order.

So fixing the spelling of a row, or adding a house to it, changes nothing for the buildings already there;
only new dates are a move. A numbered row with no published match takes over an unnumbered shutoff of its
kind at that building (a schedule that starts numbering its work keeps its shutoffs).

Additive by default
-------------------
A file adds what is new and moves or updates what it names. A row whose `Būsena` says `atšaukta` cancels
what it names. Published shutoffs the file does not name are `missing`: left as they are, unless
`cancel_missing` is asked for. Shutoffs that already ended are history: never moved, never cancelled.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from app.shutoffs.files import ScheduleRow
from app.shutoffs.models import ShutoffKind, ShutoffStatus
from app.shutoffs.resolve import ResolvedScheduleRow

NUMBERED, BY_KIND = "nr:", "kind:"


@dataclass(frozen=True, slots=True)
class Published:
    """A shutoff as its schedule publishes it now (days are Vilnius calendar days, inclusive)."""

    id: int
    address_code: str
    work_key: str
    kind: ShutoffKind
    first_day: date
    last_day: date
    status: ShutoffStatus
    note: str = ""

    @property
    def days(self) -> tuple[date, date]:
        return (self.first_day, self.last_day)


@dataclass
class Plan:
    """What publishing a file changes. Every list is per building; `row` is the file row that asks for it."""

    new: list[tuple[str, ScheduleRow]] = field(default_factory=list)
    moved: list[tuple[Published, ScheduleRow]] = field(default_factory=list)
    restored: list[tuple[Published, ScheduleRow]] = field(default_factory=list)  # cancelled before, planned again
    cancelled: list[tuple[Published, ScheduleRow | None]] = field(default_factory=list)  # None: not in the file
    unchanged: list[tuple[Published, ScheduleRow]] = field(default_factory=list)
    # Published, still ahead, not named by the file: cancelled only when cancel_missing was asked for.
    missing: list[Published] = field(default_factory=list)
    notes: list[tuple[Published, str]] = field(default_factory=list)  # unchanged days, a new note
    keys: list[tuple[Published, str]] = field(default_factory=list)  # matched shutoffs whose work key changes


def work_key(row: ScheduleRow) -> str:
    """The key of the work a row names: `nr:<work number>` or `kind:<kind>` (see the module docstring)."""
    return f"{NUMBERED}{row.work_number}" if row.work_number else f"{BY_KIND}{row.kind.value}"


def compare_with_published(
    rows: list[ResolvedScheduleRow], published: list[Published], today: date, *, cancel_missing: bool = False
) -> Plan:
    """What the resolved rows change in a schedule that publishes `published` (its shutoffs), as of `today`."""
    wanted: dict[str, list[ScheduleRow]] = defaultdict(list)
    for item in rows:
        for code in item.codes:
            wanted[code].append(item.row)
    by_code: dict[str, list[Published]] = defaultdict(list)
    for shutoff in published:
        by_code[shutoff.address_code].append(shutoff)
    plan = Plan()
    for code, code_rows in wanted.items():
        _building(plan, code, code_rows, by_code.pop(code, []), today)
    for shutoffs in by_code.values():
        plan.missing.extend(s for s in shutoffs if _going_ahead(s, today))
    plan.missing.sort(key=lambda s: (s.first_day, s.address_code, s.id))
    if cancel_missing:
        plan.cancelled.extend((s, None) for s in plan.missing)
    return plan


def _going_ahead(shutoff: Published, today: date) -> bool:
    return shutoff.status != ShutoffStatus.CANCELLED and shutoff.last_day >= today


def _building(plan: Plan, code: str, rows: list[ScheduleRow], published: list[Published], today: date) -> None:
    """Pair one building's rows with its published shutoffs, then record each pair (or lone row) in the plan."""
    rows = _once_each(rows)
    free = sorted(published, key=lambda s: (s.first_day, s.last_day, s.id))
    pairs: list[tuple[Published | None, ScheduleRow]] = []
    leftover: list[ScheduleRow] = []
    for row in rows:  # numbered rows find their own work first: the same days, else work still ahead
        same_key = [s for s in free if row.work_number and s.work_key == work_key(row)]
        match = next((s for s in same_key if s.days == (row.first_day, row.last_day)), None) or next(
            (s for s in same_key if s.last_day >= today), None
        )
        if match is not None:
            free.remove(match)
            pairs.append((match, row))
        else:
            leftover.append(row)
    by_kind: dict[ShutoffKind, list[ScheduleRow]] = defaultdict(list)
    for row in leftover:
        by_kind[row.kind].append(row)
    for kind, kind_rows in by_kind.items():
        # A numbered row may only take over unnumbered work; an unnumbered row pairs with any work of its kind.
        candidates = [s for s in free if s.kind == kind]
        for shutoff, row in _pair_by_days(kind_rows, candidates, today):
            if shutoff is not None:
                free.remove(shutoff)
            pairs.append((shutoff, row))
    for shutoff, row in pairs:
        if shutoff is None:
            if not row.cancelled:
                plan.new.append((code, row))
        else:
            _record(plan, shutoff, row, today)
    plan.missing.extend(s for s in free if _going_ahead(s, today))


def _once_each(rows: list[ScheduleRow]) -> list[ScheduleRow]:
    """A building named twice for the same work and days (overlapping rows) is one shutoff: the first row."""
    seen: set[tuple] = set()
    kept = []
    for row in sorted(rows, key=lambda r: (r.first_day, r.last_day, r.line)):
        identity = (work_key(row), row.first_day, row.last_day)
        if identity not in seen:
            seen.add(identity)
            kept.append(row)
    return kept


def _pair_by_days(
    rows: list[ScheduleRow], candidates: list[Published], today: date
) -> list[tuple[Published | None, ScheduleRow]]:
    """Rows of one kind at one building with that building's published work of the kind: equal days first,
    then each remaining row (in date order) with the work nearest to its first day. Work that already ended
    only ever pairs with its own days."""
    free = list(candidates)
    pairs: list[tuple[Published | None, ScheduleRow]] = []
    waiting: list[ScheduleRow] = []
    for row in rows:
        same = next((s for s in free if s.days == (row.first_day, row.last_day) and _may_take(row, s)), None)
        if same is not None:
            free.remove(same)
            pairs.append((same, row))
        else:
            waiting.append(row)
    ahead = [s for s in free if s.last_day >= today]
    for row in waiting:
        takeable = [s for s in ahead if _may_take(row, s)]
        match = min(takeable, key=lambda s: (abs((s.first_day - row.first_day).days), s.first_day), default=None)
        if match is not None:
            ahead.remove(match)
        pairs.append((match, row))
    return pairs


def _may_take(row: ScheduleRow, shutoff: Published) -> bool:
    return not row.work_number or not shutoff.work_key.startswith(NUMBERED)


def _record(plan: Plan, shutoff: Published, row: ScheduleRow, today: date) -> None:
    """One published shutoff and the row that names it → cancelled, restored, moved or unchanged."""
    key = work_key(row) if row.work_number or not shutoff.work_key.startswith(NUMBERED) else shutoff.work_key
    if key != shutoff.work_key:
        plan.keys.append((shutoff, key))
    if row.cancelled:
        if _going_ahead(shutoff, today):
            plan.cancelled.append((shutoff, row))
        else:
            plan.unchanged.append((shutoff, row))
    elif shutoff.status == ShutoffStatus.CANCELLED and shutoff.last_day >= today:
        plan.restored.append((shutoff, row))
    elif shutoff.days != (row.first_day, row.last_day) and shutoff.last_day >= today:
        plan.moved.append((shutoff, row))
    else:
        plan.unchanged.append((shutoff, row))
        if shutoff.note != row.note:
            plan.notes.append((shutoff, row.note))
