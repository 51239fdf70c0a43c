"""Who is signed in as staff: the session check every staff page runs, and the decorator that asks for it.

Used by the admin blueprint and by other features' staff pages (e.g. /admin/notifications) alike, so no
feature imports another's views.
"""

import functools

from flask import g, redirect, request, session, url_for
from sqlalchemy import update

from app.admin.models import StaffUser
from app.extensions import db

SESSION_KEY = "staff_user_id"
SESSION_VERSION_KEY = "staff_session_version"


def load_staff_user() -> None:
    """g.staff_user: the signed-in, active account whose session version the cookie still holds; else None.

    Register it as a blueprint's before_request. A cookie copied before logout names an old session version
    (logout increments StaffUser.session_version), so it signs nobody in.
    """
    user_id, version = session.get(SESSION_KEY), session.get(SESSION_VERSION_KEY)
    user = db.session.get(StaffUser, user_id) if isinstance(user_id, int) else None
    if user is not None and user.is_active and isinstance(version, int) and version == user.session_version:
        g.staff_user = user
    else:
        g.staff_user = None


def start_staff_session(user: StaffUser) -> None:
    """Sign user in: a fresh session (no fixation) holding the account id and its current session version."""
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF caches the old session's token on g
    session[SESSION_KEY] = user.id
    session[SESSION_VERSION_KEY] = user.session_version


def end_staff_session() -> None:
    """Sign out: the account's session version moves on (commits), so every copy of its cookie stops working."""
    if g.get("staff_user") is not None:
        db.session.execute(
            update(StaffUser)
            .where(StaffUser.id == g.staff_user.id)
            .values(session_version=StaffUser.session_version + 1)
        )
        db.session.commit()
    session.clear()
    g.pop("csrf_token", None)


def login_required(view):
    """A view decorator: without a signed-in staff member, a redirect to the sign-in page that comes back here."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.staff_user is None:
            return redirect(url_for("admin.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped
