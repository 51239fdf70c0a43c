"""/admin: staff sign-in, schedule upload → preview → publish, audit log."""

import functools
import hashlib
from pathlib import Path

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.accounts import authenticate, record
from app.admin.forms import ConfirmForm, LoginForm, UploadForm
from app.admin.models import AuditEntry, ScheduleUpload, StaffUser
from app.extensions import db, limiter
from app.shutoffs.importer import ScheduleFileError, import_schedule
from app.shutoffs.models import ScheduleBatch
from app.timeutil import VILNIUS, today_in_vilnius, utcnow
from app.urls import safe_next_path

bp = Blueprint("admin", __name__)
SESSION_KEY = "staff_user_id"


@bp.app_template_filter("admin_when")
def admin_when(moment) -> str:
    """A stored UTC moment as Vilnius local time, to the minute."""
    return moment.astimezone(VILNIUS).strftime("%Y-%m-%d %H:%M") if moment else ""


@bp.before_request
def load_staff_user() -> None:
    user_id = session.get(SESSION_KEY)
    g.staff_user = db.session.get(StaffUser, user_id) if user_id else None
    if g.staff_user is not None and not g.staff_user.is_active:
        g.staff_user = None


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"  # staff pages never sit in a shared cache
    return response


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.staff_user is None:
            return redirect(url_for("admin.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


@bp.errorhandler(429)
def too_many_attempts(error):
    form = LoginForm()
    return render_template("admin/login.html", form=form, too_many=True), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session on sign-in (no fixation)
            g.pop("csrf_token", None)  # Flask-WTF caches the old session's token on g
            session[SESSION_KEY] = user.id
            return redirect(safe_next_path(request.args.get("next"), url_for("admin.dashboard")))
        failed = True
    has_errors = bool(form.errors) or failed
    return render_template("admin/login.html", form=form, failed=failed, form_has_errors=has_errors), (
        200 if not has_errors else 400
    )


@bp.post("/logout")
def logout():
    ConfirmForm().validate_on_submit()
    session.pop(SESSION_KEY, None)
    return redirect(url_for("admin.login"))


@bp.get("/")
@login_required
def dashboard():
    return _dashboard(UploadForm())


def _dashboard(form: UploadForm, status: int = 200):
    batches = db.session.scalars(select(ScheduleBatch).order_by(ScheduleBatch.id.desc()).limit(10)).all()
    return render_template(
        "admin/dashboard.html", form=form, batches=batches, form_has_errors=bool(form.errors)
    ), status


@bp.post("/uploads")
@login_required
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return _dashboard(form, 400)
    file = form.schedule.data
    data = file.read()
    filename = "".join(c for c in Path(file.filename or "").name if c.isprintable())[:255] or "schedule.csv"
    try:
        import_schedule(data, filename, today=today_in_vilnius(), dry_run=True)
    except ScheduleFileError as exc:
        form.schedule.errors.append(str(exc))
        return _dashboard(form, 400)
    stored = ScheduleUpload(
        filename=filename[:255],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=g.staff_user.email,
        uploaded_at=utcnow(),
    )
    db.session.add(stored)
    record(g.staff_user.email, "upload", filename)
    db.session.commit()
    return redirect(url_for("admin.preview", upload_id=stored.id))


@bp.get("/uploads/<int:upload_id>")
@login_required
def preview(upload_id: int):
    stored = db.get_or_404(ScheduleUpload, upload_id)
    report = None
    if stored.batch_id is None:
        report = import_schedule(stored.content, stored.filename, today=today_in_vilnius(), dry_run=True)
    return render_template("admin/preview.html", upload=stored, report=report, form=ConfirmForm())


@bp.post("/uploads/<int:upload_id>/publish")
@login_required
def publish(upload_id: int):
    stored = db.get_or_404(ScheduleUpload, upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if stored.batch_id is not None:
        flash(_("Šis failas jau paskelbtas."))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    actor = g.staff_user.email

    def audit(batch, report) -> None:
        stored.batch_id = batch.id
        detail = _(
            "%(file)s: naujų %(new)d, perkeltų %(moved)d, atšauktų %(cancelled)d, nepakitusių %(unchanged)d",
            file=stored.filename,
            new=report.new,
            moved=report.moved,
            cancelled=report.cancelled,
            unchanged=report.unchanged,
        )
        record(actor, "publish", detail, batch.id)

    try:
        report = import_schedule(
            stored.content, stored.filename, today=today_in_vilnius(), published_by=actor, before_commit=audit
        )
    except ScheduleFileError as exc:  # e.g. another publication at the same moment
        flash(str(exc))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    if not report.published:
        flash(_("Grafikas nepaskelbtas: ne visos eilutės atpažintos."))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    flash(
        _(
            "Grafikas paskelbtas: naujų %(new)d, perkeltų %(moved)d, atšauktų %(cancelled)d.",
            new=report.new,
            moved=report.moved,
            cancelled=report.cancelled,
        )
    )
    return redirect(url_for("admin.dashboard"))


@bp.get("/audit")
@login_required
def audit_log():
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
    return render_template("admin/audit.html", entries=entries)
