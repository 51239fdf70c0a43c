"""The outbox: plan what is due, claim rows, send them, record the outcome.

planning.py writes due messages into the outbox once each, claims.py holds every database detail of
claiming rows and recording outcomes, sender.py turns claimed rows into messages. The CLI and the
views call the two functions here.
"""

from app.notifications.outbox.planning import plan_changes, plan_hot_water_back, plan_reminders
from app.notifications.outbox.sender import BATCH_SIZE, Sender, SendStats
from app.timeutil import today_in_vilnius, utcnow

__all__ = ["BATCH_SIZE", "SendStats", "send_due", "send_now"]


def send_due(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> tuple[int, SendStats]:
    """Plan what is due today (Vilnius), then send everything claimable. Returns (rows planned, send stats)."""
    now = utcnow()
    today = today_in_vilnius()
    # Changes first: a move or restore names the new days, and the reminder due for them is then not planned.
    planned = plan_changes(today, now) + plan_reminders(today, now) + plan_hot_water_back(today, now)
    with Sender() as sender:
        stats = sender.run(batch_size=batch_size, max_batches=max_batches)
    return planned, stats


def send_now(row_ids: list[int]) -> SendStats:
    """Send these rows right away (a confirmation during the sign-up request). A failure stays on the row for
    `flask notify send` to retry; the caller's answer does not change."""
    with Sender() as sender:
        return sender.run(ids=row_ids)
