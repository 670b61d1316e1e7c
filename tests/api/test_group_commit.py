"""Group commit on SQLite: the write lane runs the queued jobs in one transaction, each job in a
savepoint of its own; one commit makes them durable, and only then are they answered."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from cherha.core.errors import Invalid
from cherha.core.model import EventType
from cherha.server.auth import Principal
from cherha.server.store.db import Database, after_commit
from cherha.server.store.models import Event, Ticket
from cherha.server.store.tickets import TicketOps
from cherha.server.writes import WriteLane
from tests.helpers import crash_in_group
from tests.helpers.app import make_centre

KIOSK = Principal("device", 1, "kiosk", "kiosk", 1)


class CountedGroups:
    """`Database.group`, counting the groups and what each held."""

    def __init__(self, db: Database, fail_after: bool = False) -> None:
        self.db = db
        self.fail_after = fail_after
        self.sizes: list[int] = []
        self.jobs_in_group = 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self.jobs_in_group = 0
        with self.db.group():
            yield
            self.sizes.append(self.jobs_in_group)
            if self.fail_after and self.jobs_in_group:
                raise OSError("disk full")


def tickets_and_events(db: Database) -> tuple[int, int]:
    with db.read() as session:
        tickets = session.scalar(select(func.count(Ticket.id))) or 0
        events = session.scalar(select(func.count(Event.id))) or 0
    return tickets, events


def run_behind_a_blocker(
    lane: WriteLane, jobs: list[Callable[[], Any]]
) -> list[BaseException | Any]:
    """Hold the lane with one job until all `jobs` are queued, so they form one group."""
    started, release = threading.Event(), threading.Event()

    def block() -> None:
        started.set()
        release.wait(5)

    async def main() -> list[BaseException | Any]:
        blocker = asyncio.ensure_future(lane.run(block))
        while not started.is_set():  # the blocker is running: the rest queue behind it
            await asyncio.sleep(0.005)
        queued = [asyncio.ensure_future(lane.run(job)) for job in jobs]
        await asyncio.sleep(0.05)
        release.set()
        await blocker
        return await asyncio.gather(*queued, return_exceptions=True)

    try:
        return asyncio.run(main())
    finally:
        lane.close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'group.db'}"
    make_centre(url)
    database = Database(url)
    yield database
    database.dispose()


def test_queued_jobs_commit_together_and_a_failed_one_alone_is_rolled_back(
    db: Database,
) -> None:
    groups = CountedGroups(db)
    ops = TicketOps(db)
    before = tickets_and_events(db)

    def issue() -> str:
        groups.jobs_in_group += 1
        return ops.issue(KIOSK, 1, 1).ticket.number

    def write_then_refuse() -> None:
        groups.jobs_in_group += 1
        with db.write(1) as session:
            session.add(
                Event(
                    at=datetime.now(UTC),
                    branch_id=1,
                    type=EventType.BRANCH_PAUSED,
                    actor="t",
                    data={},
                )
            )
            session.flush()  # written in its savepoint, then rolled back with it
            raise Invalid("Не можна", "Not allowed", code="nope")

    jobs: list[Callable[[], Any]] = [issue] * 10 + [write_then_refuse] + [issue] * 9
    results = run_behind_a_blocker(WriteLane(1, groups), jobs)

    assert groups.sizes == [0, 20]  # the blocker's group, then all twenty in one
    refused = results[10]
    assert isinstance(refused, Invalid)
    assert refused.code == "nope"
    numbers = [r for i, r in enumerate(results) if i != 10]
    assert all(isinstance(n, str) for n in numbers)
    assert len(set(numbers)) == 19  # no number given twice
    after = tickets_and_events(db)
    assert after == (before[0] + 19, before[1] + 19)  # each ticket with its event, once


def test_reads_inside_a_group_see_its_earlier_writes(db: Database) -> None:
    ops = TicketOps(db)

    def issue() -> int:
        return ops.issue(KIOSK, 1, 1).ticket.id

    def look(ticket_id_of: list[int]) -> bool:
        with db.read() as session:
            return session.get(Ticket, ticket_id_of[0]) is not None

    issued: list[int] = []

    def issue_and_remember() -> int:
        issued.append(issue())
        return issued[0]

    results = run_behind_a_blocker(
        WriteLane(1, db.group), [issue_and_remember, lambda: look(issued)]
    )
    assert results == [issued[0], True]


def test_a_read_that_fails_inside_a_group_costs_no_other_job_its_write(db: Database) -> None:
    # Reads in a group run in no savepoint of their own (issue 19): a read that fails — a
    # refusal raised while reading, a statement the database refuses — must not end the
    # group's transaction.
    ops = TicketOps(db)
    before = tickets_and_events(db)

    def issue() -> str:
        return ops.issue(KIOSK, 1, 1).ticket.number

    def read_then_refuse() -> None:
        with db.read() as session:
            session.scalar(select(func.count(Ticket.id)))
            raise Invalid("Не можна", "Not allowed", code="nope")

    def read_a_bad_statement() -> None:
        with db.read() as session:
            session.execute(text("SELECT no_such_column FROM tickets"))

    def core_read_then_refuse() -> None:
        with db.read_connection() as connection:
            connection.execute(select(func.count(Ticket.id)))
            raise Invalid("Не можна", "Not allowed", code="nope")

    jobs: list[Callable[[], Any]] = [
        issue,
        read_then_refuse,
        issue,
        read_a_bad_statement,
        issue,
        core_read_then_refuse,
        issue,
    ]
    groups = CountedGroups(db)

    def counted(job: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            groups.jobs_in_group += 1
            return job()

        return run

    results = run_behind_a_blocker(WriteLane(1, groups), [counted(job) for job in jobs])

    assert groups.sizes == [0, 7]  # the blocker's group, then all seven in one
    assert [type(r).__name__ for r in results[1::2]] == ["Invalid", "OperationalError", "Invalid"]
    numbers = results[0::2]
    assert all(isinstance(n, str) for n in numbers)
    assert len(set(numbers)) == 4
    assert tickets_and_events(db) == (before[0] + 4, before[1] + 4)  # committed, each once


def test_listeners_and_callbacks_run_after_the_commit_and_see_the_data(db: Database) -> None:
    ops = TicketOps(db)
    seen: list[tuple[str, int]] = []

    def count_committed() -> int:
        # A connection of its own: sees only what is committed.
        with db.engine.connect() as connection:
            return int(connection.execute(select(func.count(Ticket.id))).scalar_one())

    before = count_committed()
    db.add_commit_listener(lambda branch: seen.append((f"branch {branch}", count_committed())))

    def issue_with_callback() -> None:
        ops.issue(KIOSK, 1, 1)
        with db.write(None) as session:
            after_commit(session, lambda: seen.append(("callback", count_committed())))

    run_behind_a_blocker(WriteLane(1, db.group), [issue_with_callback] * 3)
    # One wake for the branch and three callbacks, all after the one commit of three tickets.
    assert seen == [("branch 1", before + 3)] + [("callback", before + 3)] * 3


def test_a_listener_that_fails_after_the_commit_loses_no_answer(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    ops = TicketOps(db)
    before = tickets_and_events(db)

    def broken(_branch: int) -> None:
        raise RuntimeError("a listener's bug")

    db.add_commit_listener(broken)

    def issue() -> str:
        return ops.issue(KIOSK, 1, 1).ticket.number

    with caplog.at_level("ERROR", logger="cherha.server.store.db"):
        results = run_behind_a_blocker(WriteLane(1, db.group), [issue] * 3)
    assert all(isinstance(number, str) for number in results)  # each answered with its ticket
    assert tickets_and_events(db) == (before[0] + 3, before[1] + 3)
    assert "the writes are kept" in caplog.text


def test_a_failed_commit_answers_every_job_with_the_error_and_keeps_nothing(
    db: Database,
) -> None:
    groups = CountedGroups(db, fail_after=True)
    ops = TicketOps(db)
    before = tickets_and_events(db)

    def refuse() -> None:
        groups.jobs_in_group += 1
        raise Invalid("Не можна", "Not allowed", code="nope")

    def issue() -> object:
        groups.jobs_in_group += 1
        return ops.issue(KIOSK, 1, 1)

    results = run_behind_a_blocker(WriteLane(1, groups), [issue, refuse, issue])
    assert isinstance(results[0], OSError)
    assert isinstance(results[1], Invalid)  # its own error, not the commit's
    assert isinstance(results[2], OSError)
    assert tickets_and_events(db) == before


def test_group_commit_is_refused_on_postgresql() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/none")
    group: AbstractContextManager[None] = db.group()
    with pytest.raises(RuntimeError, match="SQLite"), group:
        pass


def test_a_process_killed_inside_a_group_keeps_what_it_answered_and_nothing_else(
    tmp_path: Path,
) -> None:
    """The process dies after ten writes of a group, before its commit: the tickets answered
    before are all there with their events, none of the group's is, the database is sound,
    and numbering goes on from the last ticket anyone was told about."""
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    make_centre(url)
    child = subprocess.run(
        [sys.executable, "-m", "tests.helpers.crash_in_group", url],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 9, child.stderr
    *answered, last = child.stdout.splitlines()
    assert len(answered) == crash_in_group.ANSWERED_ALONE, child.stdout
    # The group had written its ten when the process died.
    in_group = crash_in_group.ANSWERED_ALONE + crash_in_group.IN_THE_DYING_GROUP
    assert last == f"{crash_in_group.IN_GROUP_MARK} {in_group}", child.stdout

    db = Database(url)
    try:
        with db.read() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            kept = list(session.scalars(select(Ticket.number).order_by(Ticket.id)))
            issued_events = session.scalar(
                select(func.count(Event.id)).where(Event.type == EventType.TICKET_ISSUED)
            )
        assert kept == answered
        assert issued_events == len(answered)
        after = TicketOps(db).issue(KIOSK, 1, 1).ticket
        assert after.sequence == len(answered) + 1
    finally:
        db.dispose()
