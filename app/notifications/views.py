"""Sign-up with double opt-in, unsubscribe (GET shows a button, POST acts) and the manage page."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.extensions import csrf, limiter
from app.i18n import language_choices
from app.notifications import links, services, tokens
from app.notifications.contacts import mask_contact
from app.notifications.forms import CONSENT_TEXT, CONSENT_VERSION, ButtonForm, CodeForm, PreferencesForm, SubscribeForm
from app.notifications.limits import limit_per_email, limit_per_phone, sent
from app.notifications.models import Channel, OutboxMessage, Subscription
from app.notifications.outbox import send_now

bp = Blueprint("notifications", __name__)

CODE_PAGE_MAX_AGE = 24 * 3600


# ------------------------------------------------------------------------------------------ rate limits


def _no_field(field: str):
    """Exempt from a per-contact limit: the field is empty, or the form only adds a building."""
    return lambda: not request.form.get(field, "").strip() or "add" in request.form


@bp.errorhandler(429)
def too_many_requests(error):
    return render_template("errors/429.html"), 429


# ------------------------------------------------------------------------------------------ sign-up

# At most this many buildings come in through a sign-up link.
MAX_LINKED_BUILDINGS = 200


def _preferences_form(form_class: type[PreferencesForm], codes: list[str]) -> PreferencesForm:
    """The form with the buildings `codes` names offered, the languages, and the typed-address lookup."""
    form = form_class(find_building=services.find_building)
    form.offer_buildings(services.building_labels(list(dict.fromkeys(codes))[:MAX_LINKED_BUILDINGS]))
    form.language.choices = language_choices()
    return form


def _linked_codes() -> list[str]:
    """`?address=1&address=2` or `?address=1,2`."""
    return [code.strip() for value in request.args.getlist("address") for code in value.split(",")]


@bp.route("/subscribe", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], deduct_when=sent, scope="notify-ip")
@limit_per_phone("phone", exempt_when=_no_field("phone"))
@limit_per_email("email", exempt_when=_no_field("email"))
def subscribe():
    if request.method == "GET":
        form = _preferences_form(SubscribeForm, _linked_codes())
        form.address_codes.data = [choice.value for choice in form.address_codes.choices]
        form.language.data = str(get_locale())
        return render_template("notifications/subscribe.html", form=form)
    form = _preferences_form(SubscribeForm, request.form.getlist("address_codes"))
    if "add" in request.form:
        form.add_typed_building()
        return _subscribe_page(form)
    if not form.validate():
        return _subscribe_page(form)
    confirmations = services.start_subscriptions(
        email=form.email.data or None,
        phone=form.phone.data or None,
        address_codes=form.address_codes.data,
        language=form.language.data,
        lead_days=form.lead_days.data,
        consent_text=str(CONSENT_TEXT),
        consent_version=CONSENT_VERSION,
    )
    send_now([row.id for row in confirmations])
    return redirect(url_for("notifications.check", **_check_page_args(confirmations)), code=303)


def _check_page_args(confirmations: list[OutboxMessage]) -> dict[str, str]:
    """The "check your e-mail / phone" page's query: the masked e-mail, the SMS code page's token."""
    args = {}
    for sub in (row.subscription for row in confirmations):
        if sub.channel == Channel.EMAIL:
            args["email"] = mask_contact(sub.contact)
        else:
            args["sms"] = links.code_page_token(sub)
    return args


def _subscribe_page(form: SubscribeForm):
    has_errors = any(f.errors for f in form)
    return render_template("notifications/subscribe.html", form=form, form_has_errors=has_errors)


@bp.get("/subscribe/check")
def check():
    """The same page whether the contact was new or known: "check your e-mail / phone"."""
    code_token = request.args.get("sms", "")
    return render_template(
        "notifications/check.html",
        email=request.args.get("email", "")[:80],
        code_token=code_token,
        code_form=CodeForm() if code_token else None,
    )


def _subscription_or_404(token: str, salt: str, max_age: int | None = None) -> Subscription:
    try:
        return services.subscription_from_token(token, salt, max_age=max_age)
    except tokens.ExpiredToken:
        abort(410)
    except tokens.InvalidToken:
        abort(404)


@bp.errorhandler(410)
def link_expired(error):
    return render_template("notifications/expired.html"), 410


@bp.route("/subscribe/code/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], scope="notify-code")
def enter_code(token: str):
    sub = _subscription_or_404(token, tokens.CODE_PAGE_SALT, CODE_PAGE_MAX_AGE)
    form = CodeForm()
    if form.validate_on_submit():
        outcome, sub = services.check_code(sub, form.code.data.strip())
        if outcome == services.CodeCheck.CONFIRMED:
            return redirect(url_for("notifications.manage", token=links.manage_token(sub), confirmed=1), code=303)
        messages = {
            services.CodeCheck.WRONG: _("Kodas neteisingas. Patikrinkite SMS žinutę ir įveskite kodą dar kartą"),
            services.CodeCheck.EXPIRED: _("Kodas nebegalioja. Užsisakykite pranešimus iš naujo"),
            services.CodeCheck.TOO_MANY_TRIES: _("Per daug bandymų. Užsisakykite pranešimus iš naujo"),
        }
        form.code.errors = [messages[outcome]]
    return render_template(
        "notifications/code.html",
        form=form,
        token=token,
        phone=mask_contact(sub.contact),
        form_has_errors=bool(form.errors or form.code.errors),
    )


@bp.route("/subscribe/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET shows a button (mail scanners follow links); POST confirms."""
    sub = _subscription_or_404(token, tokens.CONFIRM_SALT, tokens.CONFIRM_MAX_AGE)
    form = ButtonForm()
    if form.validate_on_submit():
        sub = services.confirm(sub)
        return redirect(url_for("notifications.manage", token=links.manage_token(sub), confirmed=1), code=303)
    return render_template("notifications/confirm.html", form=form, sub=sub, contact=mask_contact(sub.contact))


