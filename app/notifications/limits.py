"""Rate limits on sending confirmations: per contact, shared by every form that can send one.

The sign-up page and the managers' "subscribe all" form both send confirmation messages; the limit per
e-mail address is one bucket for both, so neither form can be used to flood an inbox past it.
"""

from collections.abc import Callable

from flask import request

from app.extensions import limiter
from app.notifications.contacts import InvalidContact, normalise_email

EMAIL_LIMIT = "3 per hour;10 per day"


def contact_key(kind: str, field: str, normalise: Callable[[str], str]) -> str:
    """`email:ona@example.lt` for whatever form field holds it; unparseable input is keyed as typed.

    Lower-cased: `Ona@Example.lt` reaches the same inbox, so it counts against the same limit."""
    raw = request.form.get(field, "").strip()
    try:
        return f"{kind}:{normalise(raw).lower()}"
    except InvalidContact:
        return f"{kind}:{raw.lower()}"


def sent(response) -> bool:
    """Only a form that went through (and so sent something) counts; one with mistakes does not."""
    return response.status_code in (302, 303)


def limit_per_email(field: str, exempt_when: Callable[[], bool] | None = None):
    """The shared per-e-mail limit, reading the address from `field` of the posted form."""
    return limiter.shared_limit(
        EMAIL_LIMIT,
        scope="notify-email",
        methods=["POST"],
        key_func=lambda: contact_key("email", field, normalise_email),
        exempt_when=exempt_when,
        deduct_when=sent,
    )
