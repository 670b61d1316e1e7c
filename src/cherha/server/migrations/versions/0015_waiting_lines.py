"""waiting lines: a count of waiting tickets per service and lane, kept by triggers

Revision ID: 0015_waiting_lines
Revises: 0014_hot_paths
Create Date: 2026-11-27 23:00:00

Issuing counted every waiting ticket ahead of the newcomer, in every service of the branch:
the cost grew with the line (a fifth of the server's time with 60,000 waiting, issue 19). Now
the counts are kept in `waiting_lines` by triggers on `tickets` — every insert, update and
delete of a ticket, whichever code (or tool) makes it, in the same transaction — and people
ahead is those counts less the few tickets placed after the newcomer, read off a partial
index of the waiting tickets in place order.

A later migration that rebuilds `tickets` (SQLite's batch mode copies the table and drops the
old one, and its triggers with it) must create the triggers again: tests/store checks that a
migrated database has them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_waiting_lines"
down_revision = "0014_hot_paths"
branch_labels = None
depends_on = None

# A ticket counts in (branch_id, service_id, lane) while its status is 'waiting'.
_KEY_CHANGED = (
    "NEW.status IS NOT OLD.status OR NEW.branch_id IS NOT OLD.branch_id"
    " OR NEW.service_id IS NOT OLD.service_id OR NEW.lane IS NOT OLD.lane"
)


def _sqlite_add(row: str) -> str:
    return (
        "INSERT INTO waiting_lines (branch_id, service_id, lane, waiting)"
        f" VALUES ({row}.branch_id, {row}.service_id, {row}.lane, 1)"
        " ON CONFLICT (branch_id, service_id, lane) DO UPDATE SET waiting = waiting + 1;"
    )


def _sqlite_remove(row: str) -> str:
    return (
        "UPDATE waiting_lines SET waiting = waiting - 1"
        f" WHERE branch_id = {row}.branch_id AND service_id = {row}.service_id"
        f" AND lane = {row}.lane;"
    )


_SQLITE_TRIGGERS = {
    "tickets_waiting_inserted": (
        "AFTER INSERT ON tickets WHEN NEW.status = 'waiting'",
        _sqlite_add("NEW"),
    ),
    "tickets_waiting_deleted": (
        "AFTER DELETE ON tickets WHEN OLD.status = 'waiting'",
        _sqlite_remove("OLD"),
    ),
    "tickets_waiting_left": (
        "AFTER UPDATE ON tickets WHEN OLD.status = 'waiting' AND (" + _KEY_CHANGED + ")",
        _sqlite_remove("OLD"),
    ),
    "tickets_waiting_entered": (
        "AFTER UPDATE ON tickets WHEN NEW.status = 'waiting' AND (" + _KEY_CHANGED + ")",
        _sqlite_add("NEW"),
    ),
}

_POSTGRESQL_FUNCTION = """
CREATE FUNCTION cherha_waiting_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.status IS NOT DISTINCT FROM OLD.status
           AND NEW.branch_id IS NOT DISTINCT FROM OLD.branch_id
           AND NEW.service_id IS NOT DISTINCT FROM OLD.service_id
           AND NEW.lane IS NOT DISTINCT FROM OLD.lane THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.status = 'waiting' THEN
            UPDATE waiting_lines SET waiting = waiting - 1
             WHERE branch_id = OLD.branch_id AND service_id = OLD.service_id
               AND lane = OLD.lane;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF NEW.status = 'waiting' THEN
            INSERT INTO waiting_lines (branch_id, service_id, lane, waiting)
            VALUES (NEW.branch_id, NEW.service_id, NEW.lane, 1)
            ON CONFLICT (branch_id, service_id, lane)
            DO UPDATE SET waiting = waiting_lines.waiting + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "waiting_lines",
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("lane", sa.String(length=16), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("branch_id", "service_id", "lane", name=op.f("pk_waiting_lines")),
    )
    op.create_index(
        "ix_tickets_waiting_order",
        "tickets",
        ["branch_id", "order_key", "id", "service_id", "lane"],
        unique=False,
        sqlite_where=sa.text("status = 'waiting'"),
        postgresql_where=sa.text("status = 'waiting'"),
    )
    # The table is filled and the triggers made in one transaction (Alembic's), so no ticket
    # written meanwhile is missed.
    op.execute(
        "INSERT INTO waiting_lines (branch_id, service_id, lane, waiting)"
        " SELECT branch_id, service_id, lane, count(*) FROM tickets"
        " WHERE status = 'waiting' GROUP BY branch_id, service_id, lane"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRESQL_FUNCTION)
        op.execute(
            "CREATE TRIGGER tickets_waiting_lines AFTER INSERT OR UPDATE OR DELETE ON tickets"
            " FOR EACH ROW EXECUTE FUNCTION cherha_waiting_lines()"
        )
    else:
        for name, (when, body) in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tickets_waiting_lines ON tickets")
        op.execute("DROP FUNCTION cherha_waiting_lines()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index("ix_tickets_waiting_order", table_name="tickets")
    op.drop_table("waiting_lines")
