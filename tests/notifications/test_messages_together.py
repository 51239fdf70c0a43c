"""Messages that make sense together: a restored shutoff is "planned again", changes undone before anyone was
told are no news, "hot water is back" for those who asked, an SMS digest that names what fits and counts the rest."""

import re
from datetime import timedelta

from app.extensions import db
from app.notifications.channels.console import SENT
from app.notifications.models import Channel, MessageKind, OutboxMessage, OutboxStatus
from app.notifications.outbox import send_due
from app.notifications.outbox.planning import plan_changes, plan_hot_water_back
from app.notifications.sms_text import septets
from app.shutoffs.models import ShutoffStatus
from app.timeutil import today_in_vilnius, utcnow
from app.wording import date_range
from tests.helpers.html import soup, text_of
from tests.helpers.subscribers import add_sent_reminder, add_subscriber
from tests.notifications.helpers import local, record_change, stored


def _change(shutoff, status, *, first=None, last=None, minutes_ago=0):
    return record_change(shutoff, status, utcnow() - timedelta(minutes=minutes_ago), first=first, last=last)


def _reminded(make_address, make_shutoff, *, days_ahead=5, channel=Channel.EMAIL, contact="jonas@example.lt"):
    home = make_address(street="Žirmūnų g.", number="12A")
    shutoff = make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=days_ahead))
    sub = add_subscriber(channel, contact, home.code)
    reminder = add_sent_reminder(sub, shutoff)
    reminder.sent_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    return sub, shutoff


def test_a_cancelled_shutoff_planned_again_says_so_with_its_days(make_address, make_shutoff):
    _sub, shutoff = _reminded(make_address, make_shutoff)
    _change(shutoff, ShutoffStatus.CANCELLED, minutes_ago=60)
    SENT.clear()
    assert send_due()[1].sent == 1
    assert SENT[-1].subject == "Žirmūnų g. 12A: karšto vandens išjungimas atšauktas"
    _change(shutoff, ShutoffStatus.PLANNED)

    _planned, stats = send_due()

    assert stats.sent == 1
    days = date_range(shutoff.first_day, shutoff.last_day, "lt")
    assert SENT[-1].subject == "Žirmūnų g. 12A: karšto vandens išjungimas vėl planuojamas"
    assert SENT[-1].text.startswith(
        f"Žirmūnų g. 12A: atšauktas karšto vandens išjungimas vėl planuojamas. Karšto vandens nebus {days} "
        "(hidrauliniai bandymai)."
    )
    assert send_due()[1].sent == 0


def test_cancelled_and_planned_again_before_anyone_was_told_is_no_news(make_address, make_shutoff):
    _sub, shutoff = _reminded(make_address, make_shutoff)
    _change(shutoff, ShutoffStatus.CANCELLED, minutes_ago=30)
    _change(shutoff, ShutoffStatus.PLANNED, minutes_ago=20)
    assert plan_changes(today_in_vilnius(), utcnow()) == 0


def test_moved_and_moved_back_before_anyone_was_told_is_no_news(make_address, make_shutoff):
    _sub, shutoff = _reminded(make_address, make_shutoff)
    old = (shutoff.first_day, shutoff.last_day)
    _change(
        shutoff, ShutoffStatus.MOVED, first=old[0] + timedelta(days=7), last=old[1] + timedelta(days=7), minutes_ago=30
    )
    _change(shutoff, ShutoffStatus.MOVED, first=old[0], last=old[1], minutes_ago=20)
    assert plan_changes(today_in_vilnius(), utcnow()) == 0


def test_moved_twice_before_anyone_was_told_names_the_days_they_knew_and_the_latest(make_address, make_shutoff):
    _sub, shutoff = _reminded(make_address, make_shutoff, days_ahead=20)
    known = date_range(shutoff.first_day, shutoff.last_day, "lt")
    start = shutoff.first_day
    _change(
        shutoff, ShutoffStatus.MOVED, first=start + timedelta(days=3), last=start + timedelta(days=3), minutes_ago=30
    )
    _change(
        shutoff, ShutoffStatus.MOVED, first=start + timedelta(days=5), last=start + timedelta(days=6), minutes_ago=20
    )
    SENT.clear()
    assert send_due()[1].sent == 1
    latest = date_range(start + timedelta(days=5), start + timedelta(days=6), "lt")
    assert SENT[-1].text.startswith(
        f"Žirmūnų g. 12A: karšto vandens išjungimas perkeltas. Vietoj {known} karšto vandens nebus {latest}"
    )


def test_a_pending_move_message_overtaken_by_a_cancellation_is_skipped(make_address, make_shutoff):
    _sub, shutoff = _reminded(make_address, make_shutoff, days_ahead=20)
    later = shutoff.first_day + timedelta(days=3)
    _change(shutoff, ShutoffStatus.MOVED, first=later, last=later, minutes_ago=30)
    assert plan_changes(today_in_vilnius(), utcnow()) == 1
    _change(shutoff, ShutoffStatus.CANCELLED, minutes_ago=10)
    SENT.clear()
    assert send_due()[1].sent == 1
    assert SENT[-1].subject == "Žirmūnų g. 12A: karšto vandens išjungimas atšauktas"
    [moved] = stored(OutboxMessage, OutboxMessage.kind == MessageKind.MOVED)
    assert (moved.status, moved.last_error) == (OutboxStatus.SKIPPED, "changed again since")


