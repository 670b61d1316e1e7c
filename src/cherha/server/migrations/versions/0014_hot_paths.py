"""hot paths: the waiting-line index covers the place in line; the tickets at a window indexed

Revision ID: 0014_hot_paths
Revises: 0011_desk
Create Date: 2026-11-27 17:00:00

Issuing counts the waiting tickets ahead in every service of the branch, and calling picks the
earliest in each lane. With only (branch_id, status, service_id) indexed, both read every
waiting ticket's row; with the lane and the place in line in the index they read the index
alone. Calling next first finds the visitor at the window (counter_id, status): without an index
that read every ticket ever issued (docs/benchmarks.md, issue 19).
"""

from __future__ import annotations

from alembic import op

revision = "0014_hot_paths"
down_revision = "0011_desk"
branch_labels = None
depends_on = None

_OLD = ("branch_id", "status", "service_id")
_NEW = ("branch_id", "status", "service_id", "lane", "order_key", "id")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index("ix_tickets_line", list(_NEW), unique=False)
        batch_op.create_index("ix_tickets_at_window", ["counter_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_at_window")
        batch_op.drop_index("ix_tickets_line")
        batch_op.create_index("ix_tickets_queue", list(_OLD), unique=False)
