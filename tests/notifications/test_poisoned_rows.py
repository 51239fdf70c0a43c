"""One bad message never stops the rest: whatever goes wrong is recorded on its row, and the run goes on.

Run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL; sent to a real SMTP server (aiosmtpd) on loopback.
"""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from app.extensions import db
from app.notifications.models import Channel, OutboxMessage, OutboxStatus, Subscription
from app.notifications.outbox import send_due
from app.notifications.outbox.sender import MAX_ATTEMPTS
from app.timeutil import today_in_vilnius
from tests.helpers.subscribers import add_subscriber
from tests.notifications.helpers import Mailbox, free_port, stored

# Stored before sign-up checked such things (a legacy import): a header smuggled into the address, and a
# local part in Unicode, which this SMTP server (no SMTPUTF8) cannot take.
SMUGGLED = "petras@example.lt\r\nBcc: everyone@example.lt"
UNICODE_LOCAL_PART = "jūratė@example.lt"


@pytest.fixture
def smtp_server():
    """The loopback SMTP server, without SMTPUTF8 (as many servers still are)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=False)
    controller.start()
    yield controller, mailbox
    controller.stop()


def _batch(make_address, make_shutoff) -> list[Subscription]:
    """Seven subscribers with a shutoff tomorrow; the 3rd and 5th are poisoned."""
    contacts = [f"resident{n}@example.lt" for n in range(7)]
    contacts[2], contacts[4] = SMUGGLED, UNICODE_LOCAL_PART
    subscribers = []
    for n, contact in enumerate(contacts):
        home = make_address(number=str(n + 1))
        make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
        subscriber = add_subscriber(Channel.EMAIL, f"resident{n}@example.lt", home.code)
        subscriber.contact = contact  # written past the sign-up's checks
        subscribers.append(subscriber)
    db.session.commit()
    return subscribers


def test_poisoned_rows_in_the_middle_of_a_batch_leave_every_other_message_sent(
    runner, real_channels, make_address, make_shutoff
):
    mailbox, _gateway = real_channels
    subscribers = _batch(make_address, make_shutoff)

    result = runner.invoke(args=["notify", "send"])

    assert result.exit_code == 1
    assert "planned=7 sent=5 retry_later=1 failed=1 skipped=0" in result.output
    assert "1 failed for good, 1 to retry later" in result.output
    expected = [s.contact for n, s in enumerate(subscribers) if n not in (2, 4)]
    assert sorted(to for _, tos in mailbox.envelopes for to in tos) == sorted(expected)
    assert all("everyone@example.lt" not in str(message) for message in mailbox.messages)
    smuggled, unicode = (stored(OutboxMessage, OutboxMessage.subscription_id == subscribers[n].id)[0] for n in (2, 4))
    assert (smuggled.status, smuggled.attempts) == (OutboxStatus.PENDING, 1)
    assert smuggled.last_error == "ValueError: a header value holds a line break"
    assert smuggled.next_attempt_at > smuggled.attempted_at
    assert (unicode.status, unicode.attempts) == (OutboxStatus.FAILED, 1)
    assert unicode.last_error == "the SMTP server does not take internationalised addresses (no SMTPUTF8)"


def test_a_message_that_keeps_failing_to_build_fails_for_good_with_its_reason(
    real_channels, make_address, make_shutoff
):
    mailbox, _gateway = real_channels
    subscribers = _batch(make_address, make_shutoff)
    send_due()
    smuggled = stored(OutboxMessage, OutboxMessage.subscription_id == subscribers[2].id)[0]
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == smuggled.id)
        .values(attempts=MAX_ATTEMPTS - 1, next_attempt_at=smuggled.created_at)
    )
    db.session.commit()

    _planned, stats = send_due()

    assert (stats.sent, stats.failed, stats.retried) == (0, 1, 0)
    db.session.expire_all()
    failed = db.session.get(OutboxMessage, smuggled.id)
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert failed.last_error == "ValueError: a header value holds a line break"
    assert len(mailbox.messages) == 5
