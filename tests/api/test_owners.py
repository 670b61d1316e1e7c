"""The remembered branch of a window or a ticket: read once, refused like a read, bounded."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from cherha.core.errors import NotFound
from cherha.server.auth import Principal
from cherha.server.store.db import Database
from cherha.server.store.owners import Owners
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre

KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)


def test_a_branch_is_read_once_and_unknown_rows_are_refused_every_time(sqlite_url: str) -> None:
    make_centre(sqlite_url, clerks=1)
    db = Database(sqlite_url)
    ops = TicketOps(db, FakeClock())
    tickets = [ops.issue(KIOSK, 1, 1).ticket.id for _ in range(3)]
    owners = Owners(db, tickets_kept=2)
    statements: list[str] = []  # the SELECTs the database was sent

    @event.listens_for(db.engine, "before_cursor_execute")
    def sent(_conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        if sql.startswith("SELECT"):
            statements.append(sql)

    assert owners.of_counter(1) == 1
    assert owners.of_counter(1) == 1
    assert owners.of_ticket(tickets[0]) == 1
    assert owners.of_ticket(tickets[0]) == 1
    read = len(statements)
    assert read == 2  # one read per row, however often it is asked about

    for _ in range(2):  # an unknown id is not remembered: asked again, refused again
        with pytest.raises(NotFound):
            owners.of_ticket(999_999)
        with pytest.raises(NotFound):
            owners.of_counter(999)
    assert len(statements) == read + 4

    owners.note_ticket(tickets[1], 1)  # learnt elsewhere (a ticket just called): no read
    owners.note_ticket(tickets[2], 1)  # the third kept pushes out the least recently asked
    read = len(statements)
    assert owners.of_ticket(tickets[2]) == 1
    assert len(statements) == read
    assert owners.of_ticket(tickets[0]) == 1
    assert len(statements) == read + 1
    db.dispose()
