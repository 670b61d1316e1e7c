"""People ahead from the waiting counts (migration 0015_waiting_lines) is exactly the core's
rule, and the counts, kept by triggers, never drift from the tickets they count."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select, text, update

from cherha.core.errors import DomainError
from cherha.core.model import Lane, TicketState, TicketStatus
from cherha.core.ordering import people_ahead
from cherha.server.auth import Principal
from cherha.server.store.counters import CounterOps
from cherha.server.store.db import Database
from cherha.server.store.estimating import estimate_inputs
from cherha.server.store.migrate import alembic_config
from cherha.server.store.models import Ticket, WaitingLine
from cherha.server.store.records import to_state
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre

SERVICES = (1, 9, 10)
Line = tuple[int, int, Lane]
"""branch, service, lane"""
START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
_numbers = itertools.count(1)

# A ticket as the strategies make it: service, lane, status, place in line (minutes after
# START: few distinct values, so ties on the place are common and broken by id).
tickets = st.tuples(
    st.sampled_from(SERVICES),
    st.sampled_from(list(Lane)),
    st.sampled_from(list(TicketStatus)),
    st.integers(0, 12),
)


def kept_and_counted(db: Database) -> tuple[dict[Line, int], dict[Line, int]]:
    with db.read() as session:
        kept = {
            (b, s, Lane(lane)): n
            for b, s, lane, n in session.execute(
                select(
                    WaitingLine.branch_id,
                    WaitingLine.service_id,
                    WaitingLine.lane,
                    WaitingLine.waiting,
                )
            )
            if n != 0
        }
        counted = {
            (b, s, Lane(lane)): n
            for b, s, lane, n in session.execute(
                select(Ticket.branch_id, Ticket.service_id, Ticket.lane, func.count())
                .where(Ticket.status == TicketStatus.WAITING)
                .group_by(Ticket.branch_id, Ticket.service_id, Ticket.lane)
            )
        }
    return kept, counted


def expected_ahead(ticket: TicketState, states: list[TicketState]) -> dict[int, int]:
    """The core's rule, for the ticket's own service and every other one (the estimate counts
    the other services' visitors at shared windows): the ticket as if it were of that service."""
    ahead = {
        service_id: people_ahead(dataclasses.replace(ticket, service_id=service_id), states)
        for service_id in SERVICES
    }
    return {service_id: n for service_id, n in ahead.items() if n > 0}


def _row(service_id: int, lane: Lane, status: TicketStatus, minutes: int) -> dict[str, object]:
    n = next(_numbers)
    at = START + timedelta(minutes=minutes)
    return {
        "branch_id": 1,
        "service_id": service_id,
        "lane": lane,
        "number": f"Z{n}",
        "sequence": n,
        "day": date(2026, 11, 27),
        "issued_at": at,
        "order_key": at,
        "status": status,
        "recall_count": 0,
        "public_token": f"waiting-lines-{n}",
        "source": "kiosk",
    }


@pytest.fixture
def centre_db(database_url: str) -> Iterator[Database]:
    make_centre(database_url, clerks=2)
    db = Database(database_url)
    yield db
    db.dispose()


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    # One database per test; each example starts by deleting the tickets (through the triggers).
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(
    line=st.lists(tickets, max_size=25),
    changes=st.lists(st.tuples(st.integers(0, 24), st.none() | tickets), max_size=8),
    newcomers=st.lists(st.tuples(st.sampled_from(list(Lane)), st.integers(0, 14)), max_size=4),
)
def test_people_ahead_is_the_core_rule_on_random_lines(
    centre_db: Database,
    line: list[tuple[int, Lane, TicketStatus, int]],
    changes: list[tuple[int, tuple[int, Lane, TicketStatus, int] | None]],
    newcomers: list[tuple[Lane, int]],
) -> None:
    """Both lanes, every status, places in line before and after each other with ties (a
    booking checked in early is placed after later walk-ins), tickets changed in place (a
    transfer changes the service, a return the status) and deleted: the counts stay the
    tickets' own, and people ahead per service — of each waiting ticket and of a newcomer not
    yet stored — is `core.ordering.people_ahead`."""
    db = centre_db
    with db.write(1) as session:
        conn = session.connection()
        conn.execute(delete(Ticket))
        ids = [
            conn.execute(insert(Ticket).returning(Ticket.id), _row(*t)).scalar_one() for t in line
        ]
        for index, change in changes:
            if not ids:
                break
            ticket_id = ids[index % len(ids)]
            if change is None:
                conn.execute(delete(Ticket).where(Ticket.id == ticket_id))
                ids.remove(ticket_id)
                continue
            service_id, lane, status, minutes = change
            conn.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id)
                .values(
                    service_id=service_id,
                    lane=lane,
                    status=status,
                    order_key=START + timedelta(minutes=minutes),
                )
            )
    kept, counted = kept_and_counted(db)
    assert kept == counted
    now = START + timedelta(hours=1)
    with db.read() as session:
        rows = list(session.scalars(select(Ticket)))
        states = [to_state(row) for row in rows]
        for row in rows:
            if row.status == TicketStatus.WAITING:
                inputs = estimate_inputs(session, row, now)
                assert dict(inputs.ahead) == expected_ahead(to_state(row), states), row.number
        for lane, minutes in newcomers:
            for service_id in SERVICES:
                place = START + timedelta(minutes=minutes)
                newcomer = Ticket(branch_id=1, service_id=service_id, lane=lane, order_key=place)
                state = TicketState(id=2**62, service_id=service_id, lane=lane, order_key=place)
                inputs = estimate_inputs(session, newcomer, now)
                assert dict(inputs.ahead) == expected_ahead(state, states)


