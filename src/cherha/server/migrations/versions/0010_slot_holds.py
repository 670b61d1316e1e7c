"""slot holds: a place kept for a kiosk's visitor while they type

Revision ID: 0010_slot_holds
Revises: 0012_reports
Create Date: 2026-11-27 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cherha.server.store.types

revision = "0010_slot_holds"
down_revision = "0012_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slot_holds",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column(
            "slot_start", cherha.server.store.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", cherha.server.store.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", cherha.server.store.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_slot_holds_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_slot_holds_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_slot_holds_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_holds")),
        sa.UniqueConstraint("token", name=op.f("uq_slot_holds_token")),
    )
    op.create_index("ix_slot_holds_slot", "slot_holds", ["service_id", "slot_start"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_slot_holds_slot", table_name="slot_holds")
    op.drop_table("slot_holds")
