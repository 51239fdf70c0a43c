"""`flask addresses …` commands."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.addresses.register import RegisterError, import_register, register_size

addresses_cli = AppGroup("addresses", help="The Vilnius street and address register.")


@addresses_cli.command("import-register")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_register_command(directory: Path) -> None:
    """Import adr_gatves.csv and adr_stat_lr.csv from DIRECTORY (Vilnius city only; the national files too).

    Buildings the register re-coded keep their subscribers, saved lists and shutoffs; retired codes left with
    followers are listed here and in the audit log.
    """
    # click's progress bar over the bytes read, on a terminal only (cron and CI logs get just the summary).
    bar = click.progressbar(
        length=register_size(directory), label="Reading the register", width=40, hidden=not sys.stdout.isatty()
    )
    try:
        with bar:
            summary = import_register(directory, progress=bar.update)
    except RegisterError as exc:
        raise click.ClickException(f"{exc} — nothing was changed.") from None
    for line in summary.lines():
        click.echo(line)
