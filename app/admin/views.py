"""/admin: staff sign-in, schedule upload → preview → publish, audit log."""

import hashlib

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.accounts import authenticate, normalise_login_email
from app.admin.auth import end_staff_session, load_staff_user, login_required, start_staff_session
from app.admin.forms import LoginForm, PublishForm, UploadForm
from app.admin.models import AuditEntry, ScheduleUpload
from app.admin.preview import preview_page
from app.admin.uploads import CancellationNotConfirmed, audit_detail, preview_upload, publish_upload, store_upload
from app.extensions import db, limiter
from app.shutoffs.importer import ScheduleFileError
from app.shutoffs.models import ScheduleBatch
from app.shutoffs.schedules import DEFAULT_SCHEDULE_NAME, schedule_summaries
from app.timeutil import VILNIUS, today_in_vilnius
from app.upload_limits import limit_uploads
from app.urls import safe_next_path

bp = Blueprint("admin", __name__)


@bp.app_template_filter("admin_when")
def admin_when(moment) -> str:
    """A stored UTC moment as Vilnius local time, to the minute."""
    return moment.astimezone(VILNIUS).strftime("%Y-%m-%d %H:%M") if moment else ""


bp.before_request(load_staff_user)


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"  # staff pages never sit in a shared cache
    return response


def login_account_key() -> str:
    """The rate-limit key of the account a sign-in names (a digest: the store never holds the e-mail)."""
    email = normalise_login_email(request.form.get("email", ""))
    return "staff-login:" + hashlib.sha256(email.encode()).hexdigest()


def _failed_sign_in(response) -> bool:
    return response.status_code != 302  # a sign-in that worked redirects


@bp.errorhandler(429)
def too_many_attempts(error):
    if request.endpoint != "admin.login":
        return render_template("errors/429.html"), 429
    form = LoginForm()
    return render_template("admin/login.html", form=form, too_many=True), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
@limiter.limit("10 per hour", key_func=login_account_key, methods=["POST"], deduct_when=_failed_sign_in)
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            start_staff_session(user)
            return redirect(_next_path())
        failed = True
    return render_template("admin/login.html", form=form, failed=failed, form_has_errors=bool(form.errors) or failed)


def _next_path() -> str:
    """Where to go after signing in: the staff page asked for, never another site or a header-breaking path."""
    return safe_next_path(request.args.get("next"), url_for("admin.dashboard"))


@bp.post("/logout")
def logout():
    """Sign out: the account's session version moves on, so every copy of this session cookie stops working."""
    end_staff_session()
    return redirect(url_for("admin.login"))


@bp.get("/")
@login_required
def dashboard():
    return _dashboard(_upload_form())


def _upload_form(**kwargs) -> UploadForm:
    form = UploadForm(**kwargs)
    names = [s.name for s in schedule_summaries(today_in_vilnius())]
    if DEFAULT_SCHEDULE_NAME not in names:
        names.insert(0, DEFAULT_SCHEDULE_NAME)
    form.schedule_name.choices = [(name, name) for name in names]
    if not form.is_submitted() or kwargs.get("formdata", True) is None:
        form.schedule_name.data = DEFAULT_SCHEDULE_NAME
    return form


@bp.errorhandler(413)
def upload_too_large(error):
    """A body over MAX_CONTENT_LENGTH is refused before it is read (by the CSRF check or the form): the
    dashboard again, saying so beside the file field, for staff; the sign-in page for anyone else."""
    load_staff_user()  # the refusal may come before the blueprint's own before_request ran
    if g.staff_user is None:
        return redirect(url_for("admin.login"))
    form = _upload_form(formdata=None)
    size = current_app.config["MAX_CONTENT_LENGTH"] // 2**20
    form.schedule_file.errors = [_("Failas per didelis: galima įkelti iki %(size)s MB.", size=size)]
    return _dashboard(form, has_errors=True), 413


def _dashboard(form: UploadForm, has_errors: bool = False):
    batches = db.session.scalars(select(ScheduleBatch).order_by(ScheduleBatch.id.desc()).limit(10)).all()
    return render_template(
        "admin/dashboard.html",
        form=form,
        batches=batches,
        schedules=schedule_summaries(today_in_vilnius()),
        form_has_errors=has_errors or bool(form.errors),
    )


@bp.post("/uploads")
@limit_uploads
@login_required
def upload():
    form = _upload_form()
    if form.validate_on_submit():
        try:
            stored = store_upload(form.schedule_file.data, g.staff_user.email, form.chosen_schedule())
        except ScheduleFileError as exc:
            form.schedule_file.errors.append(str(exc))
        else:
            return redirect(url_for("admin.preview", upload_id=stored.id))
    return _dashboard(form)


@bp.get("/uploads/<int:upload_id>")
@login_required
def preview(upload_id: int):
    stored = db.get_or_404(ScheduleUpload, upload_id)
    cancel_missing = request.args.get("cancel_missing") == "1"
    return _preview(stored, cancel_missing, PublishForm(formdata=None))


def _preview(stored: ScheduleUpload, cancel_missing: bool, form: PublishForm, status: int = 200):
    report = preview_upload(stored, cancel_missing=cancel_missing)
    page = preview_page(report) if report is not None else None
    if report is not None:
        form.version.data = report.schedule_version
        form.cancellations.data = report.cancelled
        form.cancel_missing.data = cancel_missing
    return (
        render_template("admin/preview.html", upload=stored, page=page, form=form, form_has_errors=bool(form.errors)),
        status,
    )


@bp.post("/uploads/<int:upload_id>/publish")
@login_required
def publish(upload_id: int):
    stored = db.get_or_404(ScheduleUpload, upload_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    if stored.batch_id is not None:
        flash(_("Šis failas jau paskelbtas."))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    try:
        report = publish_upload(
            stored,
            g.staff_user.email,
            version=form.version.data,
            cancel_missing=form.cancel_missing.data,
            cancellations=form.cancellations.data,
            typed_count=form.typed_count(),
        )
    except CancellationNotConfirmed as exc:
        form.confirm_count.errors = [str(exc)]
        return _preview(stored, form.cancel_missing.data, form, status=400)
    except ScheduleFileError as exc:  # StalePreview: another publication since the preview, or at this moment
        again = url_for("admin.preview", upload_id=upload_id, cancel_missing=1 if form.cancel_missing.data else None)
        return render_template("admin/stale.html", upload=stored, message=str(exc), again=again), 409
    if not report.published:
        flash(_("Grafikas nepaskelbtas: ne visos eilutės atpažintos."))
        return redirect(url_for("admin.preview", upload_id=upload_id))
    flash(_("Grafikas „%(name)s“ paskelbtas. %(summary)s", name=report.schedule, summary=report.summary()))
    return redirect(url_for("admin.dashboard"))


@bp.get("/audit")
@login_required
def audit_log():
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
    return render_template("admin/audit.html", entries=entries, detail=audit_detail)
