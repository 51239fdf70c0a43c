"""Migration 0006 on a database seeded at 0003: existing shutoffs and batches go into the default schedule."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.helpers.migrations import migrate_empty_database

# The tables as revision 0003 left them (only the columns a row needs).
streets = sa.table("streets", *(sa.column(c) for c in ("code", "name", "type_word", "type_abbr")))
addresses = sa.table("addresses", *(sa.column(c) for c in ("code", "street_code", "number", "block", "postcode")))
batches = sa.table(
    "schedule_batches",
    *(sa.column(c) for c in ("id", "source_name", "source_sha256", "rows", "published_by")),
    sa.column("published_at", sa.DateTime),
)
shutoffs = sa.table(
    "shutoffs",
    *(sa.column(c) for c in ("id", "address_code", "first_day", "last_day", "kind", "note", "status", "source_key")),
    sa.column("batch_id"),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)
uploads = sa.table(
    "schedule_uploads",
    *(sa.column(c) for c in ("id", "filename", "content", "sha256", "uploaded_by")),
    sa.column("uploaded_at", sa.DateTime),
)
staff = sa.table(
    "staff_users", *(sa.column(c) for c in ("id", "email", "password_hash", "is_active")), sa.column("created_at")
)
AT = datetime(2026, 5, 1, 9, 0)  # naive UTC, as the columns store it


def shutoff(id_: int, code: str, kind: str, key: str) -> dict:
    return {
        "id": id_,
        "address_code": code,
        "first_day": date(2027, 5, id_),
        "last_day": date(2027, 5, id_),
        "kind": kind,
        "note": "",
        "status": "planned",
        "source_key": key,
        "batch_id": 1,
        "created_at": AT,
        "updated_at": AT,
    }


def seed_at_0003(conn) -> None:
    conn.execute(sa.insert(streets), [{"code": "1", "name": "Žirmūnų", "type_word": "gatvė", "type_abbr": "g."}])
    conn.execute(
        sa.insert(addresses),
        [{"code": c, "street_code": "1", "number": c[-1], "block": "", "postcode": ""} for c in "AB"],
    )
    conn.execute(
        sa.insert(batches),
        [
            {
                "id": 1,
                "source_name": "a.csv",
                "source_sha256": "0" * 64,
                "rows": 2,
                "published_by": "x",
                "published_at": AT,
            }
        ],
    )
    conn.execute(
        sa.insert(shutoffs),
        [
            shutoff(1, "A", "hydraulic_test", "hydraulic_test:" + "a" * 24),
            shutoff(2, "A", "hydraulic_test", "hydraulic_test:" + "b" * 24),
            shutoff(3, "B", "repair", "repair:" + "c" * 24 + "#2"),
        ],
    )
    conn.execute(
        sa.insert(uploads),
        [{"id": 1, "filename": "b.csv", "content": b"x", "sha256": "0" * 64, "uploaded_by": "x", "uploaded_at": AT}],
    )
    conn.execute(
        sa.insert(staff), [{"id": 1, "email": "a@vst.lt", "password_hash": "h", "is_active": True, "created_at": AT}]
    )


def test_existing_shutoffs_batches_and_uploads_go_into_the_default_schedule(app):
    migrate_empty_database("0003")
    with db.engine.begin() as connection:
        seed_at_0003(connection)
    upgrade(revision="0006")
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT id, name, version FROM schedules")).all() == [
            (1, "Pagrindinis grafikas", 1)
        ]
        assert connection.execute(sa.text("SELECT id, schedule_id, work_key FROM shutoffs ORDER BY id")).all() == [
            (1, 1, "kind:hydraulic_test"),
            (2, 1, "kind:hydraulic_test"),
            (3, 1, "kind:repair"),
        ]
        assert connection.execute(sa.text("SELECT schedule_id FROM schedule_batches")).all() == [(1,)]
        assert connection.execute(sa.text("SELECT schedule_name FROM schedule_uploads")).all() == [
            ("Pagrindinis grafikas",)
        ]
        assert connection.execute(sa.text("SELECT session_version FROM staff_users")).all() == [(1,)]
        # The default schedule's id sequence moved on too (PostgreSQL): a new schedule gets the next id.
        connection.execute(
            sa.text("INSERT INTO schedules (name, version, created_at) VALUES ('Kitas', 0, :at)"), {"at": AT}
        )
        assert connection.execute(sa.text("SELECT id FROM schedules WHERE name = 'Kitas'")).scalar() == 2
        connection.rollback()

    downgrade(revision="0003")
    with db.engine.connect() as connection:
        keys = connection.execute(sa.text("SELECT id, source_key FROM shutoffs ORDER BY id")).all()
    assert keys == [(1, "kind:hydraulic_test#1"), (2, "kind:hydraulic_test#2"), (3, "kind:repair#3")]
