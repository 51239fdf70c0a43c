"""Two staff members press "publish" at the same moment: one wins, the other is told to preview again.

Runs on a database file (SQLite) or on PostgreSQL when TEST_DATABASE_URL is set, each request in its own thread
with its own connection, so the two publications really overlap.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

import app.shutoffs.importer as importer
from app.admin.accounts import create_staff_user
from app.admin.models import AuditEntry
from app.extensions import db
from app.shutoffs.models import Schedule, ScheduleBatch, Shutoff
from tests.admin.helpers import PASSWORD, another_browser, publish, schedule_csv, sign_in, upload
from tests.conftest import TEST_DATABASE_URL
from tests.helpers.html import soup

TODAY = date(2030, 1, 1)
HOLD_SECONDS = 0.5  # how long the first publication keeps its transaction open


@pytest.fixture
def app_settings(tmp_path):
    return {"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'publishing.sqlite'}"}


@pytest.mark.parametrize("schedule_exists", [True, False], ids=["published-schedule", "new-schedule"])
def test_two_staff_publishing_at_once_one_wins_and_the_other_is_told_to_preview_again(
    app, make_address, monkeypatch, schedule_exists
):
    for number in ("1", "2", "3"):
        make_address("Žirmūnų g.", number)
    if schedule_exists:
        path_row = "Žirmūnų g. 3,2030-04-10,2030-04-11,Remontas"
        importer.import_schedule(schedule_csv(path_row).encode(), "pirmas.csv", today=TODAY)
    browsers, previews = [], []
    for number, email in ((1, "ona@vst.lt"), (2, "petras@vst.lt")):
        create_staff_user(email, PASSWORD)
        browser = another_browser(app)
        sign_in(browser, email)
        content = schedule_csv(f"Žirmūnų g. {number},2030-05-10,2030-05-11,Remontas")
        previews.append(browser.get(upload(browser, content).location))
        browsers.append(browser)
    db.session.remove()  # the test's own connection stays out of the way

    original_apply = importer._apply

    def apply_slowly(plan, batch):
        original_apply(plan, batch)
        threading.Event().wait(HOLD_SECONDS)  # inside the transaction, the schedule's version already moved

    monkeypatch.setattr(importer, "_apply", apply_slowly)
    start = threading.Barrier(2)
    responses: list = [None, None]

    def press_publish(i: int) -> None:
        start.wait()
        responses[i] = publish(browsers[i], previews[i])

    threads = [threading.Thread(target=press_publish, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 409]
    loser = next(r for r in responses if r.status_code == 409)
    page = soup(loser)
    assert page.select_one("[data-stale]").get_text().startswith("Grafiką „Pagrindinis grafikas“ ką tik paskelbė")
    assert page.select_one("a[data-preview-again]")["href"].startswith("/admin/uploads/")
    assert db.session.scalar(select(func.count()).select_from(ScheduleBatch)) == 1 + schedule_exists
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 1 + schedule_exists
    assert db.session.scalar(select(Schedule.version)) == 1 + schedule_exists
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "publish")).all()
    assert actions == ["publish"]
