"""The SQL count of people ahead agrees with the core's rule on random halls."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from cherha.core.model import TicketStatus
from cherha.core.ordering import people_ahead
from cherha.server.auth import Principal
from cherha.server.notify.near import front_of_line
from cherha.server.store.counters import CounterOps
from cherha.server.store.db import Database
from cherha.server.store.issuing import count_people_ahead, estimate_for
from cherha.server.store.models import Ticket
from cherha.server.store.records import to_state
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre

KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)


@pytest.mark.parametrize("seed", range(5))
def test_sql_people_ahead_matches_the_core(sqlite_url: str, seed: int) -> None:
    make_centre(sqlite_url, clerks=1)
    rng = random.Random(seed)
    clock = FakeClock()
    db = Database(sqlite_url)
    ops = TicketOps(db, clock)
    clerk = Principal(kind="user", id=2, name="clerk1", role="clerk")
    CounterOps(db, clock).open(clerk, 1)
    for _ in range(40):
        clock.advance(seconds=rng.randint(1, 90))
        if rng.random() < 0.8:
            ops.issue(KIOSK, 1, rng.choice([1, 9, 10]), priority=rng.random() < 0.25)
        else:
            view = ops.call_next(clerk, 1)
            called = view.ticket if view is not None else None
            if called is not None and rng.random() < 0.5:
                ops.transfer(
                    clerk,
                    called.id,
                    service_id=rng.choice([s for s in (1, 9, 10) if s != called.service_id]),
                )
            elif called is not None:
                ops.finish(clerk, called.id)
    with db.read() as session:
        rows = list(session.scalars(select(Ticket)))
        states = [to_state(r) for r in rows]
        waiting = [r for r in rows if r.status == TicketStatus.WAITING.value]
        assert waiting
        for row in waiting:
            assert count_people_ahead(session, row) == people_ahead(to_state(row), states), (
                row.number
            )
        # The front of each line, as the "few people ahead" notice reads it (notify/fanout.py):
        # a ticket's place in that list is its people ahead.
        for service_id in (1, 9, 10):
            expected = sorted(
                (people_ahead(to_state(r), states), r.id)
                for r in waiting
                if r.service_id == service_id
            )[:4]
            front = front_of_line(session, 1, service_id, 4)
            assert list(enumerate(front)) == expected
    db.dispose()


@pytest.mark.parametrize("seed", range(5))
def test_the_estimate_made_before_the_insert_is_the_one_read_after_it(
    sqlite_url: str, seed: int
) -> None:
    """Issuing estimates a ticket before its row exists (estimating._NOT_YET_STORED stands in
    for its id). On random halls — both lanes, three services, calls, transfers, windows busy —
    what each ticket was told equals the estimate read back for the stored ticket at once."""
    make_centre(sqlite_url, clerks=2)
    rng = random.Random(seed)
    clock = FakeClock()
    db = Database(sqlite_url)
    ops = TicketOps(db, clock)
    clerks = [Principal(kind="user", id=i, name=f"clerk{i - 1}", role="clerk") for i in (2, 3)]
    for counter_id, clerk in enumerate(clerks, start=1):
        CounterOps(db, clock).open(clerk, counter_id)
    current: dict[int, tuple[int, int, bool]] = {}  # window → (ticket, service, serving)
    told = 0
    for _ in range(60):
        clock.advance(seconds=rng.randint(1, 120))
        if rng.random() < 0.7:
            issued = ops.issue(KIOSK, 1, rng.choice([1, 9, 10]), priority=rng.random() < 0.25)
            with db.read() as session:
                row = session.get(Ticket, issued.ticket.id)
                assert row is not None
                ahead, wait, _inputs = estimate_for(session, row, clock())
            assert (issued.people_ahead, issued.estimated_wait_minutes) == (ahead, wait)
            assert row.estimated_wait_minutes == wait
            told += ahead > 0
        else:  # a window's next step: call, then start (or transfer), then finish
            counter_id = rng.choice([1, 2])
            clerk = clerks[counter_id - 1]
            at_window = current.get(counter_id)
            if at_window is None:
                view = ops.call_next(clerk, counter_id)
                if view is not None:
                    current[counter_id] = (view.ticket.id, view.ticket.service_id, False)
            elif at_window[2]:
                ops.finish(clerk, at_window[0])
                del current[counter_id]
            elif rng.random() < 0.3:
                others = [s for s in (1, 9, 10) if s != at_window[1]]
                ops.transfer(clerk, at_window[0], service_id=rng.choice(others))
                del current[counter_id]
            else:
                ops.act(clerk, at_window[0], "start")
                current[counter_id] = (at_window[0], at_window[1], True)
    assert told > 0  # some tickets stood behind others: the comparison was not all zeros
    db.dispose()
