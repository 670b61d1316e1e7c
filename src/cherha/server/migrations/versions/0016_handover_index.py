"""handover indexes: the waiting tickets handed over to a window or to a clerk

Revision ID: 0016_handover_index
Revises: 0015_waiting_lines
Create Date: 2026-11-28 02:00:00

Call-next reads the first ticket handed over to its window or to its clerk. No index held the
hand-over columns, so SQLite read every waiting ticket of the branch (and its table row) for
every call: 1.9 ms with 1,000 waiting, growing with the line (issue 19). Two small partial
indexes hold only the handed-over waiting tickets, in place order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_handover_index"
down_revision = "0015_waiting_lines"
branch_labels = None
depends_on = None

_TO_COUNTER = "status = 'waiting' AND target_counter_id IS NOT NULL"
_TO_CLERK = "status = 'waiting' AND target_clerk_id IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_tickets_to_counter",
        "tickets",
        ["target_counter_id", "order_key", "id"],
        unique=False,
        sqlite_where=sa.text(_TO_COUNTER),
        postgresql_where=sa.text(_TO_COUNTER),
    )
    op.create_index(
        "ix_tickets_to_clerk",
        "tickets",
        ["target_clerk_id", "order_key", "id"],
        unique=False,
        sqlite_where=sa.text(_TO_CLERK),
        postgresql_where=sa.text(_TO_CLERK),
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_to_clerk", table_name="tickets")
    op.drop_index("ix_tickets_to_counter", table_name="tickets")
