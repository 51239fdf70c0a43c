"""Sign-up with double opt-in, the code pages, unsubscribe (GET shows a button, POST acts), the manage page and
asking for a way back into it.

Who holds what: the sign-up's answer hands out nothing (the browser's signed session remembers the ids of the
sign-ups it just made, never a secret); a confirmation link or an SMS code proves the contact and opens the
settings; the unsubscribe links (e-mail, SMS short link) only unsubscribe; a manage link (90 days) is only
sent to the contact, or shown right after it proved itself.
"""

import functools

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from app.extensions import csrf, limiter
from app.i18n import language_choices
from app.notifications import access, links, services, tokens
from app.notifications.admin_views import bp as staff_bp
from app.notifications.callbacks import bp as callbacks_bp
from app.notifications.contacts import mask_contact
from app.notifications.forms import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    ButtonForm,
    CodeForm,
    ManageAccessForm,
    PreferencesForm,
    SubscribeForm,
)
from app.notifications.limits import limit_per_email, limit_per_phone, sent
from app.notifications.models import Channel, Subscription
from app.notifications.outbox import send_now
from app.notifications.tokens import CodeKind, Purpose

bp = Blueprint("notifications", __name__)

SIGN_UP_KEY = "notify_sign_up"  # session: ids of the sign-ups this browser just made
MANAGE_PHONE_KEY = "notify_manage_phone"  # session: the number (E.164) this browser asked a settings code for

CODE_MESSAGES = {
    access.CodeCheck.WRONG: _l("Kodas neteisingas. Patikrinkite SMS žinutę ir įveskite kodą dar kartą"),
    access.CodeCheck.EXPIRED: _l("Kodas nebegalioja. Paprašykite naujo kodo"),
    access.CodeCheck.TOO_MANY_TRIES: _l("Per daug bandymų. Paprašykite naujo kodo"),
}
# The settings code page says the same for every failure: "too many tries" or "expired" would tell whoever
# typed a number that it has a subscription (an unknown number has no code to run out of).
SETTINGS_CODE_FAILED = _l(
    "Kodas netinka: jis neteisingas, nebegalioja arba per daug kartų bandyta. "
    "Patikrinkite SMS žinutę arba paprašykite naujo kodo"
)


def no_store(view):
    """A page opened by a secret (a link's token, a code, the session's sign-ups): never kept by any cache."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapped


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
# The settings page offers every building a subscription follows: a managers' list of up to 1,000 subscribes
# to all of them at once, and confirming a known contact adds more. Cutting them at the sign-up link's 200
# dropped the rest without a word the first time the settings were saved.
MAX_HELD_BUILDINGS = 2000


def _preferences_form(
    form_class: type[PreferencesForm], codes: list[str], limit: int = MAX_LINKED_BUILDINGS
) -> PreferencesForm:
    """The form with the (first `limit`) buildings `codes` names offered, the languages, and the typed-address
    lookup."""
    form = form_class(find_building=services.find_building)
    form.offer_buildings(services.building_labels(list(dict.fromkeys(codes))[:limit]))
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
        hot_water_back=form.hot_water_back.data,
        consent_text=str(CONSENT_TEXT),
        consent_version=CONSENT_VERSION,
    )
    send_now([row.id for row in confirmations])
    session[SIGN_UP_KEY] = [row.subscription_id for row in confirmations]
    return redirect(url_for("notifications.check"), code=303)


def _subscribe_page(form: SubscribeForm):
    has_errors = any(f.errors for f in form)
    return render_template("notifications/subscribe.html", form=form, form_has_errors=has_errors)


def _signed_up(channel: Channel) -> Subscription | None:
    """The pending sign-up of `channel` this browser made, if it is still pending."""
    ids = session.get(SIGN_UP_KEY)
    return access.pending_sign_up(ids if isinstance(ids, list) else [], channel)


def _signed_up_phone() -> str:
    sub = _signed_up(Channel.SMS)
    return sub.contact if sub else ""


@bp.get("/subscribe/check")
@no_store
def check():
    """The same page whether the contact was new or known: "check your e-mail / phone", naming (masked) only
    the contacts this browser's sign-up sent to."""
    by_email, by_sms = _signed_up(Channel.EMAIL), _signed_up(Channel.SMS)
    signed_up = by_email or by_sms
    render = functools.partial(_page_for, signed_up) if signed_up else render_template
    return render(
        "notifications/check.html",
        email=mask_contact(by_email.contact) if by_email else "",
        phone=mask_contact(by_sms.contact) if by_sms else "",
        code_form=CodeForm() if by_sms else None,
    )


