"""contact identity: notification_subscriptions.contact_key, duplicates merged

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Every subscription gets the identity of its contact (the case-folded e-mail address; a phone is
already stored in E.164, its own identity). Active subscriptions (confirmed, not unsubscribed) that
share one identity — `jonas@example.lt` and `Jonas@example.lt` — are merged into the one confirmed
first, as confirming them one after another does now: the union of their buildings, the earliest
consent (wording, version, time), the lead times and language of the one confirmed last, a digest if
any was one. The others' message history moves to it where it does not repeat a message it has.
A partial unique index then keeps one active subscription per identity.

The key is computed here from the stored (already validated) contact and not with the application's
code, so this migration keeps doing what it did whatever that code becomes.
"""

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ACTIVE = "confirmed_at IS NOT NULL AND unsubscribed_at IS NULL"

subscriptions = sa.table(
    "notification_subscriptions",
    sa.column("id", sa.Integer),
    sa.column("channel", sa.String),
    sa.column("contact", sa.String),
    sa.column("contact_key", sa.String),
    sa.column("lead_days_csv", sa.String),
    sa.column("language", sa.String),
    sa.column("digest", sa.Boolean),
    sa.column("consent_text", sa.Text),
    sa.column("consent_version", sa.String),
    sa.column("consented_at", sa.DateTime),
    sa.column("confirmed_at", sa.DateTime),
    sa.column("unsubscribed_at", sa.DateTime),
)
subscription_addresses = sa.table(
    "notification_subscription_addresses",
    sa.column("id", sa.Integer),
    sa.column("subscription_id", sa.Integer),
    sa.column("address_code", sa.String),
)
outbox = sa.table(
    "notification_outbox",
    sa.column("id", sa.Integer),
    sa.column("subscription_id", sa.Integer),
    sa.column("shutoff_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("lead_days", sa.Integer),
    sa.column("variant", sa.String),
)


def _identity(channel: str, contact: str) -> str:
    return contact.casefold() if channel == "email" else contact


def _fill_keys(conn) -> None:
    rows = conn.execute(sa.select(subscriptions.c.id, subscriptions.c.channel, subscriptions.c.contact)).all()
    for sub_id, channel, contact in rows:
        conn.execute(
            subscriptions.update()
            .where(subscriptions.c.id == sub_id)
            .values(contact_key=_identity(channel, contact))
        )


def _active_groups(conn) -> list[list]:
    """Active subscriptions sharing an identity, each group in the order they were confirmed."""
    rows = conn.execute(
        sa.select(subscriptions)
        .where(sa.text(ACTIVE))
        .order_by(subscriptions.c.channel, subscriptions.c.contact_key, subscriptions.c.confirmed_at, subscriptions.c.id)
    ).all()
    groups: dict[tuple[str, str], list] = {}
    for row in rows:
        groups.setdefault((row.channel, row.contact_key), []).append(row)
    return [group for group in groups.values() if len(group) > 1]


def _move_children(conn, survivor_id: int, other_id: int) -> None:
    """Buildings and messages of `other_id` go to the survivor, except those it already has."""
    have = set(
        conn.scalars(
            sa.select(subscription_addresses.c.address_code).where(
                subscription_addresses.c.subscription_id == survivor_id
            )
        )
    )
    for link_id, code in conn.execute(
        sa.select(subscription_addresses.c.id, subscription_addresses.c.address_code)
        .where(subscription_addresses.c.subscription_id == other_id)
        .order_by(subscription_addresses.c.id)
    ):
        if code in have:
            conn.execute(subscription_addresses.delete().where(subscription_addresses.c.id == link_id))
        else:
            have.add(code)
            conn.execute(
                subscription_addresses.update()
                .where(subscription_addresses.c.id == link_id)
                .values(subscription_id=survivor_id)
            )
    unique = (outbox.c.shutoff_id, outbox.c.kind, outbox.c.lead_days, outbox.c.variant)
    sent = {tuple(row) for row in conn.execute(sa.select(*unique).where(outbox.c.subscription_id == survivor_id))}
    for row in conn.execute(sa.select(outbox.c.id, *unique).where(outbox.c.subscription_id == other_id)).all():
        message_id, key = row[0], tuple(row[1:])
        if key[0] is not None and key in sent:
            conn.execute(outbox.delete().where(outbox.c.id == message_id))
        else:
            sent.add(key)
            conn.execute(outbox.update().where(outbox.c.id == message_id).values(subscription_id=survivor_id))


def _merge_duplicates(conn) -> None:
    for group in _active_groups(conn):
        survivor, last = group[0], group[-1]
        consent = min(group, key=lambda row: (row.consented_at, row.id))
        for other in group[1:]:
            _move_children(conn, survivor.id, other.id)
            conn.execute(subscriptions.delete().where(subscriptions.c.id == other.id))
        conn.execute(
            subscriptions.update()
            .where(subscriptions.c.id == survivor.id)
            .values(
                lead_days_csv=last.lead_days_csv,
                language=last.language,
                digest=any(row.digest for row in group),
                consent_text=consent.consent_text,
                consent_version=consent.consent_version,
                consented_at=consent.consented_at,
            )
        )


def upgrade():
    with op.batch_alter_table("notification_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_key", sa.String(length=254), nullable=True))
    conn = op.get_bind()
    _fill_keys(conn)
    _merge_duplicates(conn)
    with op.batch_alter_table("notification_subscriptions", schema=None) as batch_op:
        batch_op.alter_column("contact_key", existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_index("ix_notification_subscriptions_contact")
        batch_op.create_index("ix_notification_subscriptions_contact_key", ["channel", "contact_key"], unique=False)
        batch_op.create_index(
            "uq_notification_subscriptions_active_contact",
            ["channel", "contact_key"],
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        )


def downgrade():
    # Merged subscriptions stay merged: their rows are gone.
    with op.batch_alter_table("notification_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("uq_notification_subscriptions_active_contact")
        batch_op.drop_index("ix_notification_subscriptions_contact_key")
        batch_op.create_index("ix_notification_subscriptions_contact", ["channel", "contact"], unique=False)
        batch_op.drop_column("contact_key")
