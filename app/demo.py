"""`flask demo load`: fills an empty database with the demo register (and schedule, when there is one)."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.addresses.models import Street
from app.addresses.register import import_register
from app.extensions import db
from app.shutoffs.importer import import_schedule
from app.timeutil import today_in_vilnius

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_SCHEDULE = DATA_DIR / "demo_schedule.csv"  # dates are day offsets from the day it is loaded
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
    report = import_schedule(
        demo_schedule(today_in_vilnius()), DEMO_SCHEDULE.name, today=today_in_vilnius(), published_by="demo"
    )
    for line in report.lines():
        click.echo(line)


def demo_schedule(today: date) -> bytes:
    """data/demo_schedule.csv with its day offsets (`-1`, `3`) turned into dates counted from today."""
    with DEMO_SCHEDULE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    start, end = header.index("Pradžia"), header.index("Pabaiga")
    for row in body:
        row[start] = (today + timedelta(days=int(row[start]))).isoformat()
        row[end] = (today + timedelta(days=int(row[end]))).isoformat()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    return out.getvalue().encode("utf-8")