@bp.route("/subscribe/code", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], scope="notify-code")
@no_store
def enter_code():
    """The code from the sign-up's SMS: a right one confirms and opens the settings."""
    sub = _signed_up(Channel.SMS)
    if sub is None:
        return redirect(url_for("notifications.subscribe"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = access.check_code(sub, form.code.data.strip(), CodeKind.SIGN_UP)
        if outcome == access.CodeCheck.RIGHT:
            session.pop(SIGN_UP_KEY, None)
            return _to_settings(services.confirm(sub))
        form.code.errors = [CODE_MESSAGES[outcome]]
    return _code_page(form, sub, again_url=url_for("notifications.code_again"))


@bp.post("/subscribe/code/again")
@limiter.limit("10 per hour", scope="notify-code-again")
@limit_per_phone(phone=lambda: _signed_up_phone())
def code_again():
    """A new code for this browser's pending SMS sign-up (the old one stops working)."""
    form = ButtonForm()
    sub = _signed_up(Channel.SMS)
    if sub is None or not form.validate_on_submit():
        return redirect(url_for("notifications.subscribe"))
    row = access.queue_code_again(sub)
    if row is not None:
        send_now([row.id])
    return redirect(url_for("notifications.enter_code", again=1), code=303)


def _code_page(form: CodeForm, sub: Subscription | None, *, again_url: str, phone: str = ""):
    render = functools.partial(_page_for, sub) if sub else render_template
    return render(
        "notifications/code.html",
        form=form,
        phone=mask_contact(sub.contact) if sub else phone,
        again_url=again_url,
        again_form=ButtonForm(),
        sent_again=request.args.get("again") == "1",
        form_has_errors=bool(form.errors or form.code.errors),
    )


def _page_for(subscriber: Subscription, template: str, **context) -> str:
    """A page opened from a subscriber's message: in its language, unless the reader chose one (?lang=, the
    language cookie)."""
    if request.args.get("lang") or request.cookies.get("lang"):
        return render_template(template, **context)
    with force_locale(subscriber.language):
        return render_template(template, **context)


def _to_settings(sub: Subscription):
    """Open the settings of a contact that has just proved itself."""
    return redirect(url_for("notifications.manage", token=links.token(sub, Purpose.MANAGE), confirmed=1), code=303)


def _subscription_or_error(token: str, purpose: Purpose) -> Subscription:
    try:
        return access.subscription_from_token(token, purpose)
    except (tokens.ExpiredToken, tokens.RevokedToken):
        abort(410)
    except tokens.InvalidToken:
        abort(404)


@bp.errorhandler(410)
def link_expired(error):
    page = "manage" if request.endpoint in ("notifications.manage", "notifications.delete") else "other"
    return render_template("notifications/expired.html", page=page), 410


@bp.route("/subscribe/confirm/<token>", methods=["GET", "POST"])
@no_store
def confirm(token: str):
    """GET shows a button (mail scanners follow links); POST confirms and opens the settings."""
    sub = _subscription_or_error(token, Purpose.CONFIRM)
    if sub.confirmed_at is not None:
        abort(410)
    form = ButtonForm()
    if form.validate_on_submit():
        return _to_settings(services.confirm(sub))
    return _page_for(sub, "notifications/confirm.html", form=form, sub=sub, contact=mask_contact(sub.contact))


# ------------------------------------------------------------------------------------------ unsubscribe


@bp.route("/u/<short>", methods=["GET", "POST"])
@no_store
def short_unsubscribe(short: str):
    """The short link of SMS messages: the buildings' coming shutoffs, and a button to unsubscribe."""
    try:
        sub = access.subscription_from_short_link(short)
    except tokens.RevokedToken:
        abort(410)
    except tokens.InvalidToken:
        abort(404)
    form = ButtonForm()
    if form.validate_on_submit():
        services.unsubscribe(sub)
        return _page_for(sub, "notifications/unsubscribed.html", contact=mask_contact(sub.contact))
    return _unsubscribe_page(sub, form, upcoming=services.coming_shutoffs(sub))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token; the signed token is the proof
@no_store
def unsubscribe(token: str):
    sub = _subscription_or_error(token, Purpose.UNSUBSCRIBE)
    if request.method == "POST":
        services.unsubscribe(sub)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return _page_for(sub, "notifications/unsubscribed.html", contact=mask_contact(sub.contact))
    return _unsubscribe_page(sub, ButtonForm())


def _unsubscribe_page(sub: Subscription, form: ButtonForm, upcoming=None):
    return _page_for(
        sub, "notifications/unsubscribe.html", sub=sub, form=form, contact=mask_contact(sub.contact), upcoming=upcoming
    )


# ------------------------------------------------------------------------------------------ manage


def _queue_and_send_after_the_answer(channel: Channel, contact: str) -> None:
    """Queue the settings link or code for the contact and send it once the answer has gone out, so the time
    the answer takes never tells whether the contact is subscribed (nothing is looked up before it). If the
    process stops between the two, a queued row waits in the outbox for `flask notify send`."""
    app = current_app._get_current_object()

    @after_this_request
    def when_closed(response):
        def queue_and_send() -> None:
            with app.app_context():
                row = access.queue_manage_access(channel, contact)
                if row is not None:
                    send_now([row.id])

        response.call_on_close(queue_and_send)
        return response


@bp.route("/manage", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], deduct_when=sent, scope="notify-manage-ip")
@limit_per_phone("phone", exempt_when=_no_field("phone"))
@limit_per_email("email", exempt_when=_no_field("email"))
@no_store
def ask_for_settings():
    """Ask for a way into the settings: a link by e-mail or a code by SMS. The answer is the same whether the
    contact is subscribed or not."""
    form = ManageAccessForm()
    if not form.validate_on_submit():
        return render_template("notifications/ask.html", form=form, form_has_errors=bool(form.errors))
    channel, contact = (Channel.EMAIL, form.email.data) if form.email.data else (Channel.SMS, form.phone.data)
    _queue_and_send_after_the_answer(channel, contact)
    if channel == Channel.SMS:
        session[MANAGE_PHONE_KEY] = contact
        return redirect(url_for("notifications.manage_code"), code=303)
    return redirect(url_for("notifications.settings_link_sent"), code=303)


@bp.get("/manage/sent")
@no_store
def settings_link_sent():
    return render_template("notifications/ask_sent.html")


@bp.route("/manage/code", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], scope="notify-code")
@no_store
def manage_code():
    """The code from the SMS asked for on /manage: a right one opens the settings."""
    phone = session.get(MANAGE_PHONE_KEY)
    if not isinstance(phone, str):
        return redirect(url_for("notifications.ask_for_settings"))
    form = CodeForm()
    if form.validate_on_submit():
        sub = access.subscription_of_contact(Channel.SMS, phone)
        outcome = access.check_code(sub, form.code.data.strip(), CodeKind.MANAGE) if sub else None
        if outcome == access.CodeCheck.RIGHT:
            session.pop(MANAGE_PHONE_KEY, None)
            return _to_settings(sub)
        form.code.errors = [SETTINGS_CODE_FAILED]
    return _code_page(form, None, again_url=url_for("notifications.ask_for_settings"), phone=mask_contact(phone))


