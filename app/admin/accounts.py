"""Staff accounts: create, check a password, record what they do. No Flask request needed."""

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.admin.models import AuditEntry, StaffUser
from app.extensions import db
from app.timeutil import utcnow

MIN_PASSWORD_LENGTH = 10
# Checked when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    pass


def normalise_login_email(email: str) -> str:
    # PostgreSQL refuses NUL in text: a crafted address must be "no such user", not a server error.
    return (email or "").replace("\x00", "").strip().lower()


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _existing_user(email: str) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_login_email(email)))
    if user is None:
        raise AccountError(f"no staff account {normalise_login_email(email)}")
    return user


def set_staff_password(email: str, password: str) -> StaffUser:
    """A new password for an existing account (commits); every session it had ends. AccountError for an
    unknown e-mail or a short password."""
    user = _existing_user(email)
    user.password_hash = generate_password_hash(_checked_password(password))
    user.session_version += 1
    db.session.commit()
    return user


def set_staff_active(email: str, active: bool) -> StaffUser:
    """Let an account sign in again, or stop it (commits; a stopped account's sessions end at once, its audit
    entries stay). AccountError for an unknown e-mail."""
    user = _existing_user(email)
    user.is_active = active
    user.session_version += 1
    db.session.commit()
    return user


def create_staff_user(email: str, password: str) -> StaffUser:
    """A new staff account (commits); raises AccountError for a bad e-mail, short password or a duplicate."""
    email = normalise_login_email(email)
    if "@" not in email or len(email) > 255:
        raise AccountError("not an e-mail address")
    _checked_password(password)
    if db.session.scalar(select(func.count()).select_from(StaffUser).where(StaffUser.email == email)):
        raise AccountError(f"{email} already has an account")
    user = StaffUser(email=email, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active account with this e-mail and password, else None (same work either way)."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_login_email(email)))
    if user is None or not user.is_active:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def record(actor: str, action: str, detail: str = "", batch_id: int | None = None) -> None:
    """Add an audit entry inside the caller's transaction."""
    db.session.add(AuditEntry(actor=actor, action=action, detail=detail, batch_id=batch_id, at=utcnow()))
