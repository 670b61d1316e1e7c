"""Reads shared by a group commit's writes (store/group_reads.py) are exactly what the
database would answer: the same hall run write by write and in groups answers the same."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import update

from cherha.core.errors import DomainError
from cherha.server.auth import Principal
from cherha.server.store.counters import CounterOps
from cherha.server.store.db import Database
from cherha.server.store.models import Branch, Service
from cherha.server.store.records import get_branch, get_service
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre

KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)
CLERKS = {1: Principal(kind="user", id=2, name="clerk1", role="clerk")}
CLERKS[2] = Principal(kind="user", id=3, name="clerk2", role="clerk")
SERVICES = (1, 9, 10)


def _hall(url: str, seed: int, grouped: bool) -> list[object]:
    """What each step of a random hall answered: tickets issued (number, people ahead, the
    estimate), visitors called, steps refused; `grouped`: the steps run in groups of 1–12
    writes, one transaction each, as the write lane runs them under load."""
    make_centre(url, clerks=2)
    db = Database(url)
    clock = FakeClock()
    ops = TicketOps(db, clock)
    counters = CounterOps(db, clock)
    rng = random.Random(seed)
    answers: list[object] = []
    current: dict[int, int] = {}

    def step() -> None:
        clock.advance(seconds=rng.randint(0, 40))
        kind = rng.random()
        counter_id = rng.choice([1, 2])
        clerk = CLERKS[counter_id]
        try:
            if kind < 0.55:
                issued = ops.issue(KIOSK, 1, rng.choice(SERVICES), priority=rng.random() < 0.2)
                answers.append(
                    (
                        "issued",
                        issued.ticket.number,
                        issued.people_ahead,
                        issued.estimated_wait_minutes,
                    )
                )
            elif kind < 0.75:
                view = ops.call_next(clerk, counter_id)
                answers.append(("called", None if view is None else view.ticket.number))
                if view is not None:
                    current[counter_id] = view.ticket.id
            elif kind < 0.85 and counter_id in current:
                ops.act(clerk, current[counter_id], "start")
                answers.append(("started", counter_id))
            elif kind < 0.92 and counter_id in current:
                ops.finish(clerk, current.pop(counter_id))
                answers.append(("finished", counter_id))
            elif kind < 0.96:
                if rng.random() < 0.5:
                    counters.pause(clerk, counter_id)
                else:
                    counters.open(clerk, counter_id)
                answers.append(("window", counter_id))
            else:
                with db.write(1) as session:  # a service's average changes (as on finishing)
                    session.execute(
                        update(Service)
                        .where(Service.id == rng.choice(SERVICES))
                        .values(average_seconds=rng.randint(60, 900))
                    )
                answers.append(("average",))
        except DomainError as exc:
            answers.append(("refused", type(exc).__name__))

    try:
        for counter_id, clerk in CLERKS.items():
            counters.open(clerk, counter_id)
        steps = 150
        while steps > 0:
            size = rng.randint(1, 12)  # drawn either way: both runs take the same steps
            steps -= size
            if grouped and db.is_sqlite:
                with db.group():
                    for _ in range(size):
                        step()
            else:
                for _ in range(size):
                    step()
    finally:
        db.dispose()
    return answers


@pytest.mark.parametrize("seed", range(3))
def test_a_hall_answers_the_same_in_groups_as_write_by_write(
    tmp_path: pytest.TempPathFactory, seed: int
) -> None:
    alone = _hall(f"sqlite:///{tmp_path}/alone.db", seed, grouped=False)
    grouped = _hall(f"sqlite:///{tmp_path}/grouped.db", seed, grouped=True)
    assert grouped == alone
    assert any(a[0] == "issued" and a[2] > 0 for a in alone if isinstance(a, tuple))


def test_a_write_in_the_group_is_seen_by_the_next_read(sqlite_url: str) -> None:
    """A branch or service read once in a group, then changed by a later write of the group
    (through the ORM or a Core statement), is read as changed; a write that failed and rolled
    back leaves the row as it was, even though it read its own change."""
    make_centre(sqlite_url, clerks=1)
    db = Database(sqlite_url)
    try:
        with db.group():
            with db.write(1) as session:
                assert get_branch(session, 1).paused is False
                assert get_service(session, 1).average_seconds != 123
            with db.write(1) as session:
                get_branch(session, 1).paused = True  # ORM, flushed at the savepoint's end
            with db.write(1) as session:
                session.execute(update(Service).where(Service.id == 1).values(average_seconds=123))
            with db.read() as session:
                assert get_branch(session, 1).paused is True
                assert get_service(session, 1).average_seconds == 123
            with pytest.raises(RuntimeError, match="this write fails"):
                _failing_rename(db)
            with db.read() as session:
                assert get_branch(session, 1).name_uk != "Інша"
            with db.write(1) as session:
                branch = get_branch(session, 1)
                branch.priority_categories.append({"uk": "x"})  # this write's own copy
            with db.read() as session:
                assert {"uk": "x"} not in get_branch(session, 1).priority_categories
    finally:
        db.dispose()


def _failing_rename(db: Database) -> None:
    with db.write(1) as session:
        session.execute(update(Branch).where(Branch.id == 1).values(name_uk="Інша"))
        assert get_branch(session, 1).name_uk == "Інша"
        raise RuntimeError("this write fails")