STEPS = (
    "issue",
    "issue_priority",
    "call",
    "start",
    "finish",
    "no_show",
    "return",
    "recall",
    "cancel",
    "transfer_service",
    "transfer_window",
)


@SETTINGS
@given(steps=st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 1000)), max_size=30))
def test_the_counts_never_drift_from_the_tickets(
    centre_db: Database, steps: list[tuple[str, int]]
) -> None:
    """Random sequences of what kiosks and clerks do, through the store as the server runs it
    (refused steps included: they roll back): after every step the kept counts equal the
    waiting tickets counted, and people ahead of every waiting ticket is the core's rule."""
    db = centre_db
    clock = FakeClock()
    ops = TicketOps(db, clock)
    kiosk = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)
    clerks = {1: Principal(kind="user", id=2, name="clerk1", role="clerk")}
    clerks[2] = Principal(kind="user", id=3, name="clerk2", role="clerk")
    for counter_id, clerk in clerks.items():
        CounterOps(db, clock).open(clerk, counter_id)
    for step, pick in steps:
        clock.advance(seconds=1 + pick % 50)
        _take(db, ops, kiosk, clerks, step, pick)
        kept, counted = kept_and_counted(db)
        assert kept == counted, (step, pick)
    with db.read() as session:
        rows = list(session.scalars(select(Ticket)))
        states = [to_state(row) for row in rows]
        for row in rows:
            if row.status == TicketStatus.WAITING:
                inputs = estimate_inputs(session, row, clock())
                assert dict(inputs.ahead) == expected_ahead(to_state(row), states)


def _take(
    db: Database,
    ops: TicketOps,
    kiosk: Principal,
    clerks: dict[int, Principal],
    step: str,
    pick: int,
) -> None:
    counter_id = 1 + pick % 2
    clerk = clerks[counter_id]
    with db.read() as session:
        tickets_now = list(session.scalars(select(Ticket).order_by(Ticket.id)))
    at_window = [
        t
        for t in tickets_now
        if t.counter_id == counter_id and t.status in (TicketStatus.CALLED, TicketStatus.SERVING)
    ]
    some = tickets_now[pick % len(tickets_now)] if tickets_now else None
    current = at_window[0] if at_window else None
    try:
        if step in ("issue", "issue_priority"):
            ops.issue(kiosk, 1, SERVICES[pick % 3], priority=step == "issue_priority")
        elif step == "call":
            ops.call_next(clerk, counter_id)
        elif step in ("start", "no_show", "recall") and current is not None:
            ops.act(clerk, current.id, step)
        elif step == "finish" and current is not None:
            ops.finish(clerk, current.id)
        elif step == "return" and some is not None:
            ops.return_no_show(clerk, some.id)
        elif step == "cancel" and some is not None:
            ops.cancel(clerk, some.id)
        elif step == "transfer_service" and current is not None:
            others = [s for s in SERVICES if s != current.service_id]
            ops.transfer(clerk, current.id, service_id=others[pick % 2])
        elif step == "transfer_window" and current is not None:
            ops.transfer(clerk, current.id, counter_id=3 - counter_id)
    except DomainError:
        pass  # refused (a rule, a window's state): nothing changed, which the check confirms


def test_a_migrated_database_has_the_triggers_and_counts_its_old_line(database_url: str) -> None:
    """Going down to 0014 and up again rebuilds the counts from the tickets there are, and
    the triggers exist after it (a later migration that rebuilds `tickets` on SQLite drops
    them: this catches it)."""
    make_centre(database_url, clerks=1)
    db = Database(database_url)
    try:
        with db.write(1) as session:
            for t in [(1, Lane.ORDINARY, TicketStatus.WAITING, 1)] * 3 + [
                (9, Lane.PRIORITY, TicketStatus.WAITING, 2),
                (9, Lane.PRIORITY, TicketStatus.CALLED, 3),
            ]:
                session.connection().execute(insert(Ticket), _row(*t))
        config = alembic_config(database_url)
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0014_hot_paths")
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        kept, counted = kept_and_counted(db)
        assert kept == counted == {(1, 1, Lane.ORDINARY): 3, (1, 9, Lane.PRIORITY): 1}
        with db.engine.connect() as connection:
            if db.is_sqlite:
                found = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            else:
                found = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            triggers = set(connection.execute(text(found)).scalars())
        expected = (
            {
                "tickets_waiting_inserted",
                "tickets_waiting_deleted",
                "tickets_waiting_left",
                "tickets_waiting_entered",
            }
            if db.is_sqlite
            else {"tickets_waiting_lines"}
        )
        assert expected <= triggers
    finally:
        db.dispose()
