"""/managers: check a list of buildings, pick what was unclear, export, print notices, subscribe."""

from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.addresses.lookup import address_index
from app.extensions import limiter
from app.i18n import locale_code
from app.notifications.forms import CONSENT_TEXT, CONSENT_VERSION
from app.notifications.limits import limit_per_email
from app.notifications.outbox import send_now
from app.notifications.services import start_subscriptions
from app.portfolio import exports
from app.portfolio.forms import AddressListForm, DigestSubscribeForm, RetypeForm, SaveForm
from app.portfolio.links import public_id_from_token, sign_public_id
from app.portfolio.models import Portfolio
from app.portfolio.page import columns_form, filtered, pick_form, portfolio_page, show_filter
from app.portfolio.parsing import MAX_LIST_LINES, InputError, ParsedSource, parse_pasted, read_upload, resolve_line
from app.portfolio.services import (
    TableRow,
    append_sources,
    building_codes,
    create_portfolio,
    entry_of,
    labels_for,
    notice_rows,
    pick_building,
    portfolio_by_public_id,
    remove_entries,
    replace_row,
    save_portfolio,
    shutoffs_for_calendar,
    table_rows,
)
from app.portfolio.sources import KeptColumn, kept_columns, reread_source, resolve_sources, source_of, sources_of
from app.qr import qr_svg
from app.requests import database_integer
from app.shutoffs.queries import horizon_days
from app.tabular import TableError
from app.timeutil import today_in_vilnius
from app.upload_limits import limit_uploads
from app.urls import absolute_url

bp = Blueprint("portfolio", __name__, url_prefix="/managers")

CALENDAR_PAST_DAYS = 30
# Managers must post a stairwell notice 3 working days ahead: remind them 10 days ahead (when the
# supplier's notice is due) and again at 5, still in time for that deadline.
MANAGER_LEAD_DAYS = (10, 5)


@bp.context_processor
def _template_helpers() -> dict:
    # date_range, kind_label, status_label: the site's wording, registered for every template.
    return {"max_rows": MAX_LIST_LINES, "max_upload_mb": _max_upload_mb()}


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
    return render_template("errors/429.html"), 429


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"], deduct_when=_redirected)
@limit_uploads
def start():
    form = AddressListForm()
    if form.validate_on_submit():
        sources = _sources_from(form)
        if sources is not None:
            return redirect(_edit_path(create_portfolio(sources)))
    return render_template("portfolio/start.html", form=form, form_has_errors=bool(form.errors))


@bp.get("/p/<token>")
def show(token: str):
    return _render_portfolio(_portfolio_or_404(token))


@bp.post("/p/<token>/add")
@limiter.limit("60 per hour", deduct_when=_redirected)
@limit_uploads
def add(token: str):
    portfolio = _portfolio_or_404(token)
    form = AddressListForm(prefix="add")
    if form.validate_on_submit():
        sources = _sources_from(form)
        if sources is not None:
            try:
                append_sources(portfolio, sources)
            except InputError as error:
                _field_for(form).errors.append(str(error))
            else:
                count = sum(len(lines) for _, lines in sources)
                flash(_("Pridėta adresų: %(count)s.", count=count), "success")
                return redirect(_edit_path(portfolio))
    return _render_portfolio(portfolio, add_form=form)


# Pages that read or build a whole list (re-reading a file's columns, exports, printable notices with a QR code
# per building) cost up to seconds for 1,000 rows: per client IP, together, on the shared store.
heavy_list_work = limiter.shared_limit("30 per minute;300 per hour", scope="portfolio-heavy")


@bp.post("/p/<token>/sources/<int:source_id>/columns")
@heavy_list_work
def columns(token: str, source_id: int):
    """The manager says how a paste's or file's columns are to be read: its rows are read again."""
    portfolio = _portfolio_or_404(token)
    source = source_of(portfolio, source_id) or abort(404)
    form = columns_form(source, formdata=request.form)
    if form.validate_on_submit():
        try:
            reread_source(portfolio, source, form.reading(), address_index())
        except InputError as error:
            form.header.errors.append(str(error))
        else:
            flash(_("Stulpeliai perskaityti iš naujo."), "success")
            return redirect(_edit_path(portfolio, anchor=f"source-{source.id}"))
    return _render_portfolio(portfolio, columns_forms={source.id: form})


