"""`flask demo load`: fills an empty database with the demo register (and schedule, when there is one)."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.addresses.models import Street
from app.addresses.register import import_register
from app.extensions import db

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
demo_cli = AppGroup("demo", help="Demo data for trying the site out.")


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Load even if the database already has streets.")
def load_demo(force: bool) -> None:
    """Load the demo register from data/ when the database is empty."""
    if not force and db.session.scalar(select(func.count()).select_from(Street)):
        click.echo("The database already has data; demo not loaded (use --force to load anyway).")
        return
    summary = import_register(DATA_DIR / "demo-register")
    for line in summary.lines():
        click.echo(line)
