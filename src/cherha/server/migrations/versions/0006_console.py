"""console: wait targets, device last seen and app version, a booking's cancel reason

Revision ID: 0006_console
Revises: 0005_hardening
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cherha.server.store.types

revision = "0006_console"
down_revision = "0005_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("services", sa.Column("wait_target_minutes", sa.Integer(), nullable=True))
    op.add_column(
        "devices",
        sa.Column(
            "last_seen_at", cherha.server.store.types.UtcDateTime(timezone=True), nullable=True
        ),
    )
    op.add_column(
        "devices",
        sa.Column("app_version", sa.String(length=80), server_default="", nullable=False),
    )
    op.add_column(
        "bookings",
        sa.Column("cancel_reason", sa.String(length=200), server_default="", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("cancel_reason")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("app_version")
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("services") as batch:
        batch.drop_column("wait_target_minutes")
