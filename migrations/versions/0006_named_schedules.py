"""named schedules: shutoffs and batches belong to one schedule; work keys; staff session versions

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30

Every shutoff and every published batch now belongs to a named schedule (`schedules`, name unique, a version
counting its publications). Existing ones go into the default schedule, "Pagrindinis grafikas", which
`flask shutoffs import` without --schedule keeps using. A shutoff's identity within its schedule is its work
key (`kind:<kind>`, or `nr:<work number>` when a file numbers its work): the old per-row source key becomes
`kind:<kind>`, and its unique index goes (a building may have the same kind of work twice in a season).
Uploads waiting for publication go to the default schedule. Staff users get a session version (1).

The default name is written here, not imported, so this migration keeps doing what it did.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.extensions

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

DEFAULT_SCHEDULE_NAME = "Pagrindinis grafikas"
SOURCE_KEY_WHERE = sa.text("source_key != ''")

schedules = sa.table(
    "schedules",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("version", sa.Integer),
    sa.column("created_at", app.extensions.UTCDateTime()),
)


def upgrade():
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.extensions.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("name", name=op.f("uq_schedules_name")),
    )
    conn = op.get_bind()
    published = conn.execute(sa.text("SELECT count(*) FROM schedule_batches")).scalar() or 0
    conn.execute(
        sa.insert(schedules).values(name=DEFAULT_SCHEDULE_NAME, version=published, created_at=datetime.now(UTC))
    )
    default_id = conn.execute(sa.select(schedules.c.id).where(schedules.c.name == DEFAULT_SCHEDULE_NAME)).scalar()

    with op.batch_alter_table("schedule_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_id", sa.Integer(), nullable=True))
    conn.execute(sa.text("UPDATE schedule_batches SET schedule_id = :id"), {"id": default_id})
    with op.batch_alter_table("schedule_batches", schema=None) as batch_op:
        batch_op.alter_column("schedule_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_schedule_batches_schedule_id"), ["schedule_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_schedule_batches_schedule_id_schedules"), "schedules", ["schedule_id"], ["id"]
        )

    with op.batch_alter_table("shutoffs", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_shutoffs_address_source_key", sqlite_where=SOURCE_KEY_WHERE, postgresql_where=SOURCE_KEY_WHERE
        )
        batch_op.add_column(sa.Column("schedule_id", sa.Integer(), nullable=True))
        batch_op.alter_column(
            "source_key", new_column_name="work_key", existing_type=sa.String(length=200), existing_nullable=False
        )
    conn.execute(sa.text("UPDATE shutoffs SET schedule_id = :id, work_key = 'kind:' || kind"), {"id": default_id})
    with op.batch_alter_table("shutoffs", schema=None) as batch_op:
        batch_op.alter_column("schedule_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            "work_key", existing_type=sa.String(length=200), type_=sa.String(length=60), existing_nullable=False
        )
        batch_op.create_index("ix_shutoffs_schedule_address", ["schedule_id", "address_code"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_shutoffs_schedule_id_schedules"), "schedules", ["schedule_id"], ["id"])

    with op.batch_alter_table("schedule_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_name", sa.String(length=120), nullable=True))
    conn.execute(sa.text("UPDATE schedule_uploads SET schedule_name = :name"), {"name": DEFAULT_SCHEDULE_NAME})
    with op.batch_alter_table("schedule_uploads", schema=None) as batch_op:
        batch_op.alter_column("schedule_name", existing_type=sa.String(length=120), nullable=False)

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=True))
    conn.execute(sa.text("UPDATE staff_users SET session_version = 1"))
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.alter_column("session_version", existing_type=sa.Integer(), nullable=False)


def downgrade():
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("session_version")

    with op.batch_alter_table("schedule_uploads", schema=None) as batch_op:
        batch_op.drop_column("schedule_name")

    with op.batch_alter_table("shutoffs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_shutoffs_schedule_id_schedules"), type_="foreignkey")
        batch_op.drop_index("ix_shutoffs_schedule_address")
        batch_op.drop_column("schedule_id")
        batch_op.alter_column(
            "work_key",
            new_column_name="source_key",
            existing_type=sa.String(length=60),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
    # Work keys repeat across shutoffs; the old keys were unique per building: make them so again.
    op.get_bind().execute(sa.text("UPDATE shutoffs SET source_key = source_key || '#' || CAST(id AS VARCHAR(20))"))
    with op.batch_alter_table("shutoffs", schema=None) as batch_op:
        batch_op.create_index(
            "uq_shutoffs_address_source_key",
            ["address_code", "source_key"],
            unique=True,
            sqlite_where=SOURCE_KEY_WHERE,
            postgresql_where=SOURCE_KEY_WHERE,
        )

    with op.batch_alter_table("schedule_batches", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_schedule_batches_schedule_id_schedules"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_schedule_batches_schedule_id"))
        batch_op.drop_column("schedule_id")

    op.drop_table("schedules")
