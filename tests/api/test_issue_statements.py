"""What issuing a ticket sends to the database, statement by statement (issue 19): each one
costs tens of microseconds of SQLAlchemy on the write lane, so a statement more is a
regression even when every answer stays right."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cherha.server.auth import Principal
from cherha.server.store.db import Database
from cherha.server.store.models import Branch, Ticket
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre
from tests.helpers.statements import Sent

KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'issue.db'}"
    make_centre(url)
    database = Database(url)
    yield database
    database.dispose()


# A keyed ticket, with its place in line and estimate, its event and its key: what every
# ticket costs once the group has read the branch, the service and the floor.
ISSUE_IN_A_GROUP = [
    "SAVEPOINT",
    "SELECT request_keys",  # a repeat of this tap?
    "UPDATE number_series",  # the next number (RETURNING it)
    "SELECT waiting_lines",  # how many wait in each line
    "SELECT tickets",  # who is placed after the newcomer (bookings checked in early)
    "INSERT tickets",  # RETURNING its id
    "INSERT events",  # ticket_issued, in the same transaction
    "INSERT request_keys",
    "RELEASE SAVEPOINT",
]


def test_a_keyed_ticket_in_a_group_costs_seven_statements_and_its_savepoint(
    db: Database,
) -> None:
    ops = TicketOps(db, FakeClock())
    ops.issue(KIOSK, 1, 1)  # the day's series exist: no day change in what is counted
    ops.issue(KIOSK, 1, 2)
    sent = Sent(db)
    with db.group():
        ops.issue(KIOSK, 1, 1, key="tap-00000001")
        first = sent.take()
        ops.issue(KIOSK, 1, 2, key="tap-00000002")
        second = sent.take()
        ops.issue(KIOSK, 1, 1, key="tap-00000003")
        third = sent.take()
    # The group's first write reads the branch, the service and the floor for all of them.
    assert (
        first
        == [
            "BEGIN IMMEDIATE",
            "SAVEPOINT",
            "SELECT branches",
            "SELECT request_keys",
            "SELECT services",
            *ISSUE_IN_A_GROUP[2:5],
            "SELECT counters",
            "SELECT tickets",  # the visitors at the windows
            *ISSUE_IN_A_GROUP[5:],
        ]
    )
    assert second == [*ISSUE_IN_A_GROUP[:2], "SELECT services", *ISSUE_IN_A_GROUP[2:]]
    assert third == ISSUE_IN_A_GROUP  # service 1 was read by the first


def test_savepoints_are_the_sql_the_compiler_would_make(db: Database) -> None:
    """Sent as text (`db._plain_savepoints`); a write that fails halfway still rolls back
    alone, and the writes around it in the group are kept."""
    ops = TicketOps(db, FakeClock())
    sent = Sent(db)

    def write_then_fail() -> None:
        with db.write(1) as session:
            session.execute(update(Branch).where(Branch.id == 1).values(pause_reason="half"))
            raise RuntimeError("refused halfway")

    with db.group():
        ops.issue(KIOSK, 1, 1)
        with pytest.raises(RuntimeError, match="refused halfway"):
            write_then_fail()
        ops.issue(KIOSK, 1, 1)
    points = [sql for sql in sent.texts if "SAVEPOINT" in sql]
    assert points == [
        "SAVEPOINT sa_savepoint_1",
        "RELEASE SAVEPOINT sa_savepoint_1",
        "SAVEPOINT sa_savepoint_2",
        "ROLLBACK TO SAVEPOINT sa_savepoint_2",
        "SAVEPOINT sa_savepoint_3",
        "RELEASE SAVEPOINT sa_savepoint_3",
    ]
    with db.read() as session:
        assert session.scalar(select(Branch.pause_reason).where(Branch.id == 1)) == ""
        numbers = session.scalars(select(Ticket.number).order_by(Ticket.id)).all()
    assert numbers == ["А001", "А002"]
