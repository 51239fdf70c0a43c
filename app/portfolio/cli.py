"""`flask managers …` commands."""

import click
from flask.cli import AppGroup

from app.portfolio.services import purge_drafts

managers_cli = AppGroup("managers", help="Building managers' lists (/managers).")


@managers_cli.command("purge-drafts")
@click.option("--days", default=30, show_default=True, help="Keep drafts touched within this many days.")
def purge_drafts_command(days: int) -> None:
    """Delete lists that were checked but never saved and not touched for DAYS days (safe from cron)."""
    click.echo(f"deleted drafts={purge_drafts(days)} older than {days} days")