def _ended_yesterday(make_address, make_shutoff, *, hot_water_back: bool, confirmed_days_ago: int = 10):
    home = make_address(street="Žirmūnų g.", number="12A")
    shutoff = make_shutoff(home, first_day=today_in_vilnius() - timedelta(days=3), days=3)
    sub = add_subscriber(Channel.EMAIL, "jonas@example.lt", home.code, hot_water_back=hot_water_back)
    sub.confirmed_at = utcnow() - timedelta(days=confirmed_days_ago)
    db.session.commit()
    return sub, shutoff


def test_hot_water_is_back_the_day_after_the_last_day_for_those_who_asked(make_address, make_shutoff):
    _sub, shutoff = _ended_yesterday(make_address, make_shutoff, hot_water_back=True)
    SENT.clear()
    assert send_due()[1].sent == 1
    last_day = date_range(shutoff.last_day, shutoff.last_day, "lt")
    [message] = SENT
    assert message.subject == "Žirmūnų g. 12A: karšto vandens išjungimas baigėsi"
    assert message.text.startswith(
        f"Žirmūnų g. 12A: pagal grafiką darbai baigėsi {last_day}, karštas vanduo turėtų būti grąžintas.\n"
        "Jei karšto vandens vis dar nėra, skambinkite Vilniaus šilumos tinklams tel. 1840."
    )
    assert send_due()[1].sent == 0


def test_hot_water_is_back_is_off_by_default(make_address, make_shutoff):
    _ended_yesterday(make_address, make_shutoff, hot_water_back=False)
    assert plan_hot_water_back(today_in_vilnius(), utcnow()) == 0


def test_no_hot_water_is_back_for_a_sign_up_confirmed_after_the_last_day(make_address, make_shutoff):
    _ended_yesterday(make_address, make_shutoff, hot_water_back=True, confirmed_days_ago=0)
    assert plan_hot_water_back(today_in_vilnius(), utcnow()) == 0


def test_no_hot_water_is_back_after_a_cancelled_shutoff(make_address, make_shutoff):
    _sub, shutoff = _ended_yesterday(make_address, make_shutoff, hot_water_back=True)
    shutoff.status = ShutoffStatus.CANCELLED
    db.session.commit()
    assert plan_hot_water_back(today_in_vilnius(), utcnow()) == 0


def test_an_sms_digest_names_every_building_that_fits_and_counts_the_rest(client, make_address, make_shutoff):
    tomorrow = today_in_vilnius() + timedelta(days=1)
    homes = [make_address(street="Kalvarijų g.", number=str(n)) for n in range(1, 8)]
    for home in homes:
        make_shutoff(home, first_day=tomorrow)
    sub = add_subscriber(Channel.SMS, "+37061234567", *(h.code for h in homes), digest=True)
    SENT.clear()

    assert send_due()[1].sent == 7

    [sms] = SENT
    day = date_range(tomorrow, tomorrow, "lt").replace("ž", "z").replace("š", "s").replace("ė", "e")
    listed = re.findall(r"Kalvariju g\. \d", sms.text)
    assert len(listed) == 2
    assert sms.text == (
        f"Karsto vandens nebus: Kalvariju g. 1 {day}; Kalvariju g. 2 {day} +5 daugiau. "
        f"Visi ir atsisakyti: http://localhost/u/{sub.id}.{sub.short_link_secret}"
    )
    assert septets(sms.text) <= 160
    page = client.get(local(sms.text.rsplit(" ", 1)[1]))
    assert [item.get_text() for item in soup(page).select("#upcoming li")] == [
        f"Kalvarijų g. {n}: {date_range(tomorrow, tomorrow, 'lt')} (hidrauliniai bandymai)" for n in range(1, 8)
    ]
    assert text_of(page, "main form button") == "Atsisakyti pranešimų"


def test_an_sms_digest_that_fits_names_every_building(make_address, make_shutoff):
    tomorrow = today_in_vilnius() + timedelta(days=1)
    homes = [make_address(street="Kalvarijų g.", number=str(n)) for n in range(1, 3)]
    for home in homes:
        make_shutoff(home, first_day=tomorrow)
    add_subscriber(Channel.SMS, "+37061234567", *(h.code for h in homes), digest=True)
    SENT.clear()
    send_due()
    [sms] = SENT
    assert "daugiau" not in sms.text
    assert re.findall(r"Kalvariju g\. \d", sms.text) == ["Kalvariju g. 1", "Kalvariju g. 2"]
    assert " Atsisakyti: http://localhost/u/" in sms.text
