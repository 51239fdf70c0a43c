"""`flask demo load`: fills an empty database with the demo register and schedule, and keeps the demo current.

The demo schedule's dates are counted from the day it is loaded. A database that holds only the demo (its
register, and no schedule but the demo's) is moved to today's dates by the next `flask demo load` (`make run`
runs it), so a newcomer who comes back a week later still sees shutoffs going on and coming.
"""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import delete, func, select

from app.addresses.models import Street
from app.addresses.register import STREETS_FILE, import_register
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.shutoffs.importer import import_schedule
from app.shutoffs.models import ScheduleBatch, Shutoff, ShutoffChange
from app.timeutil import VILNIUS, today_in_vilnius

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_REGISTER = DATA_DIR / "demo-register"
DEMO_SCHEDULE = DATA_DIR / "demo_schedule.csv"  # dates are day offsets from the day it is loaded
DEMO_PUBLISHER = "demo"
demo_cli = AppGroup("demo", help="Demo data for trying the site out.")


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Load even if the database already has streets.")
def load_demo(force: bool) -> None:
    """Load the demo register and schedule when the database is empty; move an aged demo to today."""
    today = today_in_vilnius()
    if not force and db.session.scalar(select(func.count()).select_from(Street)):
        loaded_on = refresh_aged_demo(today)
        if loaded_on is not None:
            click.echo(f"The demo schedule loaded on {loaded_on.isoformat()} was moved to today's dates.")
        else:
            click.echo("The database already has data; demo not loaded (use --force to load anyway).")
        return
    summary = import_register(DEMO_REGISTER)
    for line in summary.lines():
        click.echo(line)
    report = import_schedule(demo_schedule(today), DEMO_SCHEDULE.name, today=today, published_by=DEMO_PUBLISHER)
    for line in report.lines():
        click.echo(line)


def refresh_aged_demo(today: date) -> date | None:
    """Publish the demo schedule again, dated from today, when the database holds only the demo and it was
    loaded before today; returns the day it had been loaded (None: nothing to do, or not only demo data)."""
    publishers = set(db.session.scalars(select(ScheduleBatch.published_by).distinct()))
    if publishers != {DEMO_PUBLISHER} or not _only_demo_streets():
        return None
    loaded_at = db.session.scalar(select(func.max(ScheduleBatch.published_at)))
    loaded_on = loaded_at.astimezone(VILNIUS).date()
    if loaded_on >= today:
        return None
    # The old demo shutoffs go, rather than being "moved": the demo should not look like a schedule in flux.
    old = select(Shutoff.id)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.shutoff_id.in_(old)))
    db.session.execute(delete(ShutoffChange).where(ShutoffChange.shutoff_id.in_(old)))
    db.session.execute(delete(Shutoff))
    db.session.execute(delete(ScheduleBatch))
    db.session.flush()
    import_schedule(demo_schedule(today), DEMO_SCHEDULE.name, today=today, published_by=DEMO_PUBLISHER)
    return loaded_on


def _only_demo_streets() -> bool:
    with (DEMO_REGISTER / STREETS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        demo_codes = {row["GAT_KODAS"] for row in csv.DictReader(handle, delimiter="|")}
    return set(db.session.scalars(select(Street.code))) <= demo_codes


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
