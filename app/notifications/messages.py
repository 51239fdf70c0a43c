"""Outbox rows → the text a subscriber receives, in their language.

Dates and kinds are worded by app.wording, exactly as the site writes them ("birželio 3–5 d.", "3–5 June").
"""

from flask import current_app
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _
from markupsafe import Markup

from app import wording
from app.extensions import db
from app.notifications import links
from app.notifications.channels import OutgoingMessage
from app.notifications.models import Channel, MessageKind, OutboxMessage, Subscription
from app.notifications.sms_text import one_segment
from app.shutoffs.models import Shutoff, ShutoffChange


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


def _shutoff_context(shutoff: Shutoff, language: str) -> dict:
    return {
        "address": shutoff.address.label,
        "days": wording.date_range(shutoff.first_day, shutoff.last_day, language),
        "kind": wording.kind_label(shutoff.kind, _),
        "note": shutoff.note or "",
        "shutoff": shutoff,
    }


def _change_context(row: OutboxMessage, language: str) -> dict:
    change_id = row.variant.removeprefix("change-")
    change = db.session.get(ShutoffChange, int(change_id)) if change_id.isdigit() else None
    if change is not None and change.previous_first_day and change.previous_last_day:
        return {"old_days": wording.date_range(change.previous_first_day, change.previous_last_day, language)}
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
        context = _shutoff_context(row.shutoff, sub.language)
        if row.kind == MessageKind.MOVED:
            context.update(_change_context(row, sub.language))
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
        ordered = sorted(rows, key=lambda r: (r.shutoff.first_day, r.id))
        items = [_shutoff_context(r.shutoff, sub.language) for r in ordered]
        if sub.channel == Channel.SMS:
            return _sms(sub, key, "digest", items=items)
        subject = _("Karšto vandens išjungimai jūsų pastatuose: %(count)d", count=len(items))
        return _email(sub, key, subject, "digest", items=items)
