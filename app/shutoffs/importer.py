"""Schedule files (CSV or XLSX) → shutoffs per address: read, resolve, compare with what is published, apply.

Which published shutoff a row corresponds to (the source key)
--------------------------------------------------------------
A shutoff is identified by (address, source key). The source key names "the same planned work":
the kind of work plus the row's `Adresai` text, normalised (one spacing, one dash, case-folded), and the
occurrence of that pair in the file (`#2` when the same streets get the same kind of work twice in a season).
So when a corrected schedule moves the dates of a row, its shutoffs keep their key and are *moved*; a row
that vanished is *cancelled*; importing the same file twice changes nothing. Changing the `Adresai` text of a
row is a different piece of work: the old shutoffs are cancelled and new ones planned. Shutoffs that already
ended are history and are never cancelled by a later file.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.datacache import bump_data_version
from app.extensions import db
from app.shutoffs.files import RowProblem, ScheduleFileError, read_schedule
from app.shutoffs.models import ScheduleBatch, Shutoff, ShutoffChange, ShutoffStatus
from app.shutoffs.published import forget_published
from app.shutoffs.resolve import ResolvedScheduleRow, resolve_schedule_rows, source_key
from app.timeutil import utcnow

__all__ = [
    "ImportReport",
    "ScheduleFileError",
    "import_schedule",
    "read_schedule",
    "resolve_schedule_rows",
    "source_key",
]


COUNTS = ("rows", "addresses", "new", "moved", "cancelled", "unchanged")


@dataclass
class ImportReport:
    """What a file holds and what publishing it changes (or changed)."""

    rows: int = 0
    addresses: int = 0
    new: int = 0
    moved: int = 0
    cancelled: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    published: bool = False
    batch_id: int | None = None
    cancellations_skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        """The six figures of summary(), e.g. to store and word again later (ImportReport(**counts))."""
        return {name: getattr(self, name) for name in COUNTS}

    def summary(self) -> str:
        """The figures in one line, in the current locale: what the preview, the audit log and the CLI say."""
        return _(
            "Eilučių: %(rows)d, adresų: %(addresses)d; naujų: %(new)d, perkeltų: %(moved)d, "
            "atšauktų: %(cancelled)d, nepakitusių: %(unchanged)d",
            rows=self.rows,
            addresses=self.addresses,
            new=self.new,
            moved=self.moved,
            cancelled=self.cancelled,
            unchanged=self.unchanged,
        )

    def lines(self) -> list[str]:
        """summary(), then one line per problem row, then whether cancellations were held back."""
        lines = [self.summary()]
        for problem in self.problems:
            if problem.suggestions:
                text = _(
                    "Eilutė %(line)d: %(message)s — gal: %(suggestions)s",
                    line=problem.line,
                    message=problem.message,
                    suggestions="; ".join(problem.suggestions),
                )
            else:
                text = _("Eilutė %(line)d: %(message)s", line=problem.line, message=problem.message)
            lines.append(text)
        if self.cancellations_skipped:
            lines.append(_("Neperskaitytų eilučių yra, todėl niekas neatšaukiama."))
        return lines


@dataclass
class _Plan:
    new: list[tuple[str, ResolvedScheduleRow]] = field(default_factory=list)
    moved: list[tuple[Shutoff, ResolvedScheduleRow]] = field(default_factory=list)
    restored: list[tuple[Shutoff, ResolvedScheduleRow]] = field(default_factory=list)
    notes: list[tuple[Shutoff, str]] = field(default_factory=list)
    cancelled: list[Shutoff] = field(default_factory=list)
    unchanged: int = 0


def _plan(resolved: list[ResolvedScheduleRow], today: date, unresolved_keys: frozenset[str] = frozenset()) -> _Plan:
    existing = {
        (s.address_code, s.source_key): s for s in db.session.scalars(select(Shutoff).where(Shutoff.source_key != ""))
    }
    plan = _Plan()
    wanted: set[tuple[str, str]] = set()
    for item in resolved:
        for code in item.codes:
            key = (code, item.source_key)
            wanted.add(key)
            shutoff = existing.get(key)
            if shutoff is None:
                plan.new.append((code, item))
            elif shutoff.status == ShutoffStatus.CANCELLED:
                plan.restored.append((shutoff, item))
            elif (shutoff.first_day, shutoff.last_day) != (item.row.first_day, item.row.last_day):
                plan.moved.append((shutoff, item))
            else:
                plan.unchanged += 1
                if shutoff.note != item.row.note:
                    plan.notes.append((shutoff, item.row.note))
    for key, shutoff in existing.items():
        if (
            key not in wanted
            and key[1] not in unresolved_keys
            and shutoff.status != ShutoffStatus.CANCELLED
            and shutoff.last_day >= today
        ):
            plan.cancelled.append(shutoff)
    return plan


def _apply(plan: _Plan, batch: ScheduleBatch) -> None:
    """Write the plan with bulk statements: a season's file is tens of thousands of shutoffs."""
    now = utcnow()
    changes: list[dict] = []
    if plan.new:
        # Core, not the ORM: no objects for tens of thousands of rows. A first publication needs no
        # history row: the shutoff's batch_id and created_at record it.
        db.session.execute(
            insert(Shutoff.__table__),
            [
                {
                    "address_code": code,
                    "first_day": item.row.first_day,
                    "last_day": item.row.last_day,
                    "kind": item.row.kind,
                    "note": item.row.note,
                    "status": ShutoffStatus.PLANNED,
                    "source_key": item.source_key,
                    "batch_id": batch.id,
                    "created_at": now,
                    "updated_at": now,
                }
                for code, item in plan.new
            ],
        )
    updates: list[dict] = []
    for shutoff, item in plan.moved + plan.restored:
        status = (
            ShutoffStatus.MOVED
            if shutoff.status == ShutoffStatus.MOVED
            or (shutoff.first_day, shutoff.last_day) != (item.row.first_day, item.row.last_day)
            else ShutoffStatus.PLANNED
        )
        changes.append(_change(shutoff.id, batch, status, shutoff, item.row.first_day, item.row.last_day, now))
        updates.append(
            {
                "id": shutoff.id,
                "first_day": item.row.first_day,
                "last_day": item.row.last_day,
                "status": status,
                "note": item.row.note,
                "updated_at": now,
            }
        )
    updates.extend({"id": shutoff.id, "note": note, "updated_at": now} for shutoff, note in plan.notes)
    for shutoff in plan.cancelled:
        changes.append(
            _change(shutoff.id, batch, ShutoffStatus.CANCELLED, shutoff, shutoff.first_day, shutoff.last_day, now)
        )
        updates.append({"id": shutoff.id, "status": ShutoffStatus.CANCELLED, "updated_at": now})
    for group in _same_keys(updates):
        db.session.execute(update(Shutoff), group)
    if changes:
        db.session.execute(insert(ShutoffChange.__table__), changes)
    db.session.expire_all()


