"""notifications: Telegram followers, the outbox, webhooks, the booking's link token

Revision ID: 0007_notifications
Revises: 0008_display_settings
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

import cherha.server.store.types

revision = "0007_notifications"
down_revision = "0008_display_settings"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _utc() -> cherha.server.store.types.UtcDateTime:
    return cherha.server.store.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "telegram_followers",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("ticket_id", BIG_ID, nullable=True),
        sa.Column("booking_id", BIG_ID, nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("near_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_telegram_followers_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_telegram_followers_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_telegram_followers_booking_id_bookings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telegram_followers")),
        sa.UniqueConstraint("chat_id", "ticket_id", name="uq_telegram_followers_chat_ticket"),
        sa.UniqueConstraint("chat_id", "booking_id", name="uq_telegram_followers_chat_booking"),
    )
    op.create_index("ix_telegram_followers_ticket", "telegram_followers", ["ticket_id"])
    op.create_index("ix_telegram_followers_booking", "telegram_followers", ["booking_id"])
    op.create_table(
        "outbox",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("due_at", _utc(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", _utc(), nullable=True),
        sa.Column("sent_at", _utc(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("event_id", BIG_ID, nullable=True),
        sa.Column("ticket_id", BIG_ID, nullable=True),
        sa.Column("booking_id", BIG_ID, nullable=True),
        sa.Column("follower_id", BIG_ID, nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"], ["webhooks.id"], name=op.f("fk_outbox_webhook_id_webhooks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_due", "outbox", ["channel", "state", "priority", "due_at"])
    op.create_index("ix_outbox_booking", "outbox", ["booking_id"])
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("link_token", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(op.f("uq_bookings_link_token"), ["link_token"])
    # Bookings made before this migration get their link too.
    bookings = sa.table("bookings", sa.column("id", sa.Integer), sa.column("link_token", sa.String))
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.select(bookings.c.id))]
    for booking_id in ids:
        connection.execute(
            bookings.update()
            .where(bookings.c.id == booking_id)
            .values(link_token=secrets.token_urlsafe(16))
        )


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint(op.f("uq_bookings_link_token"), type_="unique")
        batch.drop_column("link_token")
    op.drop_index("ix_outbox_booking", table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_telegram_followers_booking", table_name="telegram_followers")
    op.drop_index("ix_telegram_followers_ticket", table_name="telegram_followers")
    op.drop_table("telegram_followers")
    op.drop_table("webhooks")
