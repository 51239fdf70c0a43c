"""`flask shutoffs …` commands."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.shutoffs.importer import ScheduleFileError, import_schedule
from app.timeutil import today_in_vilnius

shutoffs_cli = AppGroup("shutoffs", help="The hot-water shutoff schedule.")


@shutoffs_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option(
    "--allow-unresolved",
    is_flag=True,
    help="Publish the rows that resolve even if others do not (their shutoffs are left as they are).",
)
@click.option("--published-by", default="cli", show_default=True, help="Who publishes (kept with the batch).")
def import_command(file: Path, dry_run: bool, allow_unresolved: bool, published_by: str) -> None:
    """Import a CSV or XLSX schedule; nothing is written unless every row resolves."""
    try:
        report = import_schedule(
            file.read_bytes(),
            file.name,
            today=today_in_vilnius(),
            dry_run=dry_run,
            published_by=published_by,
            allow_unresolved=allow_unresolved,
        )
    except ScheduleFileError as exc:
        raise click.ClickException(f"{file.name}: {exc} Nothing was changed.") from None
    for line in report.lines():
        click.echo(line)
    if report.problems and not report.published:
        raise click.ClickException(
            f"{len(report.problems)} row(s) could not be resolved; nothing was changed. Fix them and import again."
        )
    if report.published and report.problems:
        click.echo(f"Published without the {len(report.problems)} row(s) above.")
    else:
        click.echo("Published." if report.published else "Dry run: nothing was changed.")
