"""`flask shutoffs …` commands."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.addresses.lookup import address_index
from app.shutoffs.importer import ImportReport, ScheduleFileError, import_schedule
from app.shutoffs.schedules import DEFAULT_SCHEDULE_NAME, ScheduleNameError, clean_schedule_name
from app.timeutil import today_in_vilnius

shutoffs_cli = AppGroup("shutoffs", help="The hot-water shutoff schedule.")


@shutoffs_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--schedule",
    "schedule_name",
    default=DEFAULT_SCHEDULE_NAME,
    show_default=True,
    help="The named schedule the file goes into; no other schedule is touched.",
)
@click.option(
    "--cancel-missing",
    is_flag=True,
    help="Also cancel this schedule's shutoffs the file does not name (each is listed). Without it a file "
    "only adds, moves and cancels what it names.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option(
    "--allow-unresolved",
    is_flag=True,
    help="Publish the rows that resolve even if others do not (their shutoffs are left as they are).",
)
@click.option("--published-by", default="cli", show_default=True, help="Who publishes (kept with the batch).")
def import_command(
    file: Path, schedule_name: str, cancel_missing: bool, dry_run: bool, allow_unresolved: bool, published_by: str
) -> None:
    """Import a CSV or XLSX schedule into one named schedule; nothing is written unless every row resolves."""
    try:
        name = clean_schedule_name(schedule_name)
    except ScheduleNameError as exc:
        raise click.BadParameter(str(exc), param_hint="--schedule") from None
    try:
        report = import_schedule(
            file.read_bytes(),
            file.name,
            today=today_in_vilnius(),
            schedule=name,
            dry_run=dry_run,
            published_by=published_by,
            allow_unresolved=allow_unresolved,
            cancel_missing=cancel_missing,
        )
    except ScheduleFileError as exc:
        raise click.ClickException(f"{file.name}: {exc} Nothing was changed.") from None
    for line in report.lines():
        click.echo(line)
    _echo_cancellations(report)
    if report.problems and not report.published:
        raise click.ClickException(
            f"{len(report.problems)} row(s) could not be resolved; nothing was changed. Fix them and import again."
        )
    if report.published and report.problems:
        click.echo(f"Published without the {len(report.problems)} row(s) above.")
    else:
        click.echo("Published." if report.published else "Dry run: nothing was changed.")


def _echo_cancellations(report: ImportReport) -> None:
    """Every shutoff the file cancels (or would), by address and dates."""
    if report.plan is None or not report.plan.cancelled:
        return
    index = address_index()
    done = "Cancelled" if report.published else "To cancel"
    click.echo(f"{done} ({len(report.plan.cancelled)}):")
    for shutoff, row in report.plan.cancelled:
        record = index.address(shutoff.address_code)
        label = record.label if record else shutoff.address_code
        why = f"row {row.line}" if row is not None else "not in the file"
        click.echo(f"  {label}  {shutoff.first_day.isoformat()} – {shutoff.last_day.isoformat()}  ({why})")