def _same_keys(rows: list[dict]) -> list[list[dict]]:
    """Bulk UPDATE by primary key wants every row of one statement to set the same columns."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _change(
    shutoff_id: int,
    batch: ScheduleBatch,
    status: ShutoffStatus,
    previous: Shutoff | None,
    first: date,
    last: date,
    now: datetime,
) -> dict:
    return {
        "shutoff_id": shutoff_id,
        "batch_id": batch.id,
        "changed_at": now,
        "status": status,
        "previous_first_day": previous.first_day if previous else None,
        "previous_last_day": previous.last_day if previous else None,
        "first_day": first,
        "last_day": last,
    }


def import_schedule(
    data: bytes,
    filename: str,
    *,
    today: date,
    dry_run: bool = False,
    published_by: str = "",
    before_commit: Callable[[ScheduleBatch, "ImportReport"], None] | None = None,
    allow_unresolved: bool = False,
) -> ImportReport:
    """Read, resolve and compare a schedule; publish it in one transaction unless dry_run or a row has a problem.

    allow_unresolved publishes the rows that resolve anyway: the shutoffs of a row that was read but not
    resolved are left as they are, and when a row could not even be read nothing at all is cancelled.
    Raises ScheduleFileError when the file is not a schedule at all.
    """
    rows, problems = read_schedule(data, filename)
    resolved, unresolved = resolve_schedule_rows(rows)
    problems = sorted(problems + unresolved, key=lambda p: p.line)
    report = ImportReport(rows=len({r.line for r in rows} | {p.line for p in problems}), problems=problems)
    report.addresses = len({code for item in resolved for code in item.codes})
    plan = _plan(resolved, today, frozenset(p.source_key for p in unresolved if p.source_key))
    if allow_unresolved and any(not p.source_key for p in problems) and plan.cancelled:
        plan.cancelled, report.cancellations_skipped = [], True
    report.new = len(plan.new) + len(plan.restored)
    report.moved, report.cancelled, report.unchanged = len(plan.moved), len(plan.cancelled), plan.unchanged
    if dry_run or (problems and not allow_unresolved):
        db.session.rollback()
        return report
    try:
        batch = ScheduleBatch(
            source_name=Path(filename).name[:255] or "schedule",
            source_sha256=hashlib.sha256(data).hexdigest(),
            rows=report.rows,
            published_by=published_by[:255],
            published_at=utcnow(),
        )
        db.session.add(batch)
        db.session.flush()
        _apply(plan, batch)
        bump_data_version("schedule")
        report.batch_id = batch.id
        if before_commit is not None:
            before_commit(batch, report)  # e.g. the audit entry, in the same transaction
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ScheduleFileError(_("Kitas grafikas buvo skelbiamas tuo pačiu metu. Bandykite dar kartą.")) from None
    except Exception:
        db.session.rollback()
        raise
    forget_published()  # this worker answers from the new schedule at once; others see the version move
    report.published = True
    return report
