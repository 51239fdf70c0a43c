"""/managers: check a list of buildings, pick what was unclear, export, print notices, subscribe."""

from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.addresses.lookup import address_index
from app.extensions import limiter
from app.notifications.forms import CONSENT_TEXT, CONSENT_VERSION
from app.notifications.limits import limit_per_email
from app.notifications.outbox import send_now
from app.notifications.services import start_subscriptions
from app.portfolio import exports
from app.portfolio.forms import (
    AddressListForm,
    DigestSubscribeForm,
    PickForm,
    RetypeForm,
    SaveForm,
    input_error_message,
)
from app.portfolio.labels import ROW_STATUS_LABELS
from app.portfolio.links import public_id_from_token, sign_public_id
from app.portfolio.models import Portfolio
from app.portfolio.services import MAX_ROWS, InputError, parse_pasted, read_upload, resolve_one, resolve_rows
from app.portfolio.store import (
    TableRow,
    append_rows,
    building_codes,
    create_portfolio,
    entry_of,
    labels_for,
    pick_building,
    portfolio_by_public_id,
    remove_entries,
    replace_row,
    save_portfolio,
    shutoffs_for_calendar,
    summarise,
    table_rows,
)
from app.shutoffs.queries import horizon_days
from app.site.services import locale_code, qr_svg
from app.timeutil import today_in_vilnius

bp = Blueprint("portfolio", __name__, url_prefix="/managers")

SHOW_FILTERS = ("all", "affected", "attention")
CALENDAR_PAST_DAYS = 30
# Managers must post a stairwell notice 3 working days ahead: remind them 10 days ahead (when the
# supplier's notice is due) and again at 5, still in time for that deadline.
MANAGER_LEAD_DAYS = (10, 5)


@bp.context_processor
def _template_helpers() -> dict:
    # date_range, kind_label, status_label: the site's wording, registered for every template.
    return {"max_rows": MAX_ROWS, "max_upload_mb": _max_upload_mb()}


