"""gunicorn.conf.py: what production's access log keeps, and the settings it serves with."""

import gc
import json
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/manage/eyJpZCI6MTJ9.Z0xY1a.k3v9QxWb2sTn", "/manage/…"),
        ("/u/12.AbCdEf1234x5", "/u/…"),
        ("/managers/calendar/InR3b2tlbiI.ZXk9ab12Cd.ics", "/managers/calendar/…"),
        ("/managers/p/abcdefghijklmnopqrstuvwxyzabcdef0/rows/3/pick", "/managers/p/…/rows/3/pick"),
        ("/address/155000001", "/address/155000001"),
        ("/static/js/autocomplete.js", "/static/js/autocomplete.js"),
        ("/api/v1/lookup", "/api/v1/lookup"),
    ],
)
def test_the_access_log_masks_tokens_in_paths(path, logged):
    assert CONF["masked_path"](path) == logged


def test_an_access_line_is_json_with_the_client_address_and_no_query(capsys):
    logger = CONF["JsonAccessLogger"](SimpleNamespace(**{**_config(), "accesslog": "-"}))
    response = SimpleNamespace(status="200 OK", sent=436)
    environ = {
        "REMOTE_ADDR": "203.0.113.7",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/unsubscribe/eyJpZCI6MTJ9.Z0xY1a.k3v9",
        "QUERY_STRING": "q=Žirmūnų+12",
        "HTTP_USER_AGENT": "curl/8",
    }
    logger.access(response, None, environ, timedelta(milliseconds=3, microseconds=400))
    entry = json.loads(capsys.readouterr().out.strip())
    assert {k: entry[k] for k in ("client", "method", "path", "status", "bytes", "duration_ms")} == {
        "client": "203.0.113.7",
        "method": "GET",
        "path": "/unsubscribe/…",
        "status": 200,
        "bytes": 436,
        "duration_ms": 3.4,
    }
    assert "Žirmūnų" not in json.dumps(entry, ensure_ascii=False)


def test_workers_serve_with_threads_after_the_app_is_preloaded():
    assert (CONF["worker_class"], CONF["threads"], CONF["preload_app"]) == ("gthread", 4, True)
    assert CONF["keepalive"] > 60  # nginx closes idle upstream connections first (keepalive_timeout 60 s)


def test_what_the_master_built_is_frozen_before_the_workers_fork(app):
    server = SimpleNamespace(cfg=SimpleNamespace(preload_app=True), app=SimpleNamespace(wsgi=lambda: app), log=_Log())
    gc.unfreeze()
    try:
        CONF["when_ready"](server)
        assert gc.get_freeze_count() > 0
        assert server.log.lines == [
            (
                "info",
                "before fork: address index and schedule (0 buildings) built; warm-up requests [200, 200, 200, 200]",
            )
        ]
    finally:
        gc.unfreeze()


class _Log:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(("info", message % args))

    def error(self, message, *args):
        self.lines.append(("error", message % args))


def _config() -> dict:
    """The settings gunicorn's Logger reads, as gunicorn's Config would give them."""
    from gunicorn.config import Config

    config = Config()
    return {name: config.settings[name].get() for name in config.settings}
