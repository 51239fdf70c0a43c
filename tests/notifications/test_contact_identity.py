"""One inbox or phone is one subscriber, however its address was written: confirmation, deletion, limits."""

from datetime import UTC, datetime, timedelta

import pytest

from app.notifications import links, services
from app.notifications.channels.console import SENT
from app.notifications.contacts import InvalidContact, identity_key
from app.notifications.limits import contact_key
from app.notifications.models import Channel, Subscription
from app.notifications.outbox import send_due
from app.notifications.tokens import Purpose
from app.timeutil import today_in_vilnius
from tests.helpers.html import csrf_token
from tests.notifications.helpers import link_in, local, sign_up, stored


@pytest.mark.parametrize(
    ("channel", "typed", "key"),
    [
        ("email", "jonas@example.lt", "jonas@example.lt"),
        ("email", " Jonas@Example.LT ", "jonas@example.lt"),
        ("email", "JONAS.PETRAITIS@EXAMPLE.LT", "jonas.petraitis@example.lt"),
        ("sms", "8 612 34567", "+37061234567"),
        ("sms", "+370 612 34567", "+37061234567"),
    ],
)
def test_a_contact_has_one_identity_whatever_its_spelling(channel, typed, key):
    assert identity_key(channel, typed) == key


@pytest.mark.parametrize(("channel", "typed"), [("email", "jonas@"), ("sms", "12345")])
def test_what_is_not_a_contact_has_no_identity(channel, typed):
    with pytest.raises(InvalidContact):
        identity_key(channel, typed)


def _confirm_by_email_link(client, email: str) -> None:
    """Open the confirmation link of the last message to `email` and press the button, as the resident does."""
    [message] = [m for m in SENT if m.to == email and "/subscribe/confirm/" in m.text][-1:]
    url = local(link_in(message.text, "/subscribe/confirm/"))
    assert client.post(url, data={"csrf_token": csrf_token(client.get(url))}).status_code == 303


def test_confirming_two_spellings_of_one_inbox_leaves_one_subscriber_who_gets_one_email_per_reminder(
    client, make_address, make_shutoff
):
    first = make_address(street="Žirmūnų g.", number="1")
    second = make_address(street="Žirmūnų g.", number="2")
    make_shutoff(first, first_day=today_in_vilnius() + timedelta(days=1))
    SENT.clear()
    sign_up(client, address_codes=[first.code], email="jonas@example.lt")
    _confirm_by_email_link(client, "jonas@example.lt")
    sign_up(client, address_codes=[first.code, second.code], email="Jonas@example.lt")
    _confirm_by_email_link(client, "Jonas@example.lt")

    [subscriber] = stored(Subscription)
    assert subscriber.contact == "jonas@example.lt"
    assert subscriber.contact_key == "jonas@example.lt"
    assert subscriber.address_codes == [first.code, second.code]
    SENT.clear()
    assert send_due()[1].sent == 1
    assert [message.to for message in SENT] == ["jonas@example.lt"]
    assert SENT[0].subject.startswith("Žirmūnų g. 1: karšto vandens nebus")


def test_delete_all_my_data_removes_the_subscription_and_every_unconfirmed_spelling_of_the_inbox(client, make_address):
    home = make_address()
    SENT.clear()
    sign_up(client, address_codes=[home.code], email="jonas@example.lt")
    _confirm_by_email_link(client, "jonas@example.lt")
    [old] = stored(Subscription)
    services.unsubscribe(old)
    sign_up(client, address_codes=[home.code], email="Jonas@example.lt")
    _confirm_by_email_link(client, "Jonas@example.lt")
    sign_up(client, address_codes=[home.code], email="JONAS@EXAMPLE.LT")  # pending, never confirmed
    sign_up(client, address_codes=[home.code], email="petras@example.lt")  # someone else
    assert [s.contact for s in stored(Subscription)] == [
        "jonas@example.lt",
        "Jonas@example.lt",
        "JONAS@example.lt",
        "petras@example.lt",
    ]
    [current] = stored(Subscription, Subscription.contact == "Jonas@example.lt")

    url = f"/manage/{links.token(current, Purpose.MANAGE)}/delete"
    assert client.post(url, data={"csrf_token": csrf_token(client.get(url))}).status_code == 303
    # The subscription the link names and the sign-ups never confirmed; the one unsubscribed earlier has a
    # manage link of its own.
    assert [s.contact for s in stored(Subscription)] == ["jonas@example.lt", "petras@example.lt"]