@bp.route("/manage/<token>", methods=["GET", "POST"])
@no_store
def manage(token: str):
    sub = _subscription_or_error(token, Purpose.MANAGE)
    limit = max(MAX_HELD_BUILDINGS, len(sub.address_codes))  # whatever it follows, the page offers
    if request.method == "GET":
        form = _preferences_form(PreferencesForm, sub.address_codes, limit)
        form.address_codes.data = sub.address_codes
        form.lead_days.data = sub.lead_days
        form.language.data = sub.language
        form.hot_water_back.data = sub.hot_water_back
    else:
        form = _preferences_form(PreferencesForm, request.form.getlist("address_codes"), limit)
        if "add" in request.form:
            form.add_typed_building()
        elif form.validate():
            services.update_preferences(
                sub,
                address_codes=form.address_codes.data,
                lead_days=form.lead_days.data,
                language=form.language.data,
                hot_water_back=form.hot_water_back.data,
            )
            return redirect(url_for("notifications.manage", token=token, saved=1), code=303)
    return _page_for(
        sub,
        "notifications/manage.html",
        form=form,
        sub=sub,
        token=token,
        contact=mask_contact(sub.contact),
        saved=request.args.get("saved") == "1",
        confirmed=request.args.get("confirmed") == "1",
        unsubscribe_url=url_for("notifications.unsubscribe", token=links.token(sub, Purpose.UNSUBSCRIBE)),
        form_has_errors=any(f.errors for f in form),
    )


@bp.route("/manage/<token>/delete", methods=["GET", "POST"])
@no_store
def delete(token: str):
    sub = _subscription_or_error(token, Purpose.MANAGE)
    form = ButtonForm()
    if form.validate_on_submit():
        services.delete_subscription(sub)
        return redirect(url_for("notifications.deleted"), code=303)
    return _page_for(sub, "notifications/delete.html", form=form, token=token, contact=mask_contact(sub.contact))


@bp.get("/manage/deleted")
def deleted():
    return render_template("notifications/deleted.html")


# ------------------------------------------------------------------------------------------ nested

# Registered here so the app factory needs to know of one notifications blueprint only.
bp.register_blueprint(callbacks_bp)
bp.register_blueprint(staff_bp, url_prefix="/admin/notifications")
