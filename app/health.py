"""`/healthz` (the process answers) and `/readyz` (it can answer residents) for the service manager and probes.

Both are plain GETs without cookies, exempt from rate limits, and never cached. `/readyz` answers 200 with
what it checked, or 503 naming what is not ready:
{"status": "ready", "checks": {"database": "ok", "register": "ok", "address_index": "ok", "schedule": "ok",
 "rate_limit_storage": "ok"}}
"""

import logging

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy import text

from app.addresses.lookup import address_index
from app.datacache import current_data_version
from app.extensions import csrf, db, limiter
from app.shutoffs import published

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and serving; checks nothing else (a restart would not fix a database outage)."""
    return _no_store(Response("ok\n", mimetype="text/plain"))


@bp.get("/readyz")
def readyz() -> Response:
    """Database reachable, register imported, this worker's address index and schedule copy current."""
    checks = {
        "database": _check(lambda: db.session.execute(text("SELECT 1")).scalar_one()),
        "register": _check(_register_imported),
        # Both caches compare their data version with the database (at most every 2 s) and rebuild when it
        # moved, so once these calls return, the copies this worker answers from are the published ones.
        "address_index": _check(address_index),
        "schedule": _check(published.warm),
        "rate_limit_storage": _check(_rate_limit_storage),
    }
    db.session.rollback()  # a failed check must not leave the session in a broken transaction
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ready" if ready else "not ready", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)


def _register_imported() -> None:
    if current_data_version("register") == 0:
        raise LookupError("no register imported yet (flask addresses import-register DIR)")


def _rate_limit_storage() -> None:
    if not limiter.enabled:
        return
    if not limiter.storage.check():
        raise ConnectionError("the rate-limit store does not answer")


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a probe reports what failed; it never fails itself
        # The details (hosts, user names) go to the log only; the answer names the kind of failure.
        log.warning("readiness check failed: %s", exc)
        db.session.rollback()
        return f"failed: {type(exc).__name__}"
    return "ok"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def init_health(app: Flask) -> None:
    """Register the probes: outside every rate limit and CSRF (GET only, no session)."""
    limiter.exempt(bp)
    csrf.exempt(bp)
    app.register_blueprint(bp)
