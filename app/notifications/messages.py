"""Outbox rows → the text a subscriber receives, in their language.

Every kind of message has an e-mail (`email/<kind>.txt` and `.html`) and an SMS (`sms/<kind>.txt`) template;
their text is Lithuanian msgids translated in the catalogs. Dates and kinds are worded by app.wording,
exactly as the site writes them ("birželio 3–5 d.", "3–5 June").
"""

import functools
from datetime import date

from flask import current_app
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _

from app import wording
from app.extensions import db
from app.notifications import links
from app.notifications.channels import OutgoingMessage
from app.notifications.models import Channel, MessageKind, OutboxMessage, Subscription
from app.notifications.rendering import render
from app.notifications.sms_text import SEGMENT_SEPTETS, one_segment, septets, to_gsm7
from app.shutoffs.models import Shutoff, ShutoffChange
from app.wording import N_

# Shutoffs share their days (a schedule names a few ranges for many buildings): each range worded once.
_date_range = functools.lru_cache(maxsize=1024)(wording.date_range)


def _shutoff_context(shutoff: Shutoff, language: str) -> dict:
    return {
        "address": shutoff.address.label,
        "days": _date_range(shutoff.first_day, shutoff.last_day, language),
        "last_day": _date_range(shutoff.last_day, shutoff.last_day, language),
        "kind": wording.kind_label(shutoff.kind, get_translations().ugettext),
        "note": shutoff.note or "",
    }


def _known_days(variant: str) -> tuple[date, date] | None:
    """The days a subscriber knew before a move: `change-<id>:<first>:<last>` (or the change row's own)."""
    head, *days = variant.removeprefix("change-").split(":")
    if len(days) == 2:
        try:
            return date.fromisoformat(days[0]), date.fromisoformat(days[1])
        except ValueError:
            return None
    change = db.session.get(ShutoffChange, int(head)) if head.isascii() and head.isdigit() else None
    if change is not None and change.previous_first_day and change.previous_last_day:
        return change.previous_first_day, change.previous_last_day
    return None


def _old_days(row: OutboxMessage, language: str) -> str:
    known = _known_days(row.variant)
    return wording.date_range(*known, language) if known else ""


def _email(
    sub: Subscription, key: str, subject: str, template: str, *, footer: bool = True, **context
) -> OutgoingMessage:
    """An e-mail; `footer`: with the links to the settings and to unsubscribe (and List-Unsubscribe), which a
    message to a contact not subscribed yet (the confirmation) does not carry."""
    context.update(
        subscription=sub,
        unsubscribe_url=links.unsubscribe_url(sub) if footer else "",
        manage_url=links.manage_url(sub) if footer else "",
        site_name=current_app.config["SITE_NAME"],
        vst_phone=current_app.config["VST_PHONE"],
        subject=subject,
    )
    headers = {}
    if footer:
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return OutgoingMessage(
        to=sub.contact,
        subject=subject,
        text=render(f"notifications/email/{template}.txt", **context),
        html=render(f"notifications/email/{template}.html", **context),
        idempotency_key=key,
        headers=headers,
    )


def _sms_tail(sub: Subscription, template: str) -> str:
    if template in ("confirmation", "manage"):
        return _("Jei neprašėte, nieko nedarykite.")
    return _("Atsisakyti: %(url)s", url=links.short_unsubscribe_url(sub))


def _sms(sub: Subscription, key: str, template: str, **context) -> OutgoingMessage:
    context.update(
        subscription=sub, site_name=current_app.config["SITE_NAME"], vst_phone=current_app.config["VST_PHONE"]
    )
    body = render(f"notifications/sms/{template}.txt", **context)
    return OutgoingMessage(to=sub.contact, text=one_segment(body, _sms_tail(sub, template)), idempotency_key=key)