# ------------------------------------------------------------------------------------------ unsubscribe


@bp.get("/u/<short>")
def short_unsubscribe(short: str):
    """The short link in SMS messages leads to the same page as the e-mail link."""
    try:
        sub = services.subscription_from_short_link(short)
    except tokens.InvalidToken:
        abort(404)
    return redirect(url_for("notifications.unsubscribe", token=links.unsubscribe_token(sub)))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token; the signed token is the proof
def unsubscribe(token: str):
    sub = _subscription_or_404(token, tokens.UNSUBSCRIBE_SALT)
    if request.method == "POST":
        services.unsubscribe(sub)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return render_template("notifications/unsubscribed.html", contact=mask_contact(sub.contact))
    return render_template(
        "notifications/unsubscribe.html",
        sub=sub,
        contact=mask_contact(sub.contact),
        manage_url=url_for("notifications.manage", token=links.manage_token(sub)),
    )


# ------------------------------------------------------------------------------------------ manage


@bp.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str):
    sub = _subscription_or_404(token, tokens.MANAGE_SALT)
    if request.method == "GET":
        form = _preferences_form(PreferencesForm, sub.address_codes)
        form.address_codes.data = sub.address_codes
        form.lead_days.data = sub.lead_days
        form.language.data = sub.language
    else:
        form = _preferences_form(PreferencesForm, request.form.getlist("address_codes"))
        if "add" in request.form:
            form.add_typed_building()
        elif form.validate():
            services.update_preferences(
                sub, address_codes=form.address_codes.data, lead_days=form.lead_days.data, language=form.language.data
            )
            return redirect(url_for("notifications.manage", token=token, saved=1), code=303)
    return render_template(
        "notifications/manage.html",
        form=form,
        sub=sub,
        token=token,
        contact=mask_contact(sub.contact),
        saved=request.args.get("saved") == "1",
        confirmed=request.args.get("confirmed") == "1",
        unsubscribe_url=url_for("notifications.unsubscribe", token=links.unsubscribe_token(sub)),
        form_has_errors=any(f.errors for f in form),
    )


@bp.route("/manage/<token>/delete", methods=["GET", "POST"])
def delete(token: str):
    sub = _subscription_or_404(token, tokens.MANAGE_SALT)
    form = ButtonForm()
    if form.validate_on_submit():
        services.delete_all_data(sub)
        return redirect(url_for("notifications.deleted"), code=303)
    return render_template("notifications/delete.html", form=form, token=token, contact=mask_contact(sub.contact))


@bp.get("/manage/deleted")
def deleted():
    return render_template("notifications/deleted.html")
