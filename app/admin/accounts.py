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


def create_staff_user(email: str, password: str) -> StaffUser:
    """A new staff account (commits); raises AccountError for a bad e-mail, short password or a duplicate."""
    email = normalise_login_email(email)
    if "@" not in email or len(email) > 255:
        raise AccountError("not an e-mail address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
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
