"""Staff pages of the notifications, under /admin/notifications: delivery per day and channel.

Signed in as for the rest of /admin (app.admin.auth: the staff session check and login_required).
"""

from flask import Blueprint, render_template

from app.admin.auth import load_staff_user, login_required
from app.notifications.delivery import STATS_DAYS, daily_counts
from app.notifications.models import Channel
from app.timeutil import today_in_vilnius

bp = Blueprint("staff", __name__)
bp.before_request(load_staff_user)


@bp.after_request
def never_cached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@login_required
def delivery():
    """Sent / delivered / failed per day and channel for the last STATS_DAYS days."""
    days = daily_counts(today_in_vilnius(), STATS_DAYS)
    totals = {
        channel: {key: sum(d.counts[channel][key] for d in days) for key in ("sent", "delivered", "failed")}
        for channel in Channel
    }
    return render_template("notifications/admin/delivery.html", days=days, totals=totals, channels=list(Channel))
