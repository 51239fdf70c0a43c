"""Signed links and one-time codes. Pure Python: the secret key is passed in.

Each kind of link (Purpose) is signed with its own salt and carries [subscription id, that subscription's
random secret for that purpose]. The payload of an itsdangerous token is readable base64, so a link only
ever shows the secret of its own purpose: holding an unsubscribe link gives no way to build a manage link.
Changing one secret on the subscription revokes every link of that purpose already sent.
"""

import enum
import functools
import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from app.requests import database_integer

CODE_MAX_AGE = 15 * 60  # seconds an SMS code is valid
CODE_MAX_ATTEMPTS = 5


class Purpose(enum.StrEnum):
    """What a signed link lets its holder do."""

    CONFIRM = "confirm"  # confirm one pending sign-up
    UNSUBSCRIBE = "unsubscribe"  # stop the messages (e-mail link and List-Unsubscribe one-click)
    MANAGE = "manage"  # change buildings, lead times and language; delete the subscription


# Seconds a link stays valid; None: until its secret changes. An unsubscribe link must work in an
# old e-mail (RFC 8058); a manage link expires and a new one can be asked for.
MAX_AGE = {
    Purpose.CONFIRM: 48 * 3600,
    Purpose.UNSUBSCRIBE: None,
    Purpose.MANAGE: 90 * 24 * 3600,
}

# The salts of the links sent before each purpose had its own secret: unsubscribe links still in inboxes
# were untimed and keep working (their secret is the old nonce).
_SALTS = {purpose: f"notifications.{purpose}" for purpose in Purpose}


class CodeKind(enum.StrEnum):
    """What an SMS code opens: a pending sign-up, or the settings of a confirmed subscription."""

    SIGN_UP = "sign-up"
    MANAGE = "manage"


class InvalidToken(Exception):
    """The link is forged, mangled or for a subscription that no longer exists."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


class RevokedToken(InvalidToken):
    """The link was genuine but its secret has changed since (it was used to unsubscribe, or renewed)."""


@functools.lru_cache(maxsize=16)
def _serializer(secret_key: str | tuple[str, ...], purpose: Purpose) -> URLSafeSerializer:
    # One per key and purpose: a send run signs two links per message.
    if MAX_AGE[purpose] is None:
        return URLSafeSerializer(secret_key, salt=_SALTS[purpose])
    return URLSafeTimedSerializer(secret_key, salt=_SALTS[purpose])


def make_token(secret_key: str, purpose: Purpose, subscription_id: int, row_secret: str) -> str:
    """A link token for `purpose` naming the subscription and its secret for that purpose."""
    return _serializer(secret_key, purpose).dumps([subscription_id, row_secret])


def read_token(secret_key: str | tuple[str, ...], purpose: Purpose, token: str) -> tuple[int, str]:
    """(subscription id, secret) from a token of `purpose` signed with `secret_key` (or any of a tuple of keys,
    the current one last); ExpiredToken when older than MAX_AGE[purpose], InvalidToken for anything else."""
    serializer = _serializer(secret_key, purpose)
    try:
        if isinstance(serializer, URLSafeTimedSerializer):
            payload = serializer.loads(token, max_age=MAX_AGE[purpose])
        else:
            payload = serializer.loads(token)
    except SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise InvalidToken("unexpected payload")
    return payload[0], str(payload[1])


def secrets_match(expected: str, given: str) -> bool:
    """Constant-time comparison of a stored secret with one from a link."""
    return hmac.compare_digest(expected.encode(), given.encode())


def parse_short_link(short: str) -> tuple[int, str] | None:
    """`123.AbC…` → (123, "AbC…"); None when it is not a dot and a secret after ASCII digits within the
    database's INTEGER (app.requests.database_integer: "²", "٣" or 2147483648 name no subscription)."""
    number, dot, secret = short.partition(".")
    subscription_id = database_integer(number) if number == number.strip() else None
    if not (dot and secret) or subscription_id is None:
        return None
    return subscription_id, secret


def new_code() -> str:
    """Six random digits for an SMS."""
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(secret_key: str, kind: CodeKind, subscription_id: int, code: str) -> str:
    """HMAC of the code bound to its subscription and what it opens: a leaked table gives no codes away, and a
    sign-up code never opens the settings."""
    message = f"{kind}:{subscription_id}:{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def code_matches(secret_key: str, kind: CodeKind, subscription_id: int, code: str, stored_hash: str | None) -> bool:
    """Whether `code` is the one whose hash is stored (constant time)."""
    if not stored_hash:
        return False
    return hmac.compare_digest(hash_code(secret_key, kind, subscription_id, code.strip()), stored_hash)
