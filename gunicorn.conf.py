"""gunicorn settings, read by `make run` and by production: `gunicorn -c gunicorn.conf.py wsgi:app`.

- The app is loaded once in the master (preload) and the address index and published schedule are built there
  before the workers fork: the first request of every worker is as fast as the tenth, and the workers share
  those pages of memory until they write to them.
- gthread workers: each worker serves THREADS requests at once, and idle keep-alive connections wait in the
  worker's poller instead of holding a thread (two idle browsers cannot stop the site).
- One JSON object per request in the access log; tokens in paths are masked and query strings (addresses,
  tokens) are left out.

Environment: GUNICORN_BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers: one per CPU core; the matcher is
CPU-bound, so more processes than cores only queue), GUNICORN_THREADS (4), GUNICORN_ACCESS_LOG (`-` = stderr).
Command-line flags (`--bind`) win over this file.
"""

import gc
import json
import os
import re
from datetime import UTC, datetime

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
preload_app = True

# Seconds. A worker silent for `timeout` is killed and replaced (the longest request, publishing a 2,000-row
# schedule, takes about 5 s); on restart, requests in flight get `graceful_timeout` to finish.
timeout = 30
graceful_timeout = 20
# Longer than nginx's upstream keepalive_timeout (60 s), so nginx closes idle upstream connections first and
# never sends a request on one gunicorn is closing.
keepalive = 65
# Request line and headers bounded before the app sees them (bytes / count).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "karstas-vanduo"
# systemd signals the master (reload, stop); a control socket at one default path would be shared by two
# instances on one machine, and the service user has no home to put it in.
control_socket_disable = True

# A path segment that looks like a token (long, or letters mixed with digits): /manage/<token>, /u/<id>.<nonce>.
TOKEN_SEGMENT = re.compile(r"^(?=.{12,})(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9._~=-]+$|^.{32,}$")


def masked_path(path: str) -> str:
    """The request path with every token-like segment replaced by `…` (logs must not open anyone's links)."""
    return "/".join("…" if TOKEN_SEGMENT.match(segment) else segment for segment in path.split("/"))


class JsonAccessLogger(Logger):
    """gunicorn's logger, with one JSON object per request in the access log."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            # After ProxyFix (REVERSE_PROXY) this is the client's address, not the proxy's.
            "client": environ.get("REMOTE_ADDR", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": masked_path(environ.get("PATH_INFO", "")),
            "status": int(status),
            "bytes": getattr(resp, "sent", None) or 0,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT", "")[:200],
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # a log line must never fail a request
            self.error("access log entry failed", exc_info=True)


logger_class = JsonAccessLogger


# Served once in the master before forking, so templates are compiled and catalogs loaded in every worker.
WARM_UP_PATHS = ("/", "/?q=Gedimino+pr.+1", "/api/v1/lookup?q=Gedimino+pr.+1", "/healthz")


def when_ready(server):
    """Build the per-worker caches once, in the master, before the first fork; then answer a few requests.

    Finally every object built so far is frozen out of the garbage collector's reach (gc.freeze): a
    collection in a worker would otherwise write to each of them and so copy every page the workers
    share (measured: private memory per worker 61 MB without, 25 MB with, on the Vilnius register).
    """
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()
    if "sqlalchemy" in getattr(app, "extensions", {}):  # not another app (bench/bare_flask.py)
        _build_caches(server, app)
    gc.freeze()


def _build_caches(server, app) -> None:
    from app.addresses.lookup import address_index
    from app.extensions import db
    from app.shutoffs import published

    with app.app_context():
        try:
            address_index()
            buildings = published.warm()
            client = app.test_client()
            base_url = app.config.get("SERVER_BASE_URL") or "http://localhost"
            statuses = [client.get(path, base_url=base_url).status_code for path in WARM_UP_PATHS]
            server.log.info(
                "before fork: address index and schedule (%d buildings) built; warm-up requests %s",
                buildings,
                statuses,
            )
        except Exception as exc:  # the workers build them on first use; /readyz shows why
            server.log.error("caches not built before fork: %s", exc)
        finally:
            db.session.remove()
            # No database connection may be shared by the forked workers.
            db.engine.dispose()


def post_worker_init(worker):
    """Open this worker's first database connection now, not during its first request."""
    from sqlalchemy import text

    from app.extensions import db

    app = worker.wsgi
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as exc:  # the request that needs the database will say so; /readyz too
            worker.log.warning("database not reachable at worker start: %s", exc)
        finally:
            db.session.remove()
