"""The sender in detail: why a row is skipped, digests, failures and retries, claims that were taken over."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.notifications.channels import DeliveryChannel, PermanentFailure, TemporaryFailure
from app.notifications.models import Channel, MessageKind, OutboxMessage, OutboxStatus
from app.notifications.outbox import send_due, send_now
from app.notifications.outbox import sender as sender_module
from app.notifications.outbox.claims import claim, finish, mark_sent
from app.notifications.outbox.planning import plan_reminders
from app.notifications.outbox.sender import Sender, SendStats, backoff, still_wanted
from app.shutoffs.models import ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow
from tests.notifications.helpers import stored

TODAY = date(2026, 6, 1)


class RecordingChannel(DeliveryChannel):
    """Takes every message (provider ids p1, p2 …), or raises what it is told to."""

    def __init__(self, failure: Exception | None = None):
        self.messages = []
        self.failure = failure

    def send(self, message) -> str:
        if self.failure:
            raise self.failure
        self.messages.append(message)
        return f"p{len(self.messages)}"


def _row(
    kind=MessageKind.REMINDER,
    *,
    variant="2026-06-03",
    unsubscribed=None,
    confirmed=True,
    followed=("A",),
    undeliverable=None,
    changes=(1,),
):
    sub = SimpleNamespace(
        unsubscribed_at=unsubscribed,
        confirmed_at=utcnow() if confirmed else None,
        address_codes=list(followed),
        undeliverable_at=undeliverable,
    )
    shutoff = SimpleNamespace(
        address_code="A",
        status=ShutoffStatus.PLANNED,
        first_day=date(2026, 6, 3),
        last_day=date(2026, 6, 4),
        changes=[SimpleNamespace(id=change_id) for change_id in changes],
    )
    return SimpleNamespace(subscription=sub, kind=kind, shutoff=shutoff, variant=variant)


def _with(row, **changes):
    for name, value in changes.items():
        target, _, attribute = name.partition("__")
        setattr(getattr(row, target), attribute, value)
    return row


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_row(), None),
        (_row(unsubscribed=utcnow()), "unsubscribed"),
        (_row(MessageKind.CONFIRMATION, confirmed=False), None),
        (_row(MessageKind.CONFIRMATION), "already confirmed"),
        (_row(confirmed=False), "not confirmed"),
        (_with(_row(), shutoff__address_code="B"), "address no longer followed"),
        (_with(_row(), shutoff__status=ShutoffStatus.CANCELLED), "shutoff cancelled"),
        (_row(variant="2026-05-30"), "shutoff moved"),
        (_with(_row(variant="2026-06-01"), shutoff__first_day=TODAY), "too late"),
        (_row(undeliverable=utcnow()), "contact undeliverable"),
        (_row(MessageKind.CONFIRMATION, confirmed=False, undeliverable=utcnow()), None),
        (_row(MessageKind.MANAGE, unsubscribed=utcnow()), None),
        (_row(MessageKind.MANAGE, confirmed=False), "not confirmed"),
        (_with(_row(MessageKind.CANCELLED, variant="change-1"), shutoff__status=ShutoffStatus.CANCELLED), None),
        (_with(_row(MessageKind.MOVED, variant="change-1"), shutoff__status=ShutoffStatus.MOVED), None),
        (_row(MessageKind.MOVED, variant="change-1:2026-05-30:2026-05-31", changes=(1,)), None),
        (_row(MessageKind.MOVED, variant="change-1", changes=(1, 2)), "changed again since"),
        (_row(MessageKind.RESTORED, variant="change-1", changes=(1, 2)), "changed again since"),
        (_with(_row(MessageKind.HOT_WATER_BACK, variant="2026-05-31"), shutoff__last_day=date(2026, 5, 31)), None),
        (_row(MessageKind.HOT_WATER_BACK, variant="2026-05-29"), "shutoff changed"),
        (
            _with(_row(MessageKind.HOT_WATER_BACK, variant="2026-05-29"), shutoff__last_day=date(2026, 5, 29)),
            "too late",
        ),
    ],
)
def test_a_claimed_row_is_sent_only_while_it_is_still_true_and_wanted(row, reason):
    assert still_wanted(row, TODAY) == reason


def test_a_row_whose_shutoff_was_deleted_is_skipped():
    row = _row()
    row.shutoff = None
    assert still_wanted(row, TODAY) == "shutoff deleted"


def test_retries_wait_1_2_4_minutes_and_so_on_up_to_6_hours():
    waits = [backoff(attempts) / timedelta(minutes=1) for attempts in (1, 2, 3, 4, 9, 10, 20)]
    assert waits == [1, 2, 4, 8, 256, 360, 360]


def test_send_stats_add_up():
    total = SendStats(sent=1, failed=2, retried=3, skipped=4, errors=["a"])
    total.add(SendStats(sent=10, failed=20, retried=30, skipped=40, errors=["b"]))
    assert total == SendStats(sent=11, failed=22, retried=33, skipped=44, errors=["a", "b"])


@pytest.fixture
def due_reminders(subscriber, make_address, make_shutoff):
    """`due_reminders(n, digest=False)`: n buildings with a shutoff tomorrow followed by one subscriber, planned."""

    def make(count: int, digest: bool = False) -> list[OutboxMessage]:
        homes = [make_address(number=str(n)) for n in range(1, count + 1)]
        for home in homes:
            make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
        subscriber(*homes, digest=digest)
        assert plan_reminders(today_in_vilnius(), utcnow()) == count
        return stored(OutboxMessage)

    return make


def test_a_digest_of_several_reminders_is_one_message_and_every_row_is_marked_sent(due_reminders):
    rows = due_reminders(3, digest=True)
    channel = RecordingChannel()
    with Sender(channels={Channel.EMAIL: channel}) as sender:
        stats = sender.run()
    assert stats == SendStats(sent=3)
    [message] = channel.messages
    assert message.idempotency_key == f"digest-{rows[0].id}"
    assert message.subject == "Karšto vandens išjungimai jūsų pastatuose: 3"
    marked = [(r.status, r.provider_id, r.claim_token, r.lease_until) for r in stored(OutboxMessage)]
    assert marked == [(OutboxStatus.SENT, "p1", None, None)] * 3
    assert all(r.sent_at is not None for r in stored(OutboxMessage))


def test_a_digest_subscriber_with_one_reminder_due_gets_the_digest_message(due_reminders):
    [row] = due_reminders(1, digest=True)
    channel = RecordingChannel()
    with Sender(channels={Channel.EMAIL: channel}) as sender:
        sender.run()
    [message] = channel.messages
    assert message.idempotency_key == f"digest-{row.id}"
    assert message.subject == "Karšto vandens išjungimai jūsų pastatuose: 1"


@pytest.mark.parametrize("digest", [False, True])
def test_a_refused_message_is_failed_for_good_after_one_attempt(due_reminders, digest):
    due_reminders(2, digest=digest)
    with Sender(channels={Channel.EMAIL: RecordingChannel(PermanentFailure("550 no such user"))}) as sender:
        stats = sender.run()
    assert stats == SendStats(failed=2, errors=["550 no such user"] * (1 if digest else 2))
    failed = [(r.status, r.attempts, r.last_error, r.claim_token) for r in stored(OutboxMessage)]
    assert failed == [(OutboxStatus.FAILED, 1, "550 no such user", None)] * 2


def test_a_temporary_failure_is_retried_later_with_the_reason_kept(due_reminders):
    due_reminders(2)
    before = utcnow()
    with Sender(channels={Channel.EMAIL: RecordingChannel(TemporaryFailure("421 try later"))}) as sender:
        stats = sender.run()
    assert stats == SendStats(retried=2, errors=["421 try later", "421 try later"])
    rows = stored(OutboxMessage)
    assert [(r.status, r.attempts, r.last_error) for r in rows] == [(OutboxStatus.PENDING, 1, "421 try later")] * 2
    assert all(before + timedelta(minutes=1) <= r.next_attempt_at <= utcnow() + timedelta(minutes=1) for r in rows)


def test_the_eighth_temporary_failure_is_the_last(due_reminders):
    [row] = due_reminders(1)
    row.attempts = 7
    db.session.commit()
    with Sender(channels={Channel.EMAIL: RecordingChannel(TemporaryFailure("421 try later"))}) as sender:
        stats = sender.run()
    assert stats == SendStats(failed=1, errors=["421 try later"])
    [failed] = stored(OutboxMessage)
    assert (failed.status, failed.attempts, failed.last_error) == (OutboxStatus.FAILED, 8, "421 try later")


def test_send_due_counts_what_it_planned_and_sends_in_batches(due_reminders, subscriber, make_address, make_shutoff):
    due_reminders(4)  # already planned
    home = make_address(number="9")
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    subscriber(home, contact="ona@example.lt")  # planned by the next run
    planned, stats = send_due(batch_size=2, max_batches=1)
    assert (planned, stats.sent) == (1, 2)
    assert send_due(batch_size=1, max_batches=2) == (0, SendStats(sent=2))
    assert send_due() == (0, SendStats(sent=1))


def test_send_now_sends_only_the_rows_it_is_given(due_reminders):
    _first, second = due_reminders(2)
    assert send_now([second.id]).sent == 1
    assert [r.status for r in stored(OutboxMessage)] == [OutboxStatus.PENDING, OutboxStatus.SENT]


def test_an_sms_reminder_leaves_the_confirmation_code_alone(app, subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    sub = subscriber(home)
    sub.channel, sub.contact, sub.contact_key = Channel.SMS, "+37061234567", "+37061234567"
    db.session.commit()
    plan_reminders(today_in_vilnius(), utcnow())
    channel = RecordingChannel()
    with Sender(channels={Channel.SMS: channel}) as sender:
        assert sender.run().sent == 1
    assert channel.messages[0].to == "+37061234567"
    assert db.session.get(type(sub), sub.id).code_hash is None


class SentCountingChannel(RecordingChannel):
    """Notes, as each message goes, how many rows the database already has marked sent."""

    def __init__(self):
        super().__init__()
        self.marked_before = []

    def send(self, message) -> str:
        marked = db.session.execute(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)
        )
        self.marked_before.append(marked.scalar())
        return super().send(message)


def test_accepted_messages_are_marked_sent_ten_at_a_time_and_at_the_end_of_the_batch(due_reminders):
    due_reminders(25)
    channel = SentCountingChannel()
    with Sender(channels={Channel.EMAIL: channel}) as sender:
        assert sender.run(batch_size=50).sent == 25
    # A sender killed at any moment leaves at most ten accepted messages unmarked (offered again later).
    assert channel.marked_before == [0] * 10 + [10] * 10 + [20] * 5
    assert [r.status for r in stored(OutboxMessage)] == [OutboxStatus.SENT] * 25
    assert [r.provider_id for r in stored(OutboxMessage)] == [f"p{n}" for n in range(1, 26)]


def test_a_batch_near_the_end_of_its_lease_keeps_what_went_marked_and_gives_the_rest_back(due_reminders, monkeypatch):
    due_reminders(3)
    token, lease_until, claimed = claim(10, 60)
    clock = {"late": False}  # the first message took almost the whole lease
    monkeypatch.setattr(sender_module, "utcnow", lambda: lease_until if clock["late"] else utcnow())

    class SlowChannel(RecordingChannel):
        def send(self, message) -> str:
            clock["late"] = True
            return super().send(message)

    with Sender(channels={Channel.EMAIL: SlowChannel()}) as sender:
        assert sender.send_claimed(token, lease_until, claimed) == SendStats(sent=1)
    rows = stored(OutboxMessage)
    assert [(r.status, r.provider_id, r.claim_token) for r in rows] == [
        (OutboxStatus.SENT, "p1", None),
        (OutboxStatus.PENDING, None, None),
        (OutboxStatus.PENDING, None, None),
    ]


def test_an_outcome_is_recorded_only_while_the_claim_is_ours(due_reminders):
    first, second = due_reminders(2)
    token, _lease, claimed = claim(10, 60)
    assert claimed == [first.id, second.id]
    assert mark_sent(db.session, "another-senders-token", [(first.id, "p9", utcnow())]) == 0
    assert finish(db.session, [second.id], "another-senders-token", status=OutboxStatus.PENDING) is False
    assert [(r.status, r.claim_token) for r in stored(OutboxMessage)] == [(OutboxStatus.SENDING, token)] * 2

    assert mark_sent(db.session, token, [(first.id, "p1", utcnow())]) == 1
    assert finish(db.session, [first.id, second.id], token, status=OutboxStatus.PENDING) is False  # first is done
    rows = stored(OutboxMessage)
    assert [(r.status, r.provider_id, r.claim_token, r.lease_until) for r in rows] == [
        (OutboxStatus.SENT, "p1", None, None),
        (OutboxStatus.PENDING, None, None, None),
    ]
    assert rows[0].sent_at is not None


def test_finishing_some_claimed_rows_leaves_the_others_claimed(due_reminders):
    first, _second = due_reminders(2)
    token, _lease, _claimed = claim(10, 60)
    assert finish(db.session, [first.id], token, status=OutboxStatus.SKIPPED, last_error="unsubscribed") is True
    rows = stored(OutboxMessage)
    assert [(r.status, r.claim_token) for r in rows] == [(OutboxStatus.SKIPPED, None), (OutboxStatus.SENDING, token)]


class TakenOverChannel(RecordingChannel):
    """While the message is with the provider, another sender takes the row over (our lease ran out)."""

    def send(self, message) -> str:
        row_id = int(message.idempotency_key.removeprefix("outbox-"))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(claim_token="theirs"))
        db.session.commit()
        return super().send(message)


def test_a_row_taken_over_while_it_was_sent_is_left_to_the_other_sender_and_logged(due_reminders, caplog):
    [row] = due_reminders(1)
    with Sender(channels={Channel.EMAIL: TakenOverChannel()}) as sender:
        assert sender.run().sent == 1
    [left] = stored(OutboxMessage)
    assert (left.status, left.claim_token) == (OutboxStatus.SENDING, "theirs")
    assert caplog.messages == [
        f"1 of outbox rows [{row.id}] were taken over by another sender after their lease ran out"
    ]


def test_a_claim_holds_the_rows_for_the_lease_and_the_next_claim_takes_them_over_after_it(due_reminders):
    [row] = due_reminders(1)
    before = utcnow()
    _token, lease_until, claimed = claim(10, 60)
    assert claimed == [row.id]
    assert timedelta(seconds=60) <= lease_until - before <= timedelta(seconds=61)
    [held] = stored(OutboxMessage)
    assert held.lease_until == lease_until
    assert claim(10, 60)[2] == []
    held.lease_until = utcnow() - timedelta(seconds=1)  # the sender died; its lease ran out
    db.session.commit()
    assert claim(10, 60)[2] == [row.id]
