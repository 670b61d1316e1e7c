"""hardening: idempotency keys, throttles and rate buckets shared by instances, health probes

Revision ID: 0005_hardening
Revises: 0004
Create Date: 2026-11-27 10:40:00

Also widens events.actor to 120 characters (a `device:` or `user:` actor with an 80-character
name no longer overflows it) and blanks the phone hashes of purged bookings: before 0005 they
were unkeyed by default and a number could be recovered from one (docs/server.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cherha.server.store.types

revision = "0005_hardening"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = cherha.server.store.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "request_keys",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", BIG_ID, nullable=True),
        sa.Column("booking_id", BIG_ID, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_request_keys_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_keys")),
        sa.UniqueConstraint(
            "branch_id", "scope", "day", "key", name=op.f("uq_request_keys_branch_id")
        ),
    )
    op.create_table(
        "throttles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", UTC_TIME, nullable=False),
        sa.Column("blocked_until", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttles")),
    )
    op.create_table(
        "rate_buckets",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_buckets")),
    )
    op.create_table(
        "health_probes",
        sa.Column("instance", sa.String(length=100), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("instance", name=op.f("pk_health_probes")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column(
            "actor",
            existing_type=sa.String(length=80),
            type_=sa.String(length=120),
            existing_nullable=False,
        )
    # Unkeyed hashes of purged bookings are the recoverable ones; the quotas lose only these.
    op.execute("UPDATE bookings SET phone_hash = '' WHERE phone = ''")


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column(
            "actor",
            existing_type=sa.String(length=120),
            type_=sa.String(length=80),
            existing_nullable=False,
        )
    op.drop_table("health_probes")
    op.drop_table("rate_buckets")
    op.drop_table("throttles")
    op.drop_table("request_keys")
