"""Planning is idempotent, claims never overlap, leases expire, changes reach those already told."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.notifications.channels.console import SENT
from app.notifications.models import MessageKind, OutboxMessage, OutboxStatus, Subscription
from app.notifications.outbox import send_due
from app.notifications.outbox.claims import claim
from app.notifications.outbox.planning import plan_changes, plan_reminders, reminder_lead
from app.notifications.outbox.sender import Sender
from app.notifications.services import purge_unconfirmed, unsubscribe
from app.shutoffs.models import ShutoffChange, ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow
from app.wording import date_range
from tests.notifications.helpers import record_change, stored


@pytest.mark.parametrize(
    ("days_ahead", "leads", "expected"),
    [(10, [10, 1], 10), (5, [10, 1], 10), (1, [10, 1], 1), (11, [10, 1], None), (0, [10, 1], None), (3, [1], None)],
)
def test_the_reminder_due_is_the_nearest_lead_time_already_reached(days_ahead, leads, expected):
    today = date(2026, 6, 1)
    assert reminder_lead(today + timedelta(days=days_ahead), today, leads) == expected


def test_planning_twice_creates_each_reminder_once(subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    subscriber(home)
    now = utcnow()
    assert plan_reminders(today_in_vilnius(), now) == 1
    assert plan_reminders(today_in_vilnius(), now) == 0
    assert len(stored(OutboxMessage)) == 1


def test_unconfirmed_and_cancelled_get_no_reminders(subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1), status=ShutoffStatus.CANCELLED)
    other = make_address(number="2")
    make_shutoff(other, first_day=today_in_vilnius() + timedelta(days=1))
    subscriber(home)
    subscriber(other, confirmed=False, contact="x@example.lt")
    assert plan_reminders(today_in_vilnius(), utcnow()) == 0


def test_two_senders_never_claim_the_same_row(subscriber, make_address, make_shutoff):
    for number in range(1, 11):
        home = make_address(number=str(number))
        make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
        subscriber(home, contact=f"n{number}@example.lt")
    plan_reminders(today_in_vilnius(), utcnow())
    _t1, _l1, first = claim(6, 60)
    _t2, _l2, second = claim(6, 60)
    assert len(first) == 6
    assert len(second) == 4
    assert set(first) & set(second) == set()
    assert claim(6, 60)[2] == []


def test_a_sender_killed_halfway_leaves_rows_another_takes_when_the_lease_ends(subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    subscriber(home)
    plan_reminders(today_in_vilnius(), utcnow())
    _token, _lease, claimed = claim(10, 60)  # ...and the sender dies here
    assert claim(10, 60)[2] == []
    row = db.session.get(OutboxMessage, claimed[0])
    row.lease_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert send_due()[1].sent == 1
    assert db.session.get(OutboxMessage, claimed[0]).status == OutboxStatus.SENT


def test_a_row_claimed_before_an_unsubscribe_is_skipped_and_nothing_is_sent(subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    sub = subscriber(home)
    assert plan_reminders(today_in_vilnius(), utcnow()) == 1
    token, lease_until, claimed = claim(10, 60)
    unsubscribe(sub)  # the resident presses the button while the sender holds the row
    SENT.clear()
    with Sender() as sender:
        stats = sender.send_claimed(token, lease_until, claimed)
    assert (stats.sent, stats.skipped) == (0, 1)
    assert list(SENT) == []
    [row] = stored(OutboxMessage)
    assert row.status == OutboxStatus.SKIPPED
    assert row.last_error == "unsubscribed"


def _sent_reminder(subscriber, make_address, make_shutoff, first_day):
    home = make_address()
    shutoff = make_shutoff(home, first_day=first_day, last_day=first_day + timedelta(days=2))
    sub = subscriber(home)
    assert send_due()[1].sent == 1
    return shutoff, sub


def test_a_moved_shutoff_is_one_message_with_the_new_days_and_the_next_lead_time_still_reminds(
    subscriber, make_address, make_shutoff
):
    today = today_in_vilnius()
    shutoff, _sub = _sent_reminder(subscriber, make_address, make_shutoff, today + timedelta(days=1))
    old_first, old_last = shutoff.first_day, shutoff.last_day
    shutoff.first_day, shutoff.last_day, shutoff.status = (
        today + 8 * timedelta(days=1),
        today + timedelta(days=9),
        ShutoffStatus.MOVED,
    )
    db.session.add(
        ShutoffChange(
            shutoff=shutoff,
            status=ShutoffStatus.MOVED,
            previous_first_day=old_first,
            previous_last_day=old_last,
            first_day=shutoff.first_day,
            last_day=shutoff.last_day,
            changed_at=utcnow() + timedelta(seconds=1),
        )
    )
    db.session.commit()
    SENT.clear()
    _planned, stats = send_due()
    assert stats.sent == 1  # not "moved" plus a reminder for the new days (8 days ahead, the 10-day lead)
    [message] = SENT
    assert message.subject == "Žirmūnų g. 1: karšto vandens išjungimas perkeltas"
    new_days = date_range(today + timedelta(days=8), today + timedelta(days=9), "lt")
    assert f"karšto vandens nebus {new_days} (hidrauliniai bandymai)" in message.text
    [skipped] = stored(OutboxMessage, OutboxMessage.status == OutboxStatus.SKIPPED)
    assert (skipped.kind, skipped.lead_days, skipped.last_error) == ("reminder", 10, "told in the change message")
    assert send_due()[1].sent == 0
    # The day before the new first day, the 1-day reminder comes as usual.
    assert plan_reminders(today + timedelta(days=7), utcnow()) == 1


def test_a_cancelled_shutoff_tells_only_those_already_reminded(subscriber, make_address, make_shutoff):
    today = today_in_vilnius()
    shutoff, _sub = _sent_reminder(subscriber, make_address, make_shutoff, today + timedelta(days=1))
    never_told = subscriber(shutoff.address, contact="late@example.lt")
    shutoff.status = ShutoffStatus.CANCELLED
    db.session.add(
        ShutoffChange(
            shutoff=shutoff,
            status=ShutoffStatus.CANCELLED,
            first_day=shutoff.first_day,
            last_day=shutoff.last_day,
            changed_at=utcnow() + timedelta(seconds=1),
        )
    )
    db.session.commit()
    assert plan_changes(today, utcnow()) == 1
    SENT.clear()
    assert send_due()[1].sent == 1
    assert "atšauktas" in SENT[0].subject
    assert SENT[0].to == "jonas@example.lt"
    assert stored(OutboxMessage, OutboxMessage.subscription_id == never_told.id) == []


def test_a_digest_subscription_gets_one_message_for_all_its_buildings(subscriber, make_address, make_shutoff):
    homes = [make_address(number=str(n)) for n in range(1, 6)]
    for home in homes:
        make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    subscriber(*homes, digest=True)
    SENT.clear()
    assert send_due()[1].sent == 5
    assert len(SENT) == 1
    assert all(home.label in SENT[0].text for home in homes)


def test_unconfirmed_sign_ups_are_purged_after_seven_days(subscriber):
    old = subscriber(confirmed=False)
    old.created_at = utcnow() - timedelta(days=8)
    fresh = subscriber(confirmed=False, contact="fresh@example.lt")
    kept = subscriber(contact="kept@example.lt")
    kept.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    assert purge_unconfirmed() == 1
    assert [s.id for s in stored(Subscription)] == [fresh.id, kept.id]


def test_a_planned_reminder_records_its_lead_time_and_the_first_day_it_announces(
    subscriber, make_address, make_shutoff
):
    home = make_address()
    first_day = today_in_vilnius() + timedelta(days=5)
    shutoff = make_shutoff(home, first_day=first_day)
    sub = subscriber(home, lead_days=(10, 1))
    assert plan_reminders(today_in_vilnius(), utcnow()) == 1
    [row] = stored(OutboxMessage)
    assert (row.subscription_id, row.shutoff_id, row.kind, row.lead_days) == (sub.id, shutoff.id, "reminder", 10)
    assert (row.variant, row.status, row.attempts) == (first_day.isoformat(), OutboxStatus.PENDING, 0)


@pytest.mark.parametrize(("days_ahead", "planned"), [(14, 1), (15, 0)])
def test_the_longest_lead_time_reaches_14_days_ahead(subscriber, make_address, make_shutoff, days_ahead, planned):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=days_ahead))
    subscriber(home, lead_days=(14,))
    assert plan_reminders(today_in_vilnius(), utcnow()) == planned


def test_an_unsubscribed_contact_gets_no_reminder_planned(subscriber, make_address, make_shutoff):
    home = make_address()
    make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
    unsubscribe(subscriber(home))
    assert plan_reminders(today_in_vilnius(), utcnow()) == 0


def _reminded(subscriber, make_address, make_shutoff, *, sent_days_ago=2, lead_days=(10,), contact="jonas@example.lt"):
    """A subscriber reminded (one SENT row per lead time) of a shutoff 3 days ahead."""
    home = make_address()
    shutoff = make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=3))
    sub = subscriber(home, lead_days=lead_days, contact=contact)
    for lead in lead_days:
        db.session.add(
            OutboxMessage(
                subscription_id=sub.id,
                shutoff_id=shutoff.id,
                kind=MessageKind.REMINDER,
                lead_days=lead,
                variant=shutoff.first_day.isoformat(),
                status=OutboxStatus.SENT,
                sent_at=utcnow() - timedelta(days=sent_days_ago),
            )
        )
    db.session.commit()
    return sub, shutoff


def _moved(shutoff, *, days_later=7, changed_days_ago=1, note_only=False):
    shift = timedelta(days=0 if note_only else days_later)
    status = shutoff.status if note_only else ShutoffStatus.MOVED
    changed_at = utcnow() - timedelta(days=changed_days_ago)
    return record_change(shutoff, status, changed_at, first=shutoff.first_day + shift, last=shutoff.last_day + shift)


def test_a_move_is_planned_once_for_a_subscriber_reminded_twice(subscriber, make_address, make_shutoff):
    sub, shutoff = _reminded(subscriber, make_address, make_shutoff, lead_days=(10, 1))
    _moved(shutoff, note_only=True)  # only the note changed: not news
    change = _moved(shutoff)
    assert plan_changes(today_in_vilnius(), utcnow()) == 1
    [row] = stored(OutboxMessage, OutboxMessage.kind != MessageKind.REMINDER)
    assert (row.subscription_id, row.shutoff_id, row.kind) == (sub.id, shutoff.id, "moved")
    known_days = f"{change.previous_first_day.isoformat()}:{change.previous_last_day.isoformat()}"
    assert (row.lead_days, row.variant, row.status) == (0, f"change-{change.id}:{known_days}", OutboxStatus.PENDING)


def test_a_note_edited_after_a_move_is_not_another_move(subscriber, make_address, make_shutoff):
    _sub, shutoff = _reminded(subscriber, make_address, make_shutoff)
    shutoff.status = ShutoffStatus.MOVED  # moved before the reminder went out
    db.session.commit()
    _moved(shutoff, note_only=True)
    assert plan_changes(today_in_vilnius(), utcnow()) == 0


def test_a_change_to_moved_without_the_old_days_is_still_a_move(subscriber, make_address, make_shutoff):
    _sub, shutoff = _reminded(subscriber, make_address, make_shutoff)
    change = _moved(shutoff)
    change.previous_first_day = change.previous_last_day = None
    db.session.commit()
    assert plan_changes(today_in_vilnius(), utcnow()) == 1


def test_every_subscriber_reminded_is_told_of_a_move(subscriber, make_address, make_shutoff):
    first, shutoff = _reminded(subscriber, make_address, make_shutoff)
    second, other = _reminded(subscriber, make_address, make_shutoff, contact="ona@example.lt")
    _moved(shutoff)
    _moved(other)
    assert plan_changes(today_in_vilnius(), utcnow()) == 2
    told = stored(OutboxMessage, OutboxMessage.kind == MessageKind.MOVED)
    assert [row.subscription_id for row in told] == [first.id, second.id]


@pytest.mark.parametrize(
    "case", ["unsubscribed since", "changed before the reminder", "changed over 60 days ago", "already over"]
)
def test_no_change_message_is_planned_when_it_is_not_news(subscriber, make_address, make_shutoff, case):
    sub, shutoff = _reminded(subscriber, make_address, make_shutoff, sent_days_ago=70 if "60" in case else 2)
    if case == "unsubscribed since":
        _moved(shutoff)
        unsubscribe(sub)
    elif case == "changed before the reminder":
        _moved(shutoff, changed_days_ago=3)
    elif case == "changed over 60 days ago":
        _moved(shutoff, changed_days_ago=61)
    else:
        _moved(shutoff, days_later=-10)  # moved into the past: it ended a week ago
    assert plan_changes(today_in_vilnius(), utcnow()) == 0