@bp.post("/p/<token>/rows/<int:entry_id>/pick")
def pick(token: str, entry_id: int):
    portfolio = _portfolio_or_404(token)
    entry = entry_of(portfolio, entry_id) or abort(404)
    form = pick_form(entry.id, entry.candidates or [], formdata=request.form)
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
        replace_row(entry, resolve_line(" ".join(form.typed.data.split()), address_index()))
    else:
        flash(_("Įveskite adresą."), "error")
    return redirect(_edit_path(portfolio, anchor=f"row-{entry.id}"))


@bp.post("/p/<token>/remove")
def remove(token: str):
    portfolio = _portfolio_or_404(token)
    if not FlaskForm(prefix="remove").validate_on_submit():
        abort(400)
    # A longer number, or a digit that is not 0-9 ("²"), names no row.
    ids = [number for value in request.form.getlist("remove") if (number := database_integer(value)) is not None]
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
@heavy_list_work
def export_csv(token: str):
    portfolio = _portfolio_or_404(token)
    rows, kept = _export_rows(portfolio)
    return _download(exports.table_csv(rows, _address_url, kept), "text/csv", _download_name("csv"))


@bp.get("/p/<token>/export.xlsx")
@heavy_list_work
def export_xlsx(token: str):
    portfolio = _portfolio_or_404(token)
    rows, kept = _export_rows(portfolio)
    body = exports.table_xlsx(rows, _address_url, portfolio.name, kept)
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, mimetype, _download_name("xlsx"))


@bp.get("/p/<token>/notices")
@heavy_list_work
def notices(token: str):
    portfolio = _portfolio_or_404(token)
    page = render_template(
        "portfolio/notices.html",
        portfolio=portfolio,
        buildings=notice_rows(_rows(portfolio)),
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


def _address_url(code: str) -> str:
    return absolute_url("site.address", code=code)


def _show_filter() -> str:
    return show_filter(request.args.get("show"))


def _rows(portfolio: Portfolio) -> list[TableRow]:
    return table_rows(portfolio, today_in_vilnius(), horizon_days())


def _export_rows(portfolio: Portfolio) -> tuple[list[TableRow], list[KeptColumn]]:
    """The rows the filter shows, with the cells of the columns the manager's files carry."""
    kept, keys = kept_columns(sources_of(portfolio))
    rows = table_rows(portfolio, today_in_vilnius(), horizon_days(), kept_keys=keys)
    return filtered(rows, _show_filter()), kept


def _sources_from(form: AddressListForm):
    """The paste and the file resolved (a list of (ParsedSource, lines)); None, with errors on the form,
    when either cannot be read or together they are too long."""
    sources: list[ParsedSource] = []
    text = form.addresses.data or ""
    if text.strip():
        try:
            sources.append(parse_pasted(text))
        except (InputError, TableError) as error:
            form.addresses.errors.append(str(error))
    if form.upload.data:
        try:
            sources.append(read_upload(form.upload.data.filename or "", form.upload.data.read()))
        except (InputError, TableError) as error:
            form.upload.errors.append(str(error))
    if form.addresses.errors or form.upload.errors:
        return None
    try:
        return resolve_sources(sources, address_index())
    except InputError as error:
        _field_for(form).errors.append(str(error))
        return None


def _field_for(form: AddressListForm):
    return form.upload if form.upload.data else form.addresses


def _render_portfolio(portfolio: Portfolio, **forms) -> Response:
    """The portfolio page; `forms` are the ones that came back with errors (add_form, save_form, subscribe_form,
    columns_forms by source id)."""
    edit_token = sign_public_id(portfolio.public_id, "edit")
    page = portfolio_page(
        portfolio,
        _rows(portfolio),
        show=_show_filter(),
        token=edit_token,
        private_url=absolute_url("portfolio.show", token=edit_token),
        calendar_url=absolute_url("portfolio.calendar", token=sign_public_id(portfolio.public_id, "calendar")),
        horizon=horizon_days(),
        lead_days=MANAGER_LEAD_DAYS,
        subscribe_form=forms.pop("subscribe_form", None) or DigestSubscribeForm(prefix="subscribe", formdata=None),
        sources=sources_of(portfolio),
        **forms,
    )
    html = render_template("portfolio/portfolio.html", page=page, form_has_errors=page.has_errors)
    return _private(Response(html))


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


def _download_name(extension: str) -> str:
    return f"karstas-vanduo-{today_in_vilnius().isoformat()}.{extension}"
