"""`flask addresses …` commands."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.addresses.register import RegisterError, import_register

addresses_cli = AppGroup("addresses", help="The Vilnius street and address register.")


@addresses_cli.command("import-register")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_register_command(directory: Path) -> None:
    """Import adr_gatves.csv and adr_stat_lr.csv from DIRECTORY (Vilnius city only)."""
    try:
        summary = import_register(directory)
    except RegisterError as exc:
        raise click.ClickException(f"{exc} — nothing was changed.") from None
    for line in summary.lines():
        click.echo(line)
