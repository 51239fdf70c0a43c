"""Schedule files (CSV or XLSX) → shutoffs of one named schedule: read, resolve, compare, publish.

Which published shutoff a row names, and what a file may change, is app.shutoffs.changes (identity by building
and work number or kind; additive unless cancel_missing). Publishing is one transaction: the schedule's
version moves from the one the preview was computed against (else StalePreview, nothing written), the
changes are written, the caller's audit entry is added (before_commit), then it commits.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.addresses.lookup import address_index
from app.datacache import bump_data_version
from app.extensions import db
from app.shutoffs.changes import Plan, Published, compare_with_published, work_key
from app.shutoffs.files import RowProblem, ScheduleFileError, read_schedule
from app.shutoffs.forecast import forecast_messages
from app.shutoffs.models import Schedule, ScheduleBatch, Shutoff, ShutoffChange, ShutoffStatus
from app.shutoffs.published import forget_published
from app.shutoffs.resolve import ResolvedScheduleRow, resolve_schedule_rows
from app.shutoffs.schedules import DEFAULT_SCHEDULE_NAME, find_schedule
from app.timeutil import utcnow

__all__ = [
    "ImportReport",
    "ScheduleFileError",
    "StalePreview",
    "import_schedule",
    "read_schedule",
    "resolve_schedule_rows",
]


COUNTS = ("rows", "addresses", "new", "moved", "cancelled", "unchanged")
# A cancellation this large is warned about before it can be confirmed: more than this many shutoffs …
CANCELLATION_WARNING_COUNT = 20
# … or more than this share of the schedule's shutoffs still going ahead.
CANCELLATION_WARNING_SHARE = 0.10


class StalePreview(ScheduleFileError):
    """The schedule was published again since the preview (or is being published now): nothing was written."""


@dataclass
class ImportReport:
    """What a file holds and what publishing it into its schedule changes (or changed)."""

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
    schedule: str = DEFAULT_SCHEDULE_NAME
    schedule_version: int = 0  # the version of the schedule the comparison was made against
    going_ahead: int = 0  # the schedule's shutoffs not cancelled and not over, before this file
    missing: int = 0  # of those, how many the file does not name
    cancel_missing: bool = False
    resolved: list[ResolvedScheduleRow] = field(default_factory=list)
    plan: Plan | None = None
    # Preview only: what the next `flask notify send` will send once published, by (channel, message kind).
    messages: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cancellation_is_large(self) -> bool:
        """More than 20 cancellations, or more than a tenth of what the schedule has going ahead."""
        return self.cancelled > CANCELLATION_WARNING_COUNT or (
            self.cancelled > 0 and self.cancelled > CANCELLATION_WARNING_SHARE * self.going_ahead
        )

    @property
    def cancellations_need_confirmation(self) -> bool:
        """Staff type the count before publishing: what the file leaves out is cancelled, or many are."""
        return self.cancelled > 0 and (self.cancel_missing or self.cancellation_is_large)

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
        """The schedule and summary(), one line per problem row, then what is left alone and held back."""
        lines = [_("Grafikas „%(name)s“", name=self.schedule), self.summary()]
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
            lines.append(_("Neperskaitytų eilučių yra, todėl faile nepaminėti išjungimai neatšaukiami."))
        elif self.missing and not self.cancel_missing:
            lines.append(
                ngettext(
                    "%(num)d skelbiamas išjungimas faile nepaminėtas: jis lieka, koks buvo.",
                    "%(num)d skelbiami išjungimai faile nepaminėti: jie lieka, kokie buvo.",
                    self.missing,
                )
            )
        return lines


def import_schedule(
    data: bytes,
    filename: str,
    *,
    today: date,
    schedule: str = DEFAULT_SCHEDULE_NAME,
    dry_run: bool = False,
    published_by: str = "",
    before_commit: Callable[[ScheduleBatch, ImportReport], None] | None = None,
    allow_unresolved: bool = False,
    cancel_missing: bool = False,
    expected_version: int | None = None,
    expected_cancellations: int | None = None,
) -> ImportReport:
    """Read, resolve and compare a schedule file with the named schedule; publish it unless dry_run or a row has
    a problem. `today` (Vilnius) decides what has already ended.

    allow_unresolved publishes the rows that resolve anyway: what an unresolved row names is left as it is, and
    with an unresolved row nothing missing from the file is cancelled. expected_version (the preview's) and
    expected_cancellations (what staff confirmed) must still hold when publishing, else StalePreview; without
    expected_version the version read at the start must. A dry run also counts the messages publishing will
    bring (report.messages). Raises ScheduleFileError when the file is not a schedule at all.
    """
    schedule_file = read_schedule(data, filename)
    resolved, unresolved = resolve_schedule_rows(schedule_file.rows)
    resolved, clashes = _one_row_per_work(resolved)
    problems = sorted(schedule_file.problems + unresolved + clashes, key=lambda p: p.line)
    report = ImportReport(
        rows=len({r.line for r in schedule_file.rows} | {p.line for p in problems}),
        problems=problems,
        schedule=schedule,
        resolved=resolved,
        cancel_missing=cancel_missing,
    )
    report.addresses = len({code for item in resolved for code in item.codes})
    if dry_run or (problems and not allow_unresolved):
        current = find_schedule(schedule)
        report.schedule_version = current.version if current is not None else 0
        plan = _compare(report, current, today)
        if dry_run:
            report.messages = forecast_messages(plan, today)
        db.session.rollback()
        return report
    try:
        claimed = _claim(schedule, expected_version)
        report.schedule_version = claimed.version - 1
        plan = _compare(report, claimed, today)
        if expected_cancellations is not None and expected_cancellations != report.cancelled:
            raise StalePreview(_("Atšaukiamų išjungimų skaičius pasikeitė. Peržiūrėkite failą iš naujo."))
        batch = ScheduleBatch(
            schedule_id=claimed.id,
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
    except (IntegrityError, OperationalError) as exc:
        db.session.rollback()
        if isinstance(exc, OperationalError) and "locked" not in str(exc.orig):
            raise
        raise _stale(schedule) from None
    except Exception:
        db.session.rollback()
        raise
    forget_published()  # this worker answers from the new schedule at once; others see the version move
    report.published = True
    return report


def _stale(schedule: str) -> StalePreview:
    return StalePreview(
        _(
            "Grafiką „%(name)s“ ką tik paskelbė kitas darbuotojas (arba skelbia dabar). "
            "Peržiūrėkite failą iš naujo: pakeitimai skaičiuojami nuo naujausio grafiko.",
            name=schedule,
        )
    )


def _claim(name: str, expected_version: int | None) -> Schedule:
    """The schedule, its version moved on by one in this transaction; StalePreview when it moved since."""
    schedule = find_schedule(name)
    if schedule is None:
        if expected_version:
            raise _stale(name)
        schedule = Schedule(name=name, version=1, created_at=utcnow())
        db.session.add(schedule)
        db.session.flush()  # a schedule created at the same moment elsewhere: IntegrityError → stale
        return schedule
    version = schedule.version if expected_version is None else expected_version
    # Row lock on PostgreSQL, the write lock on SQLite: a second publication waits here, then finds the version gone.
    moved = db.session.execute(
        update(Schedule)
        .where(Schedule.id == schedule.id, Schedule.version == version)
        .values(version=Schedule.version + 1)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise _stale(name)
    db.session.expire(schedule, ["version"])
    return schedule


def _compare(report: ImportReport, schedule: Schedule | None, today: date) -> Plan:
    """The plan against the schedule as published now, its figures written into the report."""
    published = _published(schedule.id) if schedule is not None else []
    skip_missing = report.cancel_missing and bool(report.problems)
    plan = compare_with_published(
        report.resolved, published, today, cancel_missing=report.cancel_missing and not skip_missing
    )
    report.cancellations_skipped = skip_missing and bool(plan.missing)
    report.plan = plan
    report.going_ahead = sum(1 for s in published if s.status != ShutoffStatus.CANCELLED and s.last_day >= today)
    report.missing = len(plan.missing)
    report.new = len(plan.new) + len(plan.restored)
    report.moved, report.cancelled, report.unchanged = len(plan.moved), len(plan.cancelled), len(plan.unchanged)
    return plan


def _published(schedule_id: int) -> list[Published]:
    """The schedule's shutoffs, read through the table (not ORM entities: a season is tens of thousands)."""
    table = Shutoff.__table__
    rows = db.session.connection().execute(
        select(
            table.c.id,
            table.c.address_code,
            table.c.work_key,
            table.c.kind,
            table.c.first_day,
            table.c.last_day,
            table.c.status,
            table.c.note,
        ).where(table.c.schedule_id == schedule_id)
    )
    return [Published(*row) for row in rows]


def _one_row_per_work(resolved: list[ResolvedScheduleRow]) -> tuple[list[ResolvedScheduleRow], list[RowProblem]]:
    """A numbered file names each (building, work number) once: a later row naming it again is a problem."""
    first_line: dict[tuple[str, str], int] = {}
    kept, problems = [], []
    index = address_index()
    for item in resolved:
        if not item.row.work_number:
            kept.append(item)
            continue
        clash = next((code for code in item.codes if (code, item.row.work_number) in first_line), None)
        if clash is None:
            first_line.update({(code, item.row.work_number): item.row.line for code in item.codes})
            kept.append(item)
            continue
        record = index.address(clash)
        message = _(
            "%(address)s su darbo Nr. %(number)s jau yra eilutėje %(line)d",
            address=record.label if record else clash,
            number=item.row.work_number,
            line=first_line[clash, item.row.work_number],
        )
        problems.append(RowProblem(item.row.line, item.row.addresses, message))
    return kept, problems


def _apply(plan: Plan, batch: ScheduleBatch) -> None:
    """Write the plan with bulk statements: a season's file is tens of thousands of shutoffs."""
    now = utcnow()
    if plan.new:
        # Core, not the ORM: no objects for tens of thousands of rows. A first publication needs no
        # history row: the shutoff's batch_id and created_at record it.
        db.session.execute(
            insert(Shutoff.__table__),
            [
                {
                    "schedule_id": batch.schedule_id,
                    "address_code": code,
                    "first_day": row.first_day,
                    "last_day": row.last_day,
                    "kind": row.kind,
                    "note": row.note,
                    "status": ShutoffStatus.PLANNED,
                    "work_key": work_key(row),
                    "batch_id": batch.id,
                    "created_at": now,
                    "updated_at": now,
                }
                for code, row in plan.new
            ],
        )
    changes: list[dict] = []
    updates: dict[int, dict] = {}
    for shutoff, row in plan.moved + plan.restored:
        days = (row.first_day, row.last_day)
        status = (
            ShutoffStatus.MOVED
            if shutoff.status == ShutoffStatus.MOVED or shutoff.days != days
            else ShutoffStatus.PLANNED
        )
        changes.append(_change(shutoff, batch, status, days, now))
        updates[shutoff.id] = {"first_day": days[0], "last_day": days[1], "status": status, "note": row.note}
    for shutoff, note in plan.notes:
        updates.setdefault(shutoff.id, {})["note"] = note
    for shutoff, _row in plan.cancelled:
        changes.append(_change(shutoff, batch, ShutoffStatus.CANCELLED, shutoff.days, now))
        updates.setdefault(shutoff.id, {})["status"] = ShutoffStatus.CANCELLED
    for shutoff, key in plan.keys:
        updates.setdefault(shutoff.id, {})["work_key"] = key
    rows = [{"id": shutoff_id, **values, "updated_at": now} for shutoff_id, values in updates.items()]
    for group in _same_keys(rows):
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


def _change(shutoff: Published, batch: ScheduleBatch, status: ShutoffStatus, days: tuple[date, date], now) -> dict:
    return {
        "shutoff_id": shutoff.id,
        "batch_id": batch.id,
        "changed_at": now,
        "status": status,
        "previous_first_day": shutoff.first_day,
        "previous_last_day": shutoff.last_day,
        "first_day": days[0],
        "last_day": days[1],
    }
