"""Signed links and one-time codes. Pure Python: the secret key is passed in.

Links carry [subscription id, its token nonce]; rotating the nonce (or deleting the subscription)
revokes every link already sent.
"""

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

CONFIRM_MAX_AGE = 48 * 3600
CODE_MAX_AGE = 15 * 60
CODE_MAX_ATTEMPTS = 5

CONFIRM_SALT = "notifications.confirm"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MANAGE_SALT = "notifications.manage"
CODE_PAGE_SALT = "notifications.code-page"


class InvalidToken(Exception):
    """The link is forged, mangled or for a subscription that no longer exists."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


def make_token(secret_key: str, salt: str, subscription_id: int, nonce: str, *, timed: bool = False) -> str:
    serializer = URLSafeTimedSerializer(secret_key, salt=salt) if timed else URLSafeSerializer(secret_key, salt=salt)
    return serializer.dumps([subscription_id, nonce])


def read_token(secret_key: str, salt: str, token: str, *, max_age: int | None = None) -> tuple[int, str]:
    """(subscription id, nonce) from a token; InvalidToken / ExpiredToken otherwise."""
    try:
        if max_age is None:
            payload = URLSafeSerializer(secret_key, salt=salt).loads(token)
        else:
            payload = URLSafeTimedSerializer(secret_key, salt=salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise InvalidToken("unexpected payload")
    return payload[0], str(payload[1])


def new_code() -> str:
    """Six random digits for SMS confirmation."""
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(secret_key: str, subscription_id: int, code: str) -> str:
    """HMAC of the code bound to its subscription: a leaked table does not give codes away."""
    message = f"{subscription_id}:{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def code_matches(secret_key: str, subscription_id: int, code: str, stored_hash: str | None) -> bool:
    if not stored_hash:
        return False
    return hmac.compare_digest(hash_code(secret_key, subscription_id, code.strip()), stored_hash)
