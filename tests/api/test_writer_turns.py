"""SQLite's one writer is taken in turn (store/fair_lock.py), and background work holds it only
briefly: the reports' fold writes in small chunks, so a queue write waits behind one of them,
never behind the whole fold (it stalled issuing for over a second once a minute)."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.server.auth import Principal
from cherha.server.store import report_fold
from cherha.server.store.db import Database
from cherha.server.store.fair_lock import FairLock
from cherha.server.store.report_models import ReportCursor, ReportVisit
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre

KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.0005)


def tickets_given(lock: FairLock, count: int) -> bool:
    return lock._next_ticket == count


def test_the_lock_is_taken_in_the_order_it_was_asked_for() -> None:
    lock = FairLock()
    order: list[int] = []
    waiting = threading.Semaphore(0)
    lock.__enter__()  # held while the others line up

    def take(n: int) -> None:
        waiting.release()
        with lock:
            order.append(n)

    threads = []
    for n in range(8):
        thread = threading.Thread(target=take, args=(n,))
        thread.start()
        waiting.acquire()
        # The holder's ticket, then one per thread started.
        _wait_until(functools.partial(tickets_given, lock, n + 2), f"thread {n} did not line up")
        threads.append(thread)
    lock.__exit__(None, None, None)
    for thread in threads:
        thread.join(10)
    assert order == list(range(8))
    assert not lock.locked()


def test_a_waiter_interrupted_gives_up_its_turn_not_the_lock() -> None:
    lock = FairLock()
    lock.__enter__()
    # A waiter whose wait raised (as KeyboardInterrupt would): its ticket is skipped.
    lock._next_ticket += 1
    lock._abandoned.add(1)
    took: list[str] = []

    def take() -> None:
        lock.__enter__()
        took.append("next")

    after = threading.Thread(target=take)
    after.start()
    _wait_until(lambda: lock._next_ticket == 3, "the next waiter did not line up")
    lock.__exit__(None, None, None)
    after.join(10)
    assert took == ["next"]
    lock.__exit__(None, None, None)
    assert not lock.locked()


@pytest.mark.parametrize("events", [600])
def test_a_write_waits_for_one_chunk_of_the_fold_not_the_whole_fold(
    tmp_path: Path, events: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/fold.db"
    make_centre(url)
    db = Database(url)
    # Told from inside a chunk's transaction, holding the writer. (Watching for "the cursor made
    # and the writer held" once caught the lock still held by the transaction that made the
    # cursor, before any chunk: the write then came first, at 0.)
    in_a_chunk = threading.Event()
    locked_cursor = report_fold._locked_cursor

    def marking(session: Session, db: Database, branch_id: int) -> ReportCursor:
        cursor = locked_cursor(session, db, branch_id)
        in_a_chunk.set()
        return cursor

    monkeypatch.setattr(report_fold, "_locked_cursor", marking)
    try:
        ops = TicketOps(db, FakeClock())
        for n in range(events):
            ops.issue(KIOSK, 1, 1 + n % 10)
        folded_when_written: list[int] = []
        fold = threading.Thread(target=report_fold.refresh, args=(db, 1))
        fold.start()
        assert in_a_chunk.wait(30), "the fold did not start writing"
        with db.write(None) as session:  # a queue write, asked for while the fold writes
            cursor = session.get(ReportCursor, 1)
            folded_when_written.append(0 if cursor is None else cursor.last_event_id)
        fold.join(60)
        with db.read() as session:
            cursor = session.get(ReportCursor, 1)
            assert cursor is not None
            total = cursor.last_event_id
        assert total >= events
        # It got the writer after a chunk, long before the fold was done (a chunk is about
        # 15 ms of work; it was 2,000 events, the whole of this fold).
        assert 0 < folded_when_written[0] < total / 2, (folded_when_written, total)
    finally:
        db.dispose()


def _visits(db: Database) -> list[tuple[int, str, str]]:
    with db.read() as session:
        return [
            (visit.ticket_id, visit.number, visit.outcome)
            for visit in session.scalars(select(ReportVisit).order_by(ReportVisit.ticket_id))
        ]


def test_beside_the_requests_the_fold_pauses_between_small_chunks(database_url: str) -> None:
    """On PostgreSQL the fold's Python work competed for the interpreter with the one request
    holding a branch's lock, and every write of the branch queued behind it (issuing stalled
    0.4-2 s once a minute): in the server it folds PG_CHUNK events, commits, and pauses."""
    make_centre(database_url)
    db = Database(database_url)
    try:
        ops = TicketOps(db, FakeClock())
        events = 2 * report_fold.PG_CHUNK + 30
        for n in range(events):
            ops.issue(KIOSK, 1, 1 + n % 10)
        folded_at_pause: list[tuple[int, float]] = []

        def pause(seconds: float) -> None:
            with db.read() as session:  # what is committed when the fold gives way
                cursor = session.get(ReportCursor, 1)
                assert cursor is not None
                folded_at_pause.append((cursor.last_event_id, seconds))

        assert report_fold.refresh(db, 1, pause=pause) == events
        paused = _visits(db)
        assert len(paused) == events
        if db.is_sqlite:
            # SQLite's chunks are sized by time already (SQLITE_CHUNK_SECONDS) and the queue's
            # writes take the writer in turn between them: no pause is needed there.
            assert folded_at_pause == []
        else:
            assert [folded for folded, _ in folded_at_pause] == [
                report_fold.PG_CHUNK,
                2 * report_fold.PG_CHUNK,
            ]
            assert all(s >= report_fold.PG_PAUSE_SECONDS for _, s in folded_at_pause)
        # The same projections as a fold at full speed (the command line's).
        assert report_fold.rebuild(db, 1) == events
        assert _visits(db) == paused
    finally:
        db.dispose()
