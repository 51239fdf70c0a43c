"""`flask managers …` commands."""

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import delete, select

from app.extensions import db
from app.portfolio.models import Portfolio, PortfolioEntry
from app.timeutil import utcnow

managers_cli = AppGroup("managers", help="Building managers' lists (/managers).")


@managers_cli.command("purge-drafts")
@click.option("--days", default=30, show_default=True, help="Keep drafts touched within this many days.")
def purge_drafts_command(days: int) -> None:
    """Delete lists that were checked but never saved and not touched for DAYS days (safe from cron)."""
    cutoff = utcnow() - timedelta(days=days)
    stale = select(Portfolio.id).where(Portfolio.saved_at.is_(None), Portfolio.updated_at < cutoff)
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(delete(PortfolioEntry).where(PortfolioEntry.portfolio_id.in_(ids)))
        db.session.execute(delete(Portfolio).where(Portfolio.id.in_(ids)))
        db.session.commit()
    click.echo(f"deleted drafts={len(ids)} older than {days} days")
