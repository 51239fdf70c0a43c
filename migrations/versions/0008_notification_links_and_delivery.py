"""notifications: a secret per kind of link, "hot water is back", undeliverable contacts, delivery receipts

Subscriptions get one random secret per kind of link (confirm, unsubscribe, SMS short link, manage) in place
of the one nonce every link carried. Links already sent keep working where they give no more than they did
to whoever holds them: the unsubscribe link of e-mails and the short link of SMS (both only unsubscribe) keep
the old nonce as their secret; confirmation and manage links get new secrets (a manage link is asked for
again from the manage page). Subscriptions may ask for "hot water is back"; a contact the provider refused
for good is marked undeliverable. Outbox rows record when their last attempt ended and the provider's
delivery receipt.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 16:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

import app.extensions

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SUBSCRIPTIONS = "notification_subscriptions"
OUTBOX = "notification_outbox"


def upgrade():
    with op.batch_alter_table(SUBSCRIPTIONS, schema=None) as batch_op:
        for name in ("confirm_secret", "unsubscribe_secret", "short_link_secret", "manage_secret"):
            batch_op.add_column(sa.Column(name, sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("hot_water_back", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("undeliverable_at", app.extensions.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("undeliverable_reason", sa.Text(), nullable=True))

    connection = op.get_bind()
    table = sa.table(
        SUBSCRIPTIONS,
        sa.column("id", sa.Integer),
        sa.column("token_nonce", sa.String),
        sa.column("confirm_secret", sa.String),
        sa.column("unsubscribe_secret", sa.String),
        sa.column("short_link_secret", sa.String),
        sa.column("manage_secret", sa.String),
    )
    rows = connection.execute(sa.select(table.c.id, table.c.token_nonce)).all()
    for row_id, nonce in rows:
        connection.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                confirm_secret=secrets.token_urlsafe(12),
                unsubscribe_secret=nonce,
                short_link_secret=nonce,
                manage_secret=secrets.token_urlsafe(12),
            )
        )

    with op.batch_alter_table(SUBSCRIPTIONS, schema=None) as batch_op:
        for name in ("confirm_secret", "unsubscribe_secret", "short_link_secret", "manage_secret"):
            batch_op.alter_column(name, existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("hot_water_back", existing_type=sa.Boolean(), server_default=None)
        batch_op.drop_column("token_nonce")

    with op.batch_alter_table(OUTBOX, schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempted_at", app.extensions.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "delivery_status",
                sa.Enum(
                    "delivered",
                    "temporary-failure",
                    "permanent-failure",
                    name="notification_delivery",
                    native_enum=False,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("delivered_at", app.extensions.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_notification_outbox_provider_id"), ["provider_id"], unique=False)


def downgrade():
    with op.batch_alter_table(OUTBOX, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_outbox_provider_id"))
        batch_op.drop_column("delivered_at")
        batch_op.drop_column("delivery_status")
        batch_op.drop_column("attempted_at")

    with op.batch_alter_table(SUBSCRIPTIONS, schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_nonce", sa.String(length=16), nullable=True))

    # Links of every kind named the one nonce; the unsubscribe links already sent keep working.
    connection = op.get_bind()
    table = sa.table(
        SUBSCRIPTIONS,
        sa.column("id", sa.Integer),
        sa.column("token_nonce", sa.String),
        sa.column("unsubscribe_secret", sa.String),
    )
    connection.execute(table.update().values(token_nonce=sa.func.substr(table.c.unsubscribe_secret, 1, 16)))

    with op.batch_alter_table(SUBSCRIPTIONS, schema=None) as batch_op:
        batch_op.alter_column("token_nonce", existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_column("undeliverable_reason")
        batch_op.drop_column("undeliverable_at")
        batch_op.drop_column("hot_water_back")
        for name in ("manage_secret", "short_link_secret", "unsubscribe_secret", "confirm_secret"):
            batch_op.drop_column(name)
