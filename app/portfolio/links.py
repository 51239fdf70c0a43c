"""Private signed links: the edit link and the calendar feed link carry the portfolio's random id, signed.

The two purposes use different salts, so the calendar link (handed to calendar apps) cannot open the
editable page.
"""

from typing import Literal

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

Purpose = Literal["edit", "calendar"]


def _serializer(purpose: Purpose) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"karstas.portfolio.{purpose}")


def sign_public_id(public_id: str, purpose: Purpose) -> str:
    """The token for a link to the portfolio with this public id."""
    return _serializer(purpose).dumps(public_id)


def public_id_from_token(token: str, purpose: Purpose) -> str | None:
    """The public id a token was signed for, or None when it was altered or made for another purpose."""
    try:
        value = _serializer(purpose).loads(token)
    except BadData:
        return None
    return value if isinstance(value, str) else None
