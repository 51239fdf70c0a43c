"""Outbox rows → the text a subscriber receives, in their language."""

import functools
from datetime import date

from babel.dates import format_interval
from flask import current_app
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.notifications import links
from app.notifications.channels import OutgoingMessage
from app.notifications.models import Channel, MessageKind, OutboxMessage, Subscription
from app.notifications.sms_text import one_segment
from app.shutoffs.models import Shutoff, ShutoffChange

KIND_NAMES = {
    "hydraulic_test": _l("hidrauliniai bandymai"),
    "repair": _l("remontas"),
    "reconstruction": _l("rekonstrukcija"),
}


def format_days(first: date, last: date) -> str:
    """`birželio 3–5`, `birželio 30 – liepos 2`, `birželio 3 d.` in the current locale."""
    return _format_days(first, last, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _format_days(first: date, last: date, locale: str) -> str:
    return format_interval(first, last, "MMMMd", locale=locale)


def _render(name: str, **context) -> str:
    """render_template without the request-page extras, with a gettext bound once per message.

    A send run renders two templates per message for thousands of messages; Flask-Babel's per-call
    locale lookup was most of that time. Same semantics as Jinja's new-style gettext.
    """
    translations = get_translations()
    autoescape = name.endswith(".html")

    def gettext(string: str, **variables) -> str:
        text = translations.ugettext(string)
        if autoescape:
            text = Markup(text)  # noqa: S704 -- catalogue text is ours; the variables are escaped by %
        return text % variables

    context["_"] = context["gettext"] = gettext
    return current_app.jinja_env.get_template(name).render(**context)


def _shutoff_context(shutoff: Shutoff) -> dict:
    return {
        "address": shutoff.address.label,
        "days": format_days(shutoff.first_day, shutoff.last_day),
        "kind": str(KIND_NAMES.get(str(shutoff.kind), str(shutoff.kind))),
        "note": shutoff.note or "",
        "shutoff": shutoff,
    }


def _change_context(row: OutboxMessage) -> dict:
    change_id = row.variant.removeprefix("change-")
    change = None
    if change_id.isdigit():
        from app.extensions import db

        change = db.session.get(ShutoffChange, int(change_id))
    if change is not None and change.previous_first_day and change.previous_last_day:
        return {"old_days": format_days(change.previous_first_day, change.previous_last_day)}
    return {"old_days": ""}


def _email(sub: Subscription, key: str, subject: str, template: str, **context) -> OutgoingMessage:
    unsubscribe = links.unsubscribe_url(sub)
    context.update(
        subscription=sub,
        unsubscribe_url=unsubscribe,
        manage_url=links.manage_url(sub),
        site_name=current_app.config["SITE_NAME"],
        vst_phone=current_app.config["VST_PHONE"],
        subject=subject,
    )
    return OutgoingMessage(
        to=sub.contact,
        subject=subject,
        text=_render(f"notifications/email/{template}.txt", **context),
        html=_render(f"notifications/email/{template}.html", **context),
        idempotency_key=key,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _sms(sub: Subscription, key: str, template: str, **context) -> OutgoingMessage:
    context.update(subscription=sub, site_name=current_app.config["SITE_NAME"])
    body = _render(f"notifications/sms/{template}.txt", **context)
    if template == "confirmation":
        tail = _("Jei neprašėte, nieko nedarykite.")
    else:
        tail = _("Atsisakyti: %(url)s", url=links.short_unsubscribe_url(sub))
    return OutgoingMessage(to=sub.contact, text=one_segment(body, tail), idempotency_key=key)


def compose(row: OutboxMessage, *, code: str | None = None) -> OutgoingMessage:
    """The message for one outbox row; `code` is the fresh SMS confirmation code (confirmation only)."""
    sub = row.subscription
    with force_locale(sub.language):
        if row.kind == MessageKind.CONFIRMATION:
            return _confirmation(row, sub, code)
        context = _shutoff_context(row.shutoff)
        if row.kind == MessageKind.MOVED:
            context.update(_change_context(row))
        template = str(row.kind)
        if sub.channel == Channel.SMS:
            return _sms(sub, row.idempotency_key, template, **context)
        args = {"address": context["address"], "days": context["days"]}
        if row.kind == MessageKind.REMINDER:
            subject = _("%(address)s: karšto vandens nebus %(days)s", **args)
        elif row.kind == MessageKind.MOVED:
            subject = _("%(address)s: karšto vandens išjungimas perkeltas", address=args["address"])
        else:
            subject = _("%(address)s: karšto vandens išjungimas atšauktas", address=args["address"])
        return _email(sub, row.idempotency_key, subject, template, **context)


def _confirmation(row: OutboxMessage, sub: Subscription, code: str | None) -> OutgoingMessage:
    labels = [a.address.label for a in sub.addresses]
    if sub.channel == Channel.SMS:
        return _sms(sub, row.idempotency_key, "confirmation", code=code or "", addresses=labels)
    return _email(
        sub,
        row.idempotency_key,
        _("Patvirtinkite pranešimų užsakymą"),
        "confirmation",
        addresses=labels,
        confirm_url=links.confirm_url(sub),
    )


def compose_digest(sub: Subscription, rows: list[OutboxMessage], key: str) -> OutgoingMessage:
    """Several reminders for one subscription in one message (managers following many buildings)."""
    with force_locale(sub.language):
        items = [_shutoff_context(r.shutoff) for r in sorted(rows, key=lambda r: (r.shutoff.first_day, r.id))]
        if sub.channel == Channel.SMS:
            return _sms(sub, key, "digest", items=items)
        subject = _("Karšto vandens išjungimai jūsų pastatuose: %(count)d", count=len(items))
        return _email(sub, key, subject, "digest", items=items)
