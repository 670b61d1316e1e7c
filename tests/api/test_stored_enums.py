"""Statuses, lanes, window states and event types are the core's enums in Python and the same
plain strings in the database as before (no data migration): what older rows hold reads back as
enum members, and a value that is no member is refused before it reaches a row."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from cherha.core.model import CounterState, EventType, Lane, TicketStatus
from cherha.server.store.db import Database
from cherha.server.store.models import Counter, Event, Ticket
from tests.helpers.app import Api


def test_rows_hold_the_plain_strings_and_read_back_as_enums(api: Api, database_url: str) -> None:
    api.open("clerk1", 1)
    issued = api.issue(1, priority=True)
    called = api.call_next("clerk1", 1)
    assert called is not None
    assert called["id"] == issued["id"]
    db = Database(database_url)
    try:
        with db.read() as session:
            raw = session.execute(
                text("SELECT lane, status FROM tickets WHERE id = :id"), {"id": issued["id"]}
            ).one()
            assert tuple(raw) == ("priority", "called")
            assert type(raw[0]) is str
            ticket = session.get(Ticket, issued["id"])
            assert ticket is not None
            assert ticket.lane is Lane.PRIORITY
            assert ticket.status is TicketStatus.CALLED
            state = session.execute(text("SELECT state FROM counters WHERE id = 1")).scalar_one()
            assert state == "open"
            assert session.get(Counter, 1).state is CounterState.OPEN  # type: ignore[union-attr]
            types = session.execute(text("SELECT type FROM events ORDER BY id")).scalars().all()
            assert types[-3:] == ["counter_open", "ticket_issued", "ticket_called"]
            events = session.scalars(select(Event).order_by(Event.id)).all()
            assert [e.type for e in events[-3:]] == [
                EventType.COUNTER_OPEN,
                EventType.TICKET_ISSUED,
                EventType.TICKET_CALLED,
            ]
            # A query by member and a query by its string find the same rows.
            by_member = select(Ticket.id).where(Ticket.status == TicketStatus.CALLED)
            by_string = select(Ticket.id).where(Ticket.status == "called")
            assert session.scalars(by_member).all() == session.scalars(by_string).all()
    finally:
        db.dispose()


def test_a_value_that_is_no_member_is_refused_and_nothing_changes(
    api: Api, database_url: str
) -> None:
    issued = api.issue(1)
    db = Database(database_url)
    try:
        refused = pytest.raises(StatementError, match="'lost' is not a valid TicketStatus")
        with refused, db.write(None) as session:
            ticket = session.get(Ticket, issued["id"])
            assert ticket is not None
            ticket.status = "lost"  # type: ignore[assignment]
        with db.read() as session:
            status = session.execute(
                text("SELECT status FROM tickets WHERE id = :id"), {"id": issued["id"]}
            ).scalar_one()
            assert status == "waiting"
    finally:
        db.dispose()


def test_every_event_type_fits_its_column() -> None:
    width = Event.__table__.c.type.type.impl.length  # type: ignore[attr-defined]
    assert all(len(t) <= width for t in EventType)
    assert EventType.of_counter(CounterState.PAUSED) is EventType.COUNTER_PAUSED
