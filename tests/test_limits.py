"""The site's Limiter skips Flask-Limiter's before-request pass only while no limit needs it.

Every limit the site has decorates a view (the sign-in, sign-up and manager forms; their tests show each
one refusing). These tests add, on a small app of their own, each kind of limit that decorates no view,
and expect it to refuse the request past it as Flask-Limiter's own Limiter does.
"""

import subprocess
import sys
from pathlib import Path

from flask import Blueprint, Flask

from app.extensions import Limiter


def statuses(client, path: str, count: int) -> list[int]:
    return [client.get(path).status_code for _ in range(count)]


def small_app(limiter: Limiter, blueprint: Blueprint | None = None) -> Flask:
    app = Flask(__name__)

    @app.get("/open")
    def open_page():
        return "open"

    @app.get("/limited")
    @limiter.limit("1 per minute")
    def limited_page():
        return "limited"

    if blueprint is not None:
        app.register_blueprint(blueprint)
    limiter.init_app(app)
    return app


def make_limiter(**options) -> Limiter:
    options.setdefault("storage_uri", "memory://")
    return Limiter(key_func=lambda: "203.0.113.7", **options)


def test_a_view_without_limits_is_never_refused():
    client = small_app(make_limiter()).test_client()
    assert statuses(client, "/open", 3) == [200, 200, 200]


def test_a_limit_on_a_view_refuses_past_it():
    client = small_app(make_limiter()).test_client()
    assert statuses(client, "/limited", 2) == [200, 429]


def test_a_default_limit_refuses_on_a_view_without_its_own():
    client = small_app(make_limiter(default_limits=["2 per minute"])).test_client()
    assert statuses(client, "/open", 3) == [200, 200, 429]


def test_an_application_wide_limit_counts_every_view_together():
    client = small_app(make_limiter(application_limits=["2 per minute"])).test_client()
    assert statuses(client, "/open", 2) == [200, 200]
    assert statuses(client, "/limited", 1) == [429]


def test_a_blueprint_limit_refuses_on_the_blueprints_views():
    limiter = make_limiter()
    blueprint = Blueprint("part", __name__)

    @blueprint.get("/part")
    def part_page():
        return "part"

    limiter.limit("1 per minute")(blueprint)
    client = small_app(limiter, blueprint).test_client()
    assert statuses(client, "/part", 2) == [200, 429]
    assert statuses(client, "/open", 1) == [200]


def test_a_meta_limit_shuts_out_a_client_that_broke_a_limit_everywhere():
    client = small_app(make_limiter(meta_limits=["1 per hour"])).test_client()
    assert statuses(client, "/limited", 2) == [200, 429]
    assert statuses(client, "/open", 1) == [429]


def test_while_the_shared_store_is_down_the_fallback_limit_applies_to_every_view():
    # Port 1 on loopback: nothing listens, so the first check marks the store unreachable.
    limiter = make_limiter(
        storage_uri="redis://127.0.0.1:1/0",
        storage_options={"socket_connect_timeout": 1},
        in_memory_fallback=["1 per minute"],
        in_memory_fallback_enabled=True,
    )
    client = small_app(limiter).test_client()
    assert statuses(client, "/limited", 1) == [200]
    assert statuses(client, "/open", 2) == [200, 429]


def test_a_checked_limit_still_reports_itself_and_a_view_without_one_sends_no_limit_headers():
    client = small_app(make_limiter(headers_enabled=True)).test_client()
    limited = client.get("/limited")
    assert (limited.headers["X-RateLimit-Limit"], limited.headers["X-RateLimit-Remaining"]) == ("1", "0")
    assert "X-RateLimit-Limit" not in client.get("/open").headers


def test_a_limit_deducting_only_some_answers_counts_only_those():
    limiter = make_limiter()
    app = Flask(__name__)

    @app.get("/sign-in/<outcome>")
    @limiter.limit("2 per minute", deduct_when=lambda response: response.status_code == 401)
    def sign_in(outcome: str):
        return outcome, 401 if outcome == "wrong" else 200

    limiter.init_app(app)
    client = app.test_client()
    assert [
        client.get(f"/sign-in/{o}").status_code for o in ("right", "right", "right", "wrong", "wrong", "right")
    ] == [
        200,
        200,
        200,
        401,
        401,
        429,
    ]


# A process of its own: pytest's log capture would hide whether the warning reaches a real service's log.
STORE_DOWN = """
from app import create_app
from app.extensions import db
app = create_app("development", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", WTF_CSRF_ENABLED=False,
                 SQLALCHEMY_DATABASE_URI="sqlite://")
with app.app_context():
    db.create_all()
client = app.test_client()
print([client.post("/manage", data={"email": "ona@example.lt"}).status_code for _ in range(4)])
"""


def test_the_log_says_when_the_shared_store_is_down_and_limits_count_per_process():
    ran = subprocess.run(  # noqa: S603 -- this interpreter and a fixed script
        [sys.executable, "-c", STORE_DOWN],
        cwd=Path(__file__).resolve().parent.parent,
        env={"PATH": "/usr/bin:/bin", "APP_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ran.stdout.strip() == "[303, 303, 303, 429]"  # the per-e-mail limit (3 an hour) still holds
    assert "Rate limit storage unreachable - falling back to in-memory storage" in ran.stderr
