"""desk: hand-over targets, notes, outcomes and cancel reasons of tickets; a break's reason

Revision ID: 0011_desk
Revises: 0010_slot_holds
Create Date: 2026-11-28 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cherha.server.store.types

# The centre file's default outcomes as they were when this migration was written, for centres
# that exist already (a new centre gets its list from its file).
DEFAULT_OUTCOMES = (
    ("served", "Обслуговано", "Served"),
    ("another_visit", "Потрібен ще візит", "Needs another visit"),
    ("documents_missing", "Бракує документів", "Documents missing"),
    ("redirected", "Переадресовано", "Redirected"),
)

revision = "0011_desk"
down_revision = "0010_slot_holds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_uk", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_outcomes_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("branch_id", "code", name=op.f("uq_outcomes_branch_id")),
    )
    outcomes = sa.table(
        "outcomes",
        sa.column("branch_id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("name_uk", sa.String()),
        sa.column("name_en", sa.String()),
        sa.column("position", sa.Integer()),
        sa.column("active", sa.Boolean()),
    )
    branch_ids = op.get_bind().execute(sa.text("SELECT id FROM branches")).scalars().all()
    rows = [
        {
            "branch_id": branch_id,
            "code": code,
            "name_uk": uk,
            "name_en": en,
            "position": position,
            "active": True,
        }
        for branch_id in branch_ids
        for position, (code, uk, en) in enumerate(DEFAULT_OUTCOMES)
    ]
    if rows:
        op.bulk_insert(outcomes, rows)
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("target_counter_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("target_clerk_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("note", sa.String(length=500), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("note_by", sa.String(length=80), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("outcome", sa.String(length=40), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("cancel_reason", sa.String(length=200), server_default="", nullable=False)
        )
        batch.create_foreign_key(
            op.f("fk_tickets_target_counter_id_counters"),
            "counters",
            ["target_counter_id"],
            ["id"],
        )
        batch.create_foreign_key(
            op.f("fk_tickets_target_clerk_id_users"), "users", ["target_clerk_id"], ["id"]
        )
    with op.batch_alter_table("counters") as batch:
        batch.add_column(
            sa.Column("pause_reason", sa.String(length=16), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column(
                "paused_at", cherha.server.store.types.UtcDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("paused_at")
        batch.drop_column("pause_reason")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_constraint(op.f("fk_tickets_target_clerk_id_users"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_tickets_target_counter_id_counters"), type_="foreignkey")
        batch.drop_column("cancel_reason")
        batch.drop_column("outcome")
        batch.drop_column("note_by")
        batch.drop_column("note")
        batch.drop_column("target_clerk_id")
        batch.drop_column("target_counter_id")
    op.drop_table("outcomes")
