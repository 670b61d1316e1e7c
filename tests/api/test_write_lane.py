"""The write lane: transactions in arrival order on its threads, errors passed back, no leftovers."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable

import pytest

from cherha.core.errors import Invalid
from cherha.server.writes import WriteLane

# The lane as PostgreSQL runs it (a thread pool of one here), and as SQLite runs it: one thread
# taking the queued jobs in groups (a group that does nothing here: test_group_commit.py has the
# database). Both keep every rule below.
LANES: dict[str, Callable[[], WriteLane]] = {
    "pool": lambda: WriteLane(1),
    "grouped": lambda: WriteLane(1, contextlib.nullcontext),
}


@pytest.fixture(params=sorted(LANES))
def make_lane(request: pytest.FixtureRequest) -> Callable[[], WriteLane]:
    return LANES[request.param]


def test_one_thread_runs_jobs_one_at_a_time_in_arrival_order(
    make_lane: Callable[[], WriteLane],
) -> None:
    lane = make_lane()
    ran: list[int] = []
    threads: set[str] = set()
    running = 0
    most_at_once = 0

    def job(n: int) -> int:
        nonlocal running, most_at_once
        running += 1
        most_at_once = max(most_at_once, running)
        threads.add(threading.current_thread().name)
        time.sleep(0.001)  # room for another thread to cut in, if there were one
        ran.append(n)
        running -= 1
        return n * n

    async def main() -> list[int]:
        return await asyncio.gather(*(lane.run(job, n) for n in range(50)))

    try:
        results = asyncio.run(main())
    finally:
        lane.close()
    assert results == [n * n for n in range(50)]
    assert ran == list(range(50))
    assert most_at_once == 1
    assert len(threads) == 1
    assert threads.pop().startswith("cherha-write")
    assert threading.current_thread().name not in threads


def test_an_error_reaches_the_caller_and_the_lane_keeps_going(
    make_lane: Callable[[], WriteLane],
) -> None:
    lane = make_lane()

    def refuse() -> None:
        raise Invalid("Не можна", "Not allowed", code="nope")

    async def main() -> str:
        with pytest.raises(Invalid) as refused:
            await lane.run(refuse)
        assert refused.value.code == "nope"
        return await lane.run(str.upper, "далі / next")

    try:
        assert asyncio.run(main()) == "ДАЛІ / NEXT"
    finally:
        lane.close()


def test_a_request_cancelled_before_its_turn_never_runs(
    make_lane: Callable[[], WriteLane],
) -> None:
    lane = make_lane()
    release = threading.Event()
    ran: list[str] = []

    def blocker() -> None:
        release.wait(5)
        ran.append("first")

    def job(name: str) -> None:
        ran.append(name)

    async def main() -> None:
        first = asyncio.ensure_future(lane.run(blocker))
        second = asyncio.ensure_future(lane.run(job, "second"))
        third = asyncio.ensure_future(lane.run(job, "third"))
        await asyncio.sleep(0.05)  # all three queued; the first one is running
        second.cancel()  # the client went away while waiting
        await asyncio.sleep(0.01)  # the cancellation reaches the executor's queue
        release.set()
        await first
        await third
        with pytest.raises(asyncio.CancelledError):
            await second

    try:
        asyncio.run(main())
    finally:
        lane.close()
    assert ran == ["first", "third"]


def test_close_finishes_what_is_queued(make_lane: Callable[[], WriteLane]) -> None:
    lane = make_lane()
    done: list[int] = []

    def slow(n: int) -> None:
        time.sleep(0.01)
        done.append(n)

    async def main() -> None:
        queued = [asyncio.ensure_future(lane.run(slow, n)) for n in range(5)]
        await asyncio.sleep(0)  # handed to the executor
        await asyncio.to_thread(lane.close)  # as the server does when it stops
        assert done == [0, 1, 2, 3, 4]
        await asyncio.gather(*queued)

    asyncio.run(main())


def test_a_closed_lane_refuses_new_jobs(make_lane: Callable[[], WriteLane]) -> None:
    lane = make_lane()
    assert asyncio.run(lane.run(str.upper, "так")) == "ТАК"
    lane.close()
    with pytest.raises(RuntimeError):
        asyncio.run(lane.run(str.upper, "ні"))


def test_a_lane_without_threads_runs_each_job_on_the_loop_s_own_thread() -> None:
    """The notifications' process on SQLite: a transaction is never left waiting for the GIL
    while it holds the write lock, since no other thread of the process takes turns with it."""
    lane = WriteLane(0)
    threads: set[str] = set()
    ran: list[int] = []

    def job(n: int) -> int:
        threads.add(threading.current_thread().name)
        ran.append(n)
        return n * n

    def refuse() -> None:
        raise Invalid("Не можна", "Not allowed", code="nope")

    async def main() -> list[int]:
        with pytest.raises(Invalid):
            await lane.run(refuse)
        return await asyncio.gather(*(lane.run(job, n) for n in range(20)))

    assert asyncio.run(main()) == [n * n for n in range(20)]
    assert ran == list(range(20))
    assert threads == {threading.current_thread().name}
    lane.close()
    with pytest.raises(RuntimeError):
        asyncio.run(lane.run(str.upper, "ні"))
