"""Outcomes on a database file: the sender's own connection, without an fsync per message in WAL mode."""

from datetime import timedelta

import pytest
from sqlalchemy import Connection

from app.extensions import db
from app.notifications.models import OutboxMessage, OutboxStatus
from app.notifications.outbox import send_due
from app.notifications.outbox.claims import close_outcome_connection, open_outcome_connection
from app.notifications.outbox.sender import Sender
from app.timeutil import today_in_vilnius
from tests.notifications.helpers import stored

FULL, NORMAL = 2, 1  # PRAGMA synchronous values


@pytest.fixture
def app_settings(tmp_path):
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'outbox.sqlite'}"}


def _synchronous(conn) -> int:
    return conn.exec_driver_sql("PRAGMA synchronous").scalar()


def test_in_wal_mode_outcomes_commit_without_an_fsync_and_the_pooled_connection_is_given_back_as_it_was(app):
    with db.engine.connect() as setup:
        assert setup.exec_driver_sql("PRAGMA journal_mode=WAL").scalar() == "wal"
    conn = open_outcome_connection()
    assert isinstance(conn, Connection)
    assert _synchronous(conn) == NORMAL
    close_outcome_connection(conn)
    assert conn.closed
    with db.engine.connect() as next_user:  # the same pooled connection
        assert _synchronous(next_user) == FULL


def test_without_wal_every_outcome_is_synced(app):
    conn = open_outcome_connection()
    assert isinstance(conn, Connection)
    assert _synchronous(conn) == FULL
    close_outcome_connection(conn)
    assert conn.closed


def test_a_send_run_on_a_database_file_records_its_outcomes(app, subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    subscriber(home)
    assert send_due()[1].sent == 1
    db.session.expire_all()
    [row] = stored(OutboxMessage)
    assert (row.status, row.claim_token) == (OutboxStatus.SENT, None)


def test_a_sender_closes_its_own_connection_when_it_is_done(app):
    with Sender() as sender:
        conn = sender.conn
        assert isinstance(conn, Connection)
        assert not conn.closed
    assert conn.closed
