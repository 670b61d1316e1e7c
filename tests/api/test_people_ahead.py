"""The SQL count of people ahead agrees with the core's rule on random halls."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from cherha.core.model import TicketStatus
from cherha.core.ordering import people_ahead
from cherha.server.auth import Principal
from cherha.server.store.counters import CounterOps
from cherha.server.store.db import Database
from cherha.server.store.issuing import count_people_ahead
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
    db.dispose()
