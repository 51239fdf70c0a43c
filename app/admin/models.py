"""Staff accounts, uploaded schedule files awaiting publication, and the audit log."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class StaffUser(db.Model):
    """A VŠT employee who may publish schedules; the password is stored as a werkzeug hash only."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Kept in the session cookie at sign-in and checked on every staff request; signing out moves it on, so a
    # cookie copied before then no longer opens anything.
    session_version: Mapped[int] = mapped_column(default=1)


class ScheduleUpload(db.Model):
    """A file a staff member uploaded, kept between the preview and the publish step."""

    __tablename__ = "schedule_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    schedule_name: Mapped[str] = mapped_column(String(120))  # the named schedule it is to be published into
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_batches.id"))


class AuditEntry(db.Model):
    """Who did what in the staff area, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(40))  # upload, publish
    # upload: the file name; publish: {"file": …, "rows": …, "new": …} as JSON, worded when shown
    # (app.admin.uploads.audit_detail). Entries from before the figures were stored hold their text.
    detail: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_batches.id"))
