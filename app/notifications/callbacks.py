"""Callbacks from providers: the SMS gateway's delivery receipts, on a URL signed with a token from settings.

POST /notify/receipts/sms/<SMS_RECEIPT_TOKEN> with a JSON receipt (app.notifications.delivery). The token is
compared in constant time; without SMS_RECEIPT_TOKEN set, the URL does not exist.
"""

import hmac

from flask import Blueprint, abort, current_app, request

from app.extensions import csrf, limiter
from app.notifications.delivery import BadReceipt, read_receipt, record_receipt

bp = Blueprint("callbacks", __name__)

MAX_RECEIPT_BYTES = 4096


@bp.post("/notify/receipts/sms/<token>")
@csrf.exempt  # a provider's server calls it; the secret in the URL is the proof
@limiter.limit("600 per minute")
def sms_receipt(token: str):
    expected = current_app.config.get("SMS_RECEIPT_TOKEN") or ""
    if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
        abort(404)
    if (request.content_length or 0) > MAX_RECEIPT_BYTES:
        return {"error": "receipt too large"}, 413
    try:
        receipt = read_receipt(request.get_json(silent=True))
    except BadReceipt as exc:
        return {"error": str(exc)}, 400
    return {"recorded": record_receipt(receipt)}, 200
