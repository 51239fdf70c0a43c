"""Counting the messages a publication will bring, by the outbox's own rules, without writing any."""

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import Channel, MessageKind, OutboxMessage
from app.shutoffs.importer import import_schedule
from app.timeutil import today_in_vilnius, utcnow
from tests.helpers.subscribers import add_sent_reminder, add_subscriber


def preview(schedule_file, *rows: str, **options):
    path = schedule_file(list(rows))
    return import_schedule(path.read_bytes(), path.name, today=today_in_vilnius(), dry_run=True, **options)


def test_a_digest_subscriber_gets_one_reminder_for_all_their_buildings(app, register, schedule_file):
    houses = [a.code for a in register["zirmunu"].addresses if a.number in ("2", "3", "4")]
    add_subscriber(Channel.EMAIL, "digest@example.lt", *houses, digest=True)
    add_subscriber(Channel.EMAIL, "each@example.lt", *houses)
    soon = today_in_vilnius() + timedelta(days=3)
    report = preview(schedule_file, f"Žirmūnų g. 2–4,{soon},{soon},Hidrauliniai bandymai")
    assert dict(report.messages) == {(Channel.EMAIL, MessageKind.REMINDER): 4}  # 1 digest + 3 single
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_unsubscribed_and_unconfirmed_contacts_are_not_counted(app, register, schedule_file):
    house = next(a.code for a in register["zirmunu"].addresses if a.number == "2")
    add_subscriber(Channel.SMS, "+37060000001", house, unsubscribed_at=utcnow())
    add_subscriber(Channel.SMS, "+37060000002", house, confirmed_at=None)
    soon = today_in_vilnius() + timedelta(days=3)
    assert preview(schedule_file, f"Žirmūnų g. 2,{soon},{soon},Hidrauliniai bandymai").messages == {}


def test_a_cancellation_is_told_only_to_those_already_reminded(app, register, schedule_file, make_shutoff):
    two, three = (next(a for a in register["zirmunu"].addresses if a.number == n) for n in ("2", "3"))
    first = today_in_vilnius() + timedelta(days=5)
    reminded = make_shutoff(two, first)
    make_shutoff(three, first)
    add_sent_reminder(add_subscriber(Channel.SMS, "+37060000001", two.code), reminded)
    add_subscriber(Channel.SMS, "+37060000002", three.code, lead_days="1")  # not reminded yet
    report = preview(schedule_file, cancel_missing=True)
    assert report.cancelled == 2
    assert dict(report.messages) == {(Channel.SMS, MessageKind.CANCELLED): 1}