# E-mail subjects: Lithuanian msgids (N_ marks them for extraction), translated when a message is composed.
_SUBJECTS = {
    MessageKind.REMINDER: N_("%(address)s: karšto vandens nebus %(days)s"),
    MessageKind.MOVED: N_("%(address)s: karšto vandens išjungimas perkeltas"),
    MessageKind.CANCELLED: N_("%(address)s: karšto vandens išjungimas atšauktas"),
    MessageKind.RESTORED: N_("%(address)s: karšto vandens išjungimas vėl planuojamas"),
    MessageKind.HOT_WATER_BACK: N_("%(address)s: karšto vandens išjungimas baigėsi"),
}


def _subject(kind: MessageKind, context: dict) -> str:
    return _(_SUBJECTS[kind], address=context["address"], days=context["days"])


def compose(row: OutboxMessage, *, code: str | None = None) -> OutgoingMessage:
    """The message for one outbox row, in the subscriber's language; `code` is the fresh SMS code (for a
    confirmation or a way into the settings sent by SMS). Any error (a template, a missing building) is the
    caller's to record on the row."""
    sub = row.subscription
    with force_locale(sub.language):
        if row.kind == MessageKind.CONFIRMATION:
            return _confirmation(row, sub, code)
        if row.kind == MessageKind.MANAGE:
            return _manage_access(row, sub, code)
        context = _shutoff_context(row.shutoff, sub.language)
        if row.kind == MessageKind.MOVED:
            context["old_days"] = _old_days(row, sub.language)
        template = str(row.kind)
        if sub.channel == Channel.SMS:
            return _sms(sub, row.idempotency_key, template, **context)
        return _email(sub, row.idempotency_key, _subject(row.kind, context), template, **context)


def _confirmation(row: OutboxMessage, sub: Subscription, code: str | None) -> OutgoingMessage:
    labels = [a.address.label for a in sub.addresses]
    if sub.channel == Channel.SMS:
        return _sms(sub, row.idempotency_key, "confirmation", code=code or "", addresses=labels)
    return _email(
        sub,
        row.idempotency_key,
        _("Patvirtinkite pranešimų užsakymą"),
        "confirmation",
        footer=False,
        addresses=labels,
        confirm_url=links.confirm_url(sub),
    )


def _manage_access(row: OutboxMessage, sub: Subscription, code: str | None) -> OutgoingMessage:
    if sub.channel == Channel.SMS:
        return _sms(sub, row.idempotency_key, "manage", code=code or "")
    return _email(
        sub,
        row.idempotency_key,
        _("Nuoroda į jūsų pranešimų nustatymus"),
        "manage",
        footer=False,
        settings_url=links.manage_url(sub),
    )


def compose_digest(sub: Subscription, rows: list[OutboxMessage], key: str) -> OutgoingMessage:
    """Several reminders for one subscription in one message (managers following many buildings). An SMS
    names every building that fits in one segment and ends with "+N daugiau" and the link to the rest."""
    with force_locale(sub.language):
        ordered = sorted(rows, key=lambda r: (r.shutoff.first_day, r.id))
        items = [_shutoff_context(r.shutoff, sub.language) for r in ordered]
        if sub.channel == Channel.SMS:
            return OutgoingMessage(to=sub.contact, text=_sms_digest(sub, items), idempotency_key=key)
        subject = _("Karšto vandens išjungimai jūsų pastatuose: %(count)d", count=len(items))
        return _email(sub, key, subject, "digest", items=items)


def _sms_digest(sub: Subscription, items: list[dict]) -> str:
    """As many buildings as fit, each whole; the rest counted ("+3 daugiau") and reached by the short link,
    whose page lists every building's shutoffs."""
    url = links.short_unsubscribe_url(sub)
    for shown in range(len(items), 0, -1):
        more = len(items) - shown
        body = render("notifications/sms/digest.txt", items=items[:shown], more=more)
        tail = _("Visi ir atsisakyti: %(url)s", url=url) if more else _("Atsisakyti: %(url)s", url=url)
        text = f"{to_gsm7(body).strip()} {to_gsm7(tail).strip()}"
        if septets(text) <= SEGMENT_SEPTETS:
            return text
    body = render("notifications/sms/digest.txt", items=items[:1], more=len(items) - 1)
    return one_segment(body, _("Visi ir atsisakyti: %(url)s", url=url))
