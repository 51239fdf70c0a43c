"""`flask notify send` (cron, safe on several machines at once) and `flask notify purge`."""

import signal

import click
from flask.cli import AppGroup

from app.notifications.outbox import BATCH_SIZE, send_due
from app.notifications.services import UNCONFIRMED_KEPT_DAYS, purge_unconfirmed

notify_cli = AppGroup("notify", help="Notifications to subscribers.")


@notify_cli.command("send")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, help="Rows claimed at a time.")
@click.option("--max-batches", type=int, default=None, help="Stop after this many batches (default: until done).")
def send_command(batch_size: int, max_batches: int | None) -> None:
    """Purge stale sign-ups, plan the reminders and change messages due, and send them.

    One message that cannot be composed or sent is recorded on its row (retried later, or failed for good)
    and the others still go. Exit status 0 when every message went; 1 when some failed for good or wait
    for a retry (the summary line counts them)."""
    purged = purge_unconfirmed()
    # systemd stops a run with SIGTERM (a deploy, a shutdown): unwind instead of dying, so the messages the
    # provider already took are marked sent on the way out and never offered again.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        planned, stats = send_due(batch_size=batch_size, max_batches=max_batches)
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo(
        f"purged={purged} planned={planned} sent={stats.sent} retry_later={stats.retried} "
        f"failed={stats.failed} skipped={stats.skipped}"
    )
    for error in stats.errors[:20]:
        click.echo(f"  error: {error}", err=True)
    if stats.failed or stats.retried:
        click.echo(f"{stats.failed} failed for good, {stats.retried} to retry later", err=True)
        raise SystemExit(1)


def _stop(signum, _frame) -> None:
    raise SystemExit(128 + signum)


@notify_cli.command("purge")
@click.option("--days", default=UNCONFIRMED_KEPT_DAYS, show_default=True)
def purge_command(days: int) -> None:
    """Delete sign-ups not confirmed within DAYS days."""
    click.echo(f"purged={purge_unconfirmed(days)}")
