"""Requests at the same moment, in threads of their own, on a database they all see (PostgreSQL when the suite
runs on it, else an SQLite file): five tries at a code, one subscription per contact."""

import contextlib
import threading

import pytest

from app.extensions import db
from app.notifications import access, services, tokens
from app.notifications.confirmation import issue_code
from app.notifications.models import Subscription
from app.notifications.tokens import CodeKind
from tests.conftest import TEST_DATABASE_URL
from tests.notifications.helpers import stored

THREADS = 10


@pytest.fixture
def app_settings(tmp_path):
    return {"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'threads.sqlite'}"}


def _pending(make_address, contact: str, number: str) -> Subscription:
    [row] = services.start_subscriptions(
        email=contact if "@" in contact else None,
        phone=None if "@" in contact else contact,
        address_codes=[make_address(number=number).code],
        language="lt",
        lead_days=[10, 1],
        consent_text="Sutinku",
        consent_version="test",
    )
    return row.subscription


def _at_once(app, work, count: int) -> list:
    """Run work(index) in `count` threads, each with its own app context and database session."""
    results, errors = [None] * count, []

    def run(index: int) -> None:
        with app.app_context():
            try:
                results[index] = work(index)
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_ten_wrong_codes_at_once_get_five_tries_between_them(app, make_address, monkeypatch):
    sub = _pending(make_address, "+37061234567", "1")
    right = issue_code(sub)
    db.session.commit()
    wrong = "000000" if right != "000000" else "111111"
    compared = []
    # Every request that gets a try waits here for the others, so all of them are in flight at once.
    everyone_in = threading.Barrier(THREADS, timeout=2)
    real_matches = tokens.code_matches

    def matches_once_all_are_in(*args):
        compared.append(args[3])
        with contextlib.suppress(threading.BrokenBarrierError):
            everyone_in.wait()
        return real_matches(*args)

    monkeypatch.setattr(tokens, "code_matches", matches_once_all_are_in)
    sub_id = sub.id

    def guess(index: int) -> access.CodeCheck:
        return access.check_code(db.session.get(Subscription, sub_id), wrong, CodeKind.SIGN_UP)

    outcomes = _at_once(app, guess, THREADS)

    assert len(compared) == 5
    assert sorted(outcomes).count(access.CodeCheck.TOO_MANY_TRIES) >= THREADS - 5
    db.session.expire_all()
    assert db.session.get(Subscription, sub_id).code_attempts == 5
    assert access.check_code(db.session.get(Subscription, sub_id), right, CodeKind.SIGN_UP) == "too_many_tries"


def test_two_confirmations_of_one_contact_at_once_leave_one_subscription(app, make_address, monkeypatch):
    first = _pending(make_address, "jonas@example.lt", "1")
    second = _pending(make_address, "JONAS@example.lt", "2")
    ids = [first.id, second.id]
    # Both look for an active subscription of the contact before either has confirmed.
    both_looked = threading.Barrier(2, timeout=5)
    real_lookup = services._active_subscription
    waited = set()

    def lookup_then_wait(sub):
        found = real_lookup(sub)
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            both_looked.wait()
        return found

    monkeypatch.setattr(services, "_active_subscription", lookup_then_wait)

    def confirm(index: int) -> int:
        return services.confirm(db.session.get(Subscription, ids[index])).id

    kept = _at_once(app, confirm, 2)

    db.session.expire_all()
    [subscription] = stored(Subscription)
    assert kept == [subscription.id, subscription.id]
    assert subscription.confirmed_at is not None
    assert len(subscription.address_codes) == 2
