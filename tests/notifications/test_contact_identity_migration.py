"""Migration 0004 on a database seeded at 0003 with one inbox (and one phone) subscribed twice."""

from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.notifications.models import OutboxMessage, Subscription
from tests.helpers.migrations import migrate_empty_database
from tests.notifications.helpers import stored

# The tables as revision 0003 left them (only the columns a row needs).
streets = sa.table("streets", *(sa.column(c) for c in ("code", "name", "type_word", "type_abbr")))
addresses = sa.table("addresses", *(sa.column(c) for c in ("code", "street_code", "number", "block", "postcode")))
shutoffs = sa.table(
    "shutoffs",
    *(sa.column(c) for c in ("id", "address_code", "first_day", "last_day", "kind", "note", "status", "source_key")),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)
subscriptions = sa.table(
    "notification_subscriptions",
    *(sa.column(c) for c in ("id", "channel", "contact", "language", "lead_days_csv", "digest", "consent_text")),
    *(sa.column(c) for c in ("consent_version", "token_nonce", "code_attempts")),
    *(sa.column(c, sa.DateTime) for c in ("consented_at", "created_at", "confirmed_at", "unsubscribed_at")),
)
links = sa.table(
    "notification_subscription_addresses", *(sa.column(c) for c in ("id", "subscription_id", "address_code"))
)
outbox = sa.table(
    "notification_outbox",
    *(sa.column(c) for c in ("id", "subscription_id", "shutoff_id", "kind", "lead_days", "variant", "status")),
    sa.column("attempts"),
    *(sa.column(c, sa.DateTime) for c in ("next_attempt_at", "created_at", "sent_at")),
)


def _at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 0)  # naive UTC, as the column stores it


def _subscription(sub_id, channel, contact, *, confirmed, consented, version, lead="10,1", language="lt", **extra):
    return {
        "id": sub_id,
        "channel": channel,
        "contact": contact,
        "language": language,
        "lead_days_csv": lead,
        "digest": extra.get("digest", False),
        "consent_text": f"Sutikimas {version}",
        "consent_version": version,
        "token_nonce": f"nonce{sub_id}",
        "code_attempts": 0,
        "consented_at": consented,
        "created_at": consented,
        "confirmed_at": confirmed,
        "unsubscribed_at": extra.get("unsubscribed"),
    }


def _message(message_id, sub_id, kind, *, shutoff_id=None, lead_days=0, variant="", status="sent"):
    return {
        "id": message_id,
        "subscription_id": sub_id,
        "shutoff_id": shutoff_id,
        "kind": kind,
        "lead_days": lead_days,
        "variant": variant,
        "status": status,
        "attempts": 1,
        "next_attempt_at": _at(5, 1),
        "created_at": _at(5, 1),
        "sent_at": _at(5, 2) if status == "sent" else None,
    }


