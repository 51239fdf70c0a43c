"""Migration 0008 on a database at 0007: links already sent that only unsubscribe keep working; the rest get
secrets of their own."""

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from itsdangerous import URLSafeSerializer

from app.extensions import db
from app.notifications.models import Subscription
from tests.helpers.html import text_of
from tests.helpers.migrations import migrate_empty_database
from tests.notifications.helpers import stored

SUBSCRIPTIONS = sa.table(
    "notification_subscriptions",
    *(sa.column(c) for c in ("id", "channel", "contact", "contact_key", "language", "lead_days_csv", "digest")),
    *(sa.column(c) for c in ("consent_text", "consent_version", "token_nonce", "code_attempts")),
    *(sa.column(c, sa.DateTime) for c in ("consented_at", "created_at", "confirmed_at")),
)
AT = datetime(2026, 5, 1, 9, 0)


@pytest.fixture
def database_at_0007(app):
    migrate_empty_database("0007")
    with db.engine.begin() as connection:
        connection.execute(
            SUBSCRIPTIONS.insert(),
            [
                {
                    "id": n,
                    "channel": "sms" if n == 2 else "email",
                    "contact": contact,
                    "contact_key": contact,
                    "language": "lt",
                    "lead_days_csv": "10,1",
                    "digest": False,
                    "consent_text": "Sutinku",
                    "consent_version": "1",
                    "token_nonce": f"oldnonce{n}",
                    "code_attempts": 0,
                    "consented_at": AT,
                    "created_at": AT,
                    "confirmed_at": AT,
                }
                for n, contact in ((1, "jonas@example.lt"), (2, "+37061234567"))
            ],
        )
    return app


def test_unsubscribe_links_already_sent_keep_working_after_the_upgrade_and_manage_links_do_not(
    database_at_0007, client
):
    old_unsubscribe = URLSafeSerializer("test-secret", salt="notifications.unsubscribe").dumps([1, "oldnonce1"])
    old_manage = URLSafeSerializer("test-secret", salt="notifications.manage").dumps([1, "oldnonce1"])

    upgrade()

    assert text_of(client.get(f"/unsubscribe/{old_unsubscribe}"), "h1") == "Atsisakyti pranešimų"
    assert text_of(client.get("/u/2.oldnonce2"), "main form button") == "Atsisakyti pranešimų"
    assert client.get(f"/manage/{old_manage}").status_code == 404
    jonas, phone = stored(Subscription)
    for sub in (jonas, phone):
        assert len({sub.confirm_secret, sub.manage_secret, f"oldnonce{sub.id}"}) == 3
    assert jonas.manage_secret != phone.manage_secret
    assert (jonas.hot_water_back, jonas.undeliverable_at) == (False, None)


def test_going_down_gives_the_unsubscribe_links_their_nonce_back(database_at_0007):
    upgrade()
    downgrade(revision="0007")
    with db.engine.connect() as connection:
        nonces = connection.execute(sa.text("SELECT token_nonce FROM notification_subscriptions ORDER BY id")).all()
    assert [n for (n,) in nonces] == ["oldnonce1", "oldnonce2"]
    upgrade()
