"""display settings, service short names, priority categories

Revision ID: 0008_display_settings
Revises: 0006_console
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_display_settings"
down_revision = "0006_console"
branch_labels = None
depends_on = None


def _branch_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("display_hall_diagonal_inches", sa.Float(), server_default="55", nullable=False),
        sa.Column("display_hall_distance_m", sa.Float(), server_default="5", nullable=False),
        sa.Column(
            "display_window_diagonal_inches", sa.Float(), server_default="24", nullable=False
        ),
        sa.Column("display_window_distance_m", sa.Float(), server_default="4", nullable=False),
        sa.Column("display_english_scale", sa.Float(), server_default="0.7", nullable=False),
        sa.Column("display_last_calls", sa.Integer(), server_default="8", nullable=False),
        sa.Column("priority_categories", sa.JSON(), server_default="[]", nullable=False),
    ]


def _service_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("short_name_uk", sa.String(length=80), server_default="", nullable=False),
        sa.Column("short_name_en", sa.String(length=80), server_default="", nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("branches") as batch:
        for column in _branch_columns():
            batch.add_column(column)
    with op.batch_alter_table("services") as batch:
        for column in _service_columns():
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        for column in reversed(_service_columns()):
            batch.drop_column(column.name)
    with op.batch_alter_table("branches") as batch:
        for column in reversed(_branch_columns()):
            batch.drop_column(column.name)