def _pending(make_address, email: str, version: str, consented_at: datetime, code: str) -> Subscription:
    [row] = services.start_subscriptions(
        email=email,
        phone=None,
        address_codes=[make_address(number=code[-1], code=code).code],
        language="lt",
        lead_days=[10, 1],
        consent_text=f"Sutikimas {version}",
        consent_version=version,
    )
    row.subscription.consented_at = consented_at
    return row.subscription


@pytest.mark.parametrize("confirmed_first", ["earlier", "later"])
def test_merging_keeps_the_earliest_consent_and_every_building(app, make_address, confirmed_first):
    earlier = _pending(make_address, "jonas@example.lt", "2026-01-01", datetime(2026, 1, 1, 9, tzinfo=UTC), "1001")
    later = _pending(make_address, "Jonas@Example.lt", "2026-11-25", datetime(2026, 11, 25, 9, tzinfo=UTC), "1002")
    first, second = (earlier, later) if confirmed_first == "earlier" else (later, earlier)
    services.confirm(first)
    kept = services.confirm(second)

    [subscriber] = stored(Subscription)
    assert subscriber.id == kept.id
    assert subscriber.consent_version == "2026-01-01"
    assert subscriber.consent_text == "Sutikimas 2026-01-01"
    assert subscriber.consented_at == datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert sorted(subscriber.address_codes) == ["1001", "1002"]


def test_two_confirmations_of_one_inbox_at_once_still_leave_one_subscriber(app, make_address, monkeypatch):
    one = _pending(make_address, "jonas@example.lt", "v1", datetime(2026, 1, 1, tzinfo=UTC), "1001")
    other = _pending(make_address, "JONAS@example.lt", "v2", datetime(2026, 1, 2, tzinfo=UTC), "1002")
    services.confirm(one)
    # The second request looked before the first one committed: it saw no active subscription.
    real_lookup = services._active_subscription
    lookups = []

    def lookup_too_early(sub: Subscription) -> Subscription | None:
        lookups.append(sub.id)
        return None if len(lookups) == 1 else real_lookup(sub)

    monkeypatch.setattr(services, "_active_subscription", lookup_too_early)
    other_id = other.id
    kept = services.confirm(other)

    assert lookups == [other_id, other_id]  # the database refused the second active subscription; merged instead

    [subscriber] = stored(Subscription)
    assert subscriber.id == kept.id
    assert subscriber.contact == "jonas@example.lt"
    assert sorted(subscriber.address_codes) == ["1001", "1002"]


@pytest.mark.parametrize(
    ("field", "typed", "bucket"),
    [
        ("email", " Jonas@Example.LT ", "email:jonas@example.lt"),
        ("email", "Not An Address", "email:not an address"),
        ("phone", "8 612 34567", "phone:+37061234567"),
    ],
)
def test_the_rate_limit_counts_a_contact_by_its_identity(app, field, typed, bucket):
    channel = Channel.EMAIL if field == "email" else Channel.SMS
    with app.test_request_context("/subscribe", method="POST", data={field: typed}):
        assert contact_key(channel, field) == bucket


def test_a_fourth_sign_up_of_one_inbox_in_an_hour_is_refused_however_it_is_spelled(client, make_address):
    home = make_address()
    for spelling in ("jonas@example.lt", "Jonas@example.lt", "JONAS@example.lt"):
        assert sign_up(client, address_codes=[home.code], email=spelling).status_code == 303
    assert sign_up(client, address_codes=[home.code], email="jonas@EXAMPLE.LT").status_code == 429
