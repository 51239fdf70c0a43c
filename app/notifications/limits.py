"""Rate limits on sending confirmations: per contact, shared by every form that can send one.

The sign-up page and the managers' "subscribe all" form both send confirmation messages; the limit per
e-mail address is one bucket for both, so neither form can be used to flood an inbox past it. A contact
is counted by its identity (contacts.identity_key), the same one confirmation and deletion use.
"""

from collections.abc import Callable

from flask import request

from app.extensions import limiter
from app.notifications.contacts import InvalidContact, identity_key
from app.notifications.models import Channel

EMAIL_LIMIT = "3 per hour;10 per day"
PHONE_LIMIT = "3 per hour;6 per day"

# The bucket names' prefix per channel (kept as they were: buckets live on in the shared store).
_BUCKET_PREFIX = {Channel.EMAIL: "email", Channel.SMS: "phone"}


def contact_key(channel: Channel, field: str) -> str:
    """The limit's bucket for the contact in form field `field`: `email:ona@example.lt` for `Ona@Example.lt`,
    `phone:+37061234567` for `8 612 34567`. Unparseable input is keyed as typed, case-folded."""
    return bucket(channel, request.form.get(field, ""))


def bucket(channel: Channel, contact: str) -> str:
    """The limit's bucket for a contact however typed (see contact_key)."""
    raw = contact.strip()
    try:
        key = identity_key(channel, raw)
    except InvalidContact:
        key = raw.casefold()
    return f"{_BUCKET_PREFIX[channel]}:{key}"


def sent(response) -> bool:
    """Only a form that went through (and so sent something) counts; one with mistakes does not."""
    return response.status_code in (302, 303)


def limit_per_email(field: str, exempt_when: Callable[[], bool] | None = None):
    """The shared per-e-mail limit, reading the address from `field` of the posted form."""
    return limiter.shared_limit(
        EMAIL_LIMIT,
        scope="notify-email",
        methods=["POST"],
        key_func=lambda: contact_key(Channel.EMAIL, field),
        exempt_when=exempt_when,
        deduct_when=sent,
    )


def limit_per_phone(
    field: str | None = None,
    exempt_when: Callable[[], bool] | None = None,
    *,
    phone: Callable[[], str] | None = None,
):
    """The per-phone limit (each code costs an SMS), shared by every form that sends one: the number is read
    from `field` of the posted form, or given by `phone()` (a number the server already holds)."""

    def key() -> str:
        return bucket(Channel.SMS, phone()) if phone else contact_key(Channel.SMS, field or "")

    return limiter.shared_limit(
        PHONE_LIMIT,
        scope="notify-phone",
        methods=["POST"],
        key_func=key,
        exempt_when=exempt_when,
        deduct_when=sent,
    )
