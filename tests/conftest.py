"""Fixtures: app, client, runner, a fresh database per test, and factories."""

import os
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.addresses.lookup import forget_index
from app.addresses.models import Address, Street
from app.datacache import bump_data_version
from app.extensions import db
from app.shutoffs.models import Schedule, Shutoff, ShutoffChange, ShutoffKind, ShutoffStatus
from app.shutoffs.published import forget_published
from app.shutoffs.schedules import DEFAULT_SCHEDULE_NAME
from app.timeutil import today_in_vilnius, utcnow

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


@pytest.fixture
def app_settings() -> dict:
    """Settings a test module may override (e.g. a database file for live-server tests)."""
    return {}


@pytest.fixture
def app(app_settings, request, tmp_path):
    default_url = "sqlite://"
    if "live_server" in request.fixturenames:
        # A file, so the server thread and the test see the same database.
        default_url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    settings = {"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or default_url}
    settings.update(app_settings)
    app = create_app("test", **settings)
    with app.app_context():
        db.drop_all()
        db.create_all()
        forget_index()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_street(app):
    counter = iter(range(1, 1_000_000))

    def make(name: str = "Žirmūnų", abbr: str = "g.", type_word: str | None = None, code: str | None = None) -> Street:
        words = {"g.": "gatvė", "pr.": "prospektas", "al.": "alėja", "a.": "aikštė", "pl.": "plentas"}
        street = Street(
            code=code or str(1_000_000 + next(counter)),
            name=name,
            type_abbr=abbr,
            type_word=type_word or words.get(abbr, "gatvė"),
        )
        db.session.add(street)
        db.session.commit()
        forget_index()
        return street

    return make


@pytest.fixture
def make_address(app, make_street):
    """make_address(street="Žirmūnų g.", number="12A"): creates the street when it is new."""
    counter = iter(range(1, 1_000_000))

    def make(
        street: str | Street = "Žirmūnų g.", number: str = "1", block: str = "", code: str | None = None
    ) -> Address:
        if isinstance(street, str):
            name, _, abbr = street.rpartition(" ")
            found = db.session.scalars(db.select(Street).filter_by(name=name, type_abbr=abbr)).first()
            street = found or make_street(name=name, abbr=abbr)
        address = Address(code=code or str(500_000_000 + next(counter)), street=street, number=number, block=block)
        db.session.add(address)
        db.session.commit()
        forget_index()
        return address

    return make


@pytest.fixture
def make_shutoff(app, make_address):
    """make_shutoff(address=None, first_day=None, last_day=None, *, starts_in=None, days=1, kind=…, status=…,
    note="", moved_from=None, work_key=None, schedule=DEFAULT_SCHEDULE_NAME): one published shutoff.

    Give either `first_day` (a date) or `starts_in` (days from today in Vilnius; default 3). `last_day`
    defaults to `days` days from the first (inclusive). `moved_from=(first, last)` records a move made
    yesterday. Creates a building when none is given (and the named schedule when it is new), and bumps the
    schedule's data version so every cache (the API's included) sees the new row.
    """

    def make(
        address: Address | None = None,
        first_day: date | None = None,
        last_day: date | None = None,
        *,
        starts_in: int | None = None,
        days: int = 1,
        kind: ShutoffKind = ShutoffKind.HYDRAULIC_TEST,
        status: ShutoffStatus = ShutoffStatus.PLANNED,
        note: str = "",
        moved_from: tuple[date, date] | None = None,
        work_key: str | None = None,
        schedule: str = DEFAULT_SCHEDULE_NAME,
        **fields,
    ) -> Shutoff:
        address = address or make_address()
        if first_day is None:
            first_day = today_in_vilnius() + timedelta(days=3 if starts_in is None else starts_in)
        named = db.session.scalars(select(Schedule).filter_by(name=schedule)).first() or Schedule(name=schedule)
        shutoff = Shutoff(
            schedule=named,
            address_code=address.code,
            first_day=first_day,
            last_day=last_day or first_day + timedelta(days=days - 1),
            kind=kind,
            status=status,
            note=note,
            work_key=work_key if work_key is not None else f"kind:{kind.value}",
            **fields,
        )
        db.session.add(shutoff)
        if moved_from:
            shutoff.changes.append(
                ShutoffChange(
                    status=status,
                    previous_first_day=moved_from[0],
                    previous_last_day=moved_from[1],
                    first_day=shutoff.first_day,
                    last_day=shutoff.last_day,
                    changed_at=utcnow() - timedelta(days=1),
                )
            )
        bump_data_version("schedule")
        db.session.commit()
        forget_published()
        return shutoff

    return make


@pytest.fixture
def write_register(tmp_path):
    """Write a small register directory in the official shape; returns its path."""

    def write(streets: list[str], addresses: list[str], name: str = "register", encoding: str = "utf-8") -> Path:
        directory = tmp_path / name
        directory.mkdir(exist_ok=True)
        (directory / "adr_gatves.csv").write_text("\n".join(streets) + "\n", encoding=encoding)
        (directory / "adr_stat_lr.csv").write_text("\n".join(addresses) + "\n", encoding=encoding)
        return directory

    return write


class LiveServer:
    """The app served by a real HTTP server on a loopback port, in a thread."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_server(app, tmp_path):
    """A running server for browser tests; the database is the test's own (a file, shared across threads)."""
    server = LiveServer(app).start()
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="lt-LT")
    page = context.new_page()
    yield page
    context.close()