def _seed_at_0003(conn) -> None:
    conn.execute(sa.insert(streets), [{"code": "1", "name": "Žirmūnų", "type_word": "gatvė", "type_abbr": "g."}])
    conn.execute(
        sa.insert(addresses),
        [{"code": c, "street_code": "1", "number": c[-1], "block": "", "postcode": ""} for c in ("A1", "A2", "A3")],
    )
    conn.execute(
        sa.insert(shutoffs),
        [
            {
                "id": 1,
                "address_code": "A1",
                "first_day": datetime(2026, 6, 3).date(),
                "last_day": datetime(2026, 6, 5).date(),
                "kind": "hydraulic_test",
                "note": "",
                "status": "planned",
                "source_key": "s1",
                "created_at": _at(5, 1),
                "updated_at": _at(5, 1),
            }
        ],
    )
    conn.execute(
        sa.insert(subscriptions),
        [
            _subscription(1, "email", "jonas@example.lt", confirmed=_at(5, 1), consented=_at(5, 1), version="v-may"),
            # Signed up in April, confirmed after the first: its consent is the earliest.
            _subscription(
                2, "email", "Jonas@example.lt", confirmed=_at(6, 1), consented=_at(4, 1), version="v-april",
                lead="3", language="en",
            ),
            _subscription(
                3, "email", "JONAS@example.lt", confirmed=_at(3, 1), consented=_at(3, 1), version="v-march",
                unsubscribed=_at(3, 15),
            ),
            _subscription(4, "email", "jonas@example.lt", confirmed=None, consented=_at(6, 2), version="v-june"),
            _subscription(5, "sms", "+37061234567", confirmed=_at(5, 1), consented=_at(5, 1), version="v-may"),
            _subscription(
                6, "sms", "+37061234567", confirmed=_at(5, 3), consented=_at(5, 3), version="v-may", digest=True
            ),
            _subscription(7, "email", "petras@example.lt", confirmed=_at(5, 1), consented=_at(5, 1), version="v-may"),
        ],
    )  # fmt: skip
    conn.execute(
        sa.insert(links),
        [
            {"id": 1, "subscription_id": 1, "address_code": "A1"},
            {"id": 2, "subscription_id": 2, "address_code": "A1"},
            {"id": 3, "subscription_id": 2, "address_code": "A2"},
            {"id": 4, "subscription_id": 3, "address_code": "A1"},
            {"id": 5, "subscription_id": 4, "address_code": "A3"},
            {"id": 6, "subscription_id": 5, "address_code": "A1"},
            {"id": 7, "subscription_id": 6, "address_code": "A3"},
            {"id": 8, "subscription_id": 7, "address_code": "A1"},
        ],
    )
    conn.execute(
        sa.insert(outbox),
        [
            _message(1, 1, "reminder", shutoff_id=1, lead_days=10, variant="2026-06-03"),
            _message(2, 2, "reminder", shutoff_id=1, lead_days=10, variant="2026-06-03"),  # the same reminder again
            _message(3, 2, "reminder", shutoff_id=1, lead_days=1, variant="2026-06-03", status="pending"),
            _message(4, 2, "confirmation"),
            _message(5, 1, "confirmation"),
        ],
    )


@pytest.fixture
def database_at_0003(app):
    migrate_empty_database("0003")
    with db.engine.begin() as connection:
        _seed_at_0003(connection)
    return app


def test_upgrading_merges_the_active_subscriptions_of_one_identity(database_at_0003):
    upgrade()

    subs = stored(Subscription)
    assert [(s.id, s.channel, s.contact, s.contact_key) for s in subs] == [
        (1, "email", "jonas@example.lt", "jonas@example.lt"),
        (3, "email", "JONAS@example.lt", "jonas@example.lt"),
        (4, "email", "jonas@example.lt", "jonas@example.lt"),
        (5, "sms", "+37061234567", "+37061234567"),
        (7, "email", "petras@example.lt", "petras@example.lt"),
    ]
    jonas = subs[0]
    assert jonas.address_codes == ["A1", "A2"]
    assert jonas.consent_version == "v-april"
    assert jonas.consent_text == "Sutikimas v-april"
    assert jonas.consented_at.isoformat() == "2026-04-01T09:00:00+00:00"
    assert jonas.lead_days == [3]
    assert jonas.language == "en"
    assert jonas.digest is False
    # The reminder both had is kept once; the rest of the history follows the subscription.
    assert [(m.id, m.subscription_id) for m in stored(OutboxMessage)] == [(1, 1), (3, 1), (4, 1), (5, 1)]
    phone = subs[3]
    assert phone.address_codes == ["A1", "A3"]
    assert phone.digest is True
    assert subs[1].address_codes == ["A1"]  # unsubscribed: left alone
    assert subs[2].address_codes == ["A3"]  # pending: merged when it is confirmed


def test_after_the_upgrade_the_schema_is_the_models_and_it_goes_down_and_up_again(database_at_0003):
    upgrade()
    downgrade(revision="0003")
    upgrade()
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    # The database itself now refuses a second active subscription of one identity.
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE notification_subscriptions SET confirmed_at = :at WHERE id = 4"), {"at": _at(7, 1)}
        )
