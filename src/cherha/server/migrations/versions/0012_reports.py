"""reports: projections of the events for reports and open data; the estimate kept with the
ticket; a centre's open-data switch

Revision ID: 0012_reports
Revises: 0007_notifications
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cherha.server.store.types

revision = "0012_reports"
down_revision = "0007_notifications"
branch_labels = None
depends_on = None

UTC_TIME = cherha.server.store.types.UtcDateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column(
        "branches",
        sa.Column("open_data", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.add_column("tickets", sa.Column("estimated_wait_minutes", sa.Integer(), nullable=True))
    op.create_table(
        "report_cursor",
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", BIG_ID, nullable=False),
        sa.Column("folded_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_report_cursor_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("branch_id", name=op.f("pk_report_cursor")),
    )
    op.create_table(
        "report_visits",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", BIG_ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("service_uk", sa.String(length=200), nullable=False),
        sa.Column("service_en", sa.String(length=200), nullable=False),
        sa.Column("target_minutes", sa.Integer(), nullable=True),
        sa.Column("lane", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("issued_at", UTC_TIME, nullable=False),
        sa.Column("joined_at", UTC_TIME, nullable=False),
        sa.Column("first_called_at", UTC_TIME, nullable=True),
        sa.Column("called_at", UTC_TIME, nullable=True),
        sa.Column("started_at", UTC_TIME, nullable=True),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("clerk", sa.String(length=80), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("recalls", sa.Integer(), nullable=False),
        sa.Column("out_of_order", sa.Integer(), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=True),
        sa.Column("service_seconds", sa.Integer(), nullable=True),
        sa.Column("estimate_minutes", sa.Integer(), nullable=True),
        sa.Column("people_ahead", sa.Integer(), nullable=True),
        sa.Column("finish_outcome", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_report_visits_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_visits")),
        sa.UniqueConstraint("ticket_id", "seq", name=op.f("uq_report_visits_ticket_id")),
    )
    op.create_index(
        "ix_report_visits_branch_day", "report_visits", ["branch_id", "day"], unique=False
    )
    op.create_table(
        "report_bookings",
        sa.Column("booking_id", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", UTC_TIME, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("ticket_id", BIG_ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_report_bookings_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_report_bookings")),
    )
    op.create_index(
        "ix_report_bookings_branch_day", "report_bookings", ["branch_id", "day"], unique=False
    )
    op.create_table(
        "report_intervals",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("clerk", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_report_intervals_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_intervals")),
    )
    op.create_index(
        "ix_report_intervals_branch_kind",
        "report_intervals",
        ["branch_id", "kind", "started_at"],
        unique=False,
    )
    op.create_table(
        "report_daily",
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("service_uk", sa.String(length=200), nullable=False),
        sa.Column("service_en", sa.String(length=200), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("waited", sa.Integer(), nullable=False),
        sa.Column("wait_median_seconds", sa.Integer(), nullable=True),
        sa.Column("wait_p90_seconds", sa.Integer(), nullable=True),
        sa.Column("with_target", sa.Integer(), nullable=False),
        sa.Column("within_target", sa.Integer(), nullable=False),
        sa.Column("out_of_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_report_daily_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("branch_id", "day", "service_id", name=op.f("pk_report_daily")),
    )


def downgrade() -> None:
    op.drop_table("report_daily")
    op.drop_index("ix_report_intervals_branch_kind", table_name="report_intervals")
    op.drop_table("report_intervals")
    op.drop_index("ix_report_bookings_branch_day", table_name="report_bookings")
    op.drop_table("report_bookings")
    op.drop_index("ix_report_visits_branch_day", table_name="report_visits")
    op.drop_table("report_visits")
    op.drop_table("report_cursor")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("estimated_wait_minutes")
    with op.batch_alter_table("branches") as batch:
        batch.drop_column("open_data")