def _max_upload_mb() -> int:
    return max(1, (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 2**20)


@bp.errorhandler(413)
def upload_too_large(error):
    form = AddressListForm(formdata=None)
    form.upload.errors = [_("Failas per didelis: galima įkelti iki %(size)s MB.", size=_max_upload_mb())]
    return render_template("portfolio/start.html", form=form, form_has_errors=True), 413


def _redirected(response) -> bool:
    # Only a list that was stored, or a sign-up that sent something, counts; a form with mistakes does not.
    return response.status_code in (302, 303)


@bp.errorhandler(429)
def too_many_requests(error):
    return render_template("notifications/429.html"), 429


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"], deduct_when=_redirected)
def start():
    form = AddressListForm()
    if form.validate_on_submit():
        lines = _lines_from(form)
        if lines is not None:
            portfolio = create_portfolio(_resolve(lines))
            return redirect(_edit_path(portfolio))
    return render_template("portfolio/start.html", form=form, form_has_errors=bool(form.errors))


@bp.get("/p/<token>")
def show(token: str):
    return _render_portfolio(_portfolio_or_404(token))


@bp.post("/p/<token>/add")
@limiter.limit("60 per hour", deduct_when=_redirected)
def add(token: str):
    portfolio = _portfolio_or_404(token)
    form = AddressListForm(prefix="add")
    if form.validate_on_submit():
        lines = _lines_from(form)
        if lines is not None:
            try:
                append_rows(portfolio, _resolve(lines))
            except InputError as error:
                _field_for(form).errors.append(input_error_message(error))
            else:
                flash(_("Pridėta adresų: %(count)s.", count=len(lines)), "success")
                return redirect(_edit_path(portfolio))
    return _render_portfolio(portfolio, add_form=form)


@bp.post("/p/<token>/rows/<int:entry_id>/pick")
def pick(token: str, entry_id: int):
    portfolio = _portfolio_or_404(token)
    entry = entry_of(portfolio, entry_id) or abort(404)
    form = _pick_form(entry.id, entry.candidates or [], formdata=request.form)
    if form.validate_on_submit() and pick_building(entry, form.code.data):
        flash(_("Pasirinkta: %(address)s.", address=dict(form.code.choices)[form.code.data]), "success")
    else:
        flash(_("Pasirinkite namą iš sąrašo."), "error")
    return redirect(_edit_path(portfolio, anchor=f"row-{entry.id}"))


@bp.post("/p/<token>/rows/<int:entry_id>/retype")
def retype(token: str, entry_id: int):
    portfolio = _portfolio_or_404(token)
    entry = entry_of(portfolio, entry_id) or abort(404)
    form = RetypeForm(prefix=f"row-{entry.id}")
    if form.validate_on_submit():
        replace_row(entry, resolve_one(" ".join(form.typed.data.split()), address_index()))
    else:
        flash(_("Įveskite adresą."), "error")
    return redirect(_edit_path(portfolio, anchor=f"row-{entry.id}"))


@bp.post("/p/<token>/remove")
def remove(token: str):
    portfolio = _portfolio_or_404(token)
    if not FlaskForm(prefix="remove").validate_on_submit():
        abort(400)
    ids = [int(value) for value in request.form.getlist("remove") if value.isdigit()]
    removed = remove_entries(portfolio, ids)
    if removed:
        flash(_("Pašalinta eilučių: %(count)s.", count=removed), "success")
    else:
        flash(_("Pažymėkite eilutes, kurias norite pašalinti."), "error")
    return redirect(_edit_path(portfolio))


@bp.post("/p/<token>/save")
def save(token: str):
    portfolio = _portfolio_or_404(token)
    form = SaveForm(prefix="save")
    if not form.validate_on_submit():
        return _render_portfolio(portfolio, save_form=form)
    save_portfolio(portfolio, form.name.data or "")
    flash(_("Sąrašas išsaugotas. Išsisaugokite nuorodą: tik ja galėsite grįžti prie sąrašo."), "success")
    return redirect(_edit_path(portfolio, anchor="private-link"))


@bp.post("/p/<token>/subscribe")
@limiter.limit("10 per hour", deduct_when=_redirected)
@limit_per_email("subscribe-email")
def subscribe(token: str):
    portfolio = _portfolio_or_404(token)
    form = DigestSubscribeForm(prefix="subscribe")
    codes = building_codes(portfolio)
    if not form.validate_on_submit():
        return _render_portfolio(portfolio, subscribe_form=form)
    if not codes:
        flash(_("Sąraše nėra nė vieno rasto namo, todėl nėra ko prenumeruoti."), "error")
        return redirect(_edit_path(portfolio))
    confirmations = start_subscriptions(
        email=form.email.data,
        phone=None,
        address_codes=codes,
        language=str(get_locale()),
        lead_days=list(MANAGER_LEAD_DAYS),
        consent_text=str(CONSENT_TEXT),
        consent_version=CONSENT_VERSION,
        digest=True,
    )
    send_now([row.id for row in confirmations])
    flash(
        _(
            "Išsiuntėme laišką adresu %(email)s. Paspauskite jame esančią nuorodą, kad patvirtintumėte "
            "prenumeratą visiems %(count)s sąrašo namams.",
            email=form.email.data,
            count=len(codes),
        ),
        "success",
    )
    return redirect(_edit_path(portfolio))


@bp.get("/p/<token>/export.csv")
def export_csv(token: str):
    portfolio = _portfolio_or_404(token)
    rows = _filtered(_rows(portfolio), _show_filter())
    body = exports.table_csv(rows, _address_url)
    return _download(body, "text/csv", _download_name(portfolio, "csv"))


@bp.get("/p/<token>/export.xlsx")
def export_xlsx(token: str):
    portfolio = _portfolio_or_404(token)
    rows = _filtered(_rows(portfolio), _show_filter())
    body = exports.table_xlsx(rows, _address_url, portfolio.name)
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, mimetype, _download_name(portfolio, "xlsx"))


@bp.get("/p/<token>/notices")
def notices(token: str):
    portfolio = _portfolio_or_404(token)
    buildings, seen = [], set()
    for row in _rows(portfolio):
        if row.next_shutoff is not None and row.address_code not in seen:
            seen.add(row.address_code)
            buildings.append(row)
    page = render_template(
        "portfolio/notices.html",
        portfolio=portfolio,
        buildings=buildings,
        token=token,
        address_url=_address_url,
        qr=_qr,
        today=today_in_vilnius(),
    )
    return _private(Response(page))


@bp.get("/calendar/<token>.ics")
def calendar(token: str):
    portfolio = portfolio_by_public_id(public_id_from_token(token, "calendar")) or abort(404)
    codes = building_codes(portfolio)
    shutoffs = shutoffs_for_calendar(codes, today_in_vilnius() - timedelta(days=CALENDAR_PAST_DAYS))
    name = portfolio.name or _("Karšto vandens išjungimai")
    body = exports.calendar_ics(shutoffs, labels_for(codes), name, _address_url, locale_code())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="karstas-vanduo.ics"'
    return _private(response)


# --- helpers -------------------------------------------------------------------------------------


