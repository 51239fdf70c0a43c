"""/admin: staff sign-in, schedule upload → preview → publish, audit log."""

import functools

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.accounts import authenticate
from app.admin.forms import ConfirmForm, LoginForm, UploadForm
from app.admin.models import AuditEntry, ScheduleUpload, StaffUser
from app.admin.uploads import audit_detail, preview_upload, publish_upload, store_upload
from app.extensions import db, limiter
from app.shutoffs.importer import ScheduleFileError
from app.shutoffs.models import ScheduleBatch
from app.timeutil import VILNIUS
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
    return render_template("admin/login.html", form=form, failed=failed, form_has_errors=bool(form.errors) or failed)


@bp.post("/logout")
def logout():
    ConfirmForm().validate_on_submit()
    session.pop(SESSION_KEY, None)
    return redirect(url_for("admin.login"))


@bp.get("/")
@login_required
def dashboard():
    return _dashboard(UploadForm())


def _dashboard(form: UploadForm):
    batches = db.session.scalars(select(ScheduleBatch).order_by(ScheduleBatch.id.desc()).limit(10)).all()
    return render_template("admin/dashboard.html", form=form, batches=batches, form_has_errors=bool(form.errors))


@bp.post("/uploads")
@login_required
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            stored = store_upload(form.schedule.data, g.staff_user.email)
        except ScheduleFileError as exc:
            form.schedule.errors.append(str(exc))
        else:
            return redirect(url_for("admin.preview", upload_id=stored.id))
    return _dashboard(form)


@bp.get("/uploads/<int:upload_id>")
@login_required
def preview(upload_id: int):
    stored = db.get_or_404(ScheduleUpload, upload_id)
    return render_template("admin/preview.html", upload=stored, report=preview_upload(stored), form=ConfirmForm())


@bp.post("/uploads/<int:upload_id>/publish")
@login_required
def publish(upload_id: int):
    stored = db.get_or_404(ScheduleUpload, upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if stored.batch_id is not None:
        flash(_("Šis failas jau paskelbtas."))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    try:
        report = publish_upload(stored, g.staff_user.email)
    except ScheduleFileError as exc:  # e.g. another publication at the same moment
        flash(str(exc))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    if not report.published:
        flash(_("Grafikas nepaskelbtas: ne visos eilutės atpažintos."))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    flash(_("Grafikas paskelbtas. %(summary)s", summary=report.summary()))
    return redirect(url_for("admin.dashboard"))


@bp.get("/audit")
@login_required
def audit_log():
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
    return render_template("admin/audit.html", entries=entries, detail=audit_detail)