def _portfolio_or_404(token: str) -> Portfolio:
    return portfolio_by_public_id(public_id_from_token(token, "edit")) or abort(404)


def _edit_path(portfolio: Portfolio, anchor: str | None = None) -> str:
    show = _show_filter()
    return url_for(
        "portfolio.show",
        token=sign_public_id(portfolio.public_id, "edit"),
        show=None if show == "all" else show,
        _anchor=anchor,
    )


def _base_url() -> str:
    return current_app.config.get("SERVER_BASE_URL") or request.host_url.rstrip("/")


def _address_url(code: str) -> str:
    return f"{_base_url()}/address/{code}"


def _show_filter() -> str:
    show = request.args.get("show", "all")
    return show if show in SHOW_FILTERS else "all"


def _rows(portfolio: Portfolio) -> list[TableRow]:
    return table_rows(portfolio, today_in_vilnius(), horizon_days())


def _filtered(rows: list[TableRow], show: str) -> list[TableRow]:
    if show == "affected":
        return [r for r in rows if r.affected]
    if show == "attention":
        return [r for r in rows if not r.found or r.duplicate]
    return rows


def _resolve(lines: list[str]):
    return resolve_rows(lines, address_index())


def _lines_from(form: AddressListForm) -> list[str] | None:
    """Pasted lines and the file's rows together; None (errors on the form) when either cannot be read."""
    lines: list[str] = []
    text = form.addresses.data or ""
    if text.strip():
        try:
            lines += parse_pasted(text)
        except InputError as error:
            form.addresses.errors.append(input_error_message(error))
    if form.upload.data:
        try:
            lines += read_upload(form.upload.data.filename or "", form.upload.data.read())
        except InputError as error:
            form.upload.errors.append(input_error_message(error))
    if form.addresses.errors or form.upload.errors:
        return None
    if len(lines) > MAX_ROWS:
        _field_for(form).errors.append(input_error_message(InputError("too_many", count=len(lines))))
        return None
    return lines


def _field_for(form: AddressListForm):
    return form.upload if form.upload.data else form.addresses


def _pick_form(entry_id: int, candidates: list, formdata=None) -> PickForm:
    form = PickForm(prefix=f"row-{entry_id}", formdata=formdata)
    form.code.choices = [(code, label) for code, label in candidates]
    return form


def _render_portfolio(portfolio: Portfolio, status: int | None = None, **forms) -> Response:
    show = _show_filter()
    rows = _rows(portfolio)
    visible = _filtered(rows, show)
    edit_token = sign_public_id(portfolio.public_id, "edit")
    context = {
        "portfolio": portfolio,
        "rows": visible,
        "summary": summarise(rows),
        "show": show,
        "horizon": horizon_days(),
        "lead_days": MANAGER_LEAD_DAYS,
        "token": edit_token,
        "private_url": _base_url() + url_for("portfolio.show", token=edit_token),
        "calendar_url": _base_url()
        + url_for("portfolio.calendar", token=sign_public_id(portfolio.public_id, "calendar")),
        "pick_forms": {r.entry_id: _pick_form(r.entry_id, r.candidates) for r in visible if r.can_pick},
        "retype_forms": {
            r.entry_id: RetypeForm(prefix=f"row-{r.entry_id}", formdata=None, data={"typed": r.typed})
            for r in visible
            if not r.found and not r.can_pick
        },
        "remove_form": FlaskForm(prefix="remove", formdata=None),
        "row_status_labels": {status: str(label) for status, label in ROW_STATUS_LABELS.items()},
        # Formatted per row in the template; translated once.
        "remove_label": _("Pašalinti eilutę %(number)s"),
        "add_form": forms.get("add_form") or AddressListForm(prefix="add", formdata=None),
        "save_form": forms.get("save_form") or SaveForm(prefix="save", formdata=None, data={"name": portfolio.name}),
        "subscribe_form": forms.get("subscribe_form") or DigestSubscribeForm(prefix="subscribe", formdata=None),
    }
    has_errors = any(f.errors for f in forms.values())
    response = Response(
        render_template("portfolio/portfolio.html", form_has_errors=has_errors, **context),
        status=status or 200,
    )
    return _private(response)


def _private(response: Response) -> Response:
    # The URL is the key: keep it out of caches, search engines and other sites' logs.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _qr(url: str):
    return qr_svg(url, _("QR kodas: %(url)s", url=url))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


def _download_name(portfolio: Portfolio, extension: str) -> str:
    return f"karstas-vanduo-{today_in_vilnius().isoformat()}.{extension}"
