"""Phantom tickets (issue 13 item 6): with the database stalled 14 s — another connection
holding SQLite's write lock, a real server process — the kiosk's tap gives one ticket, shown
and printed, never «no ticket» for a ticket that exists and never two. The retry logic itself
(same key, patience, «what did it make?») is tested without a server below."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cherha.client import ApiError, Conflict, ServerUnavailable
from cherha.kiosk.keyed import NothingMade, Unsettled, send_keyed
from cherha.server.store.db import Database
from cherha.server.store.models import Ticket
from tests.helpers.server import ServerProcess, prepare_database

from .conftest import Kiosk, kiosk_config

STALL_SECONDS = 14.0


def tickets(database_url: str) -> list[str]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(Ticket.number).order_by(Ticket.id)))
    finally:
        db.dispose()


class Stall:
    """Another connection holding SQLite's write lock for `seconds`, from a thread of its own."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        self.holding = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        blocker = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            blocker.execute("BEGIN IMMEDIATE")
            self.holding.set()
            time.sleep(self.seconds)
            blocker.execute("ROLLBACK")
        finally:
            blocker.close()

    def __enter__(self) -> Stall:
        self.thread.start()
        assert self.holding.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.thread.join(self.seconds + 10)


@pytest.fixture
def stalled_centre(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str, str]]:
    """(database path, server url, kiosk key): a real server process on SQLite."""
    path = tmp_path / "stall.db"
    url = f"sqlite:///{path}"
    prepared = prepare_database(url)
    env = {"CHERHA_DB_TIMEOUT_SECONDS": str(request.param)} if request.param else {}
    server = ServerProcess(url, extra_env=env).start(120)
    try:
        yield str(path), server.url, prepared.kiosk_key
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize(
    "stalled_centre",
    [None, 30],  # the server's default lock wait (5 s: it answers 503), and one that waits it out
    ids=["server-gives-up-after-5s", "server-waits"],
    indirect=True,
)
def test_a_stalled_server_gives_one_ticket_printed(
    qtbot: QtBot, stalled_centre: tuple[str, str, str], prints: Path
) -> None:
    path, url, key = stalled_centre
    kiosk = Kiosk(qtbot, kiosk_config(url, key, f"preview-dir:{prints}", poll_seconds=1))
    try:
        kiosk.wait_ready()
        kiosk.to_services()
        # The sample centre lists priority categories: the visitor answers «no» first.
        kiosk.tap(kiosk.w.services_page.cards[0])
        kiosk.wait_screen("priority")
        database_url = f"sqlite:///{path}"
        with Stall(Path(path), STALL_SECONDS):
            began = time.monotonic()
            kiosk.tap(kiosk.w.priority_page.no)
            kiosk.qtbot.waitUntil(lambda: kiosk.c.waiting_long, timeout=15_000)
            assert kiosk.c.screen == "issuing"  # still waiting, no «no ticket»
            assert tickets(database_url) == []
        kiosk.wait_screen("ticket", timeout=40_000)
        assert time.monotonic() - began >= STALL_SECONDS - 1
        ticket = kiosk.c.ticket
        assert ticket is not None
        assert tickets(database_url) == [ticket.number] == ["А001"]  # one ticket, this one
        kiosk.wait_printed()
        assert kiosk.c.print_state == "printed"
        jobs = sorted(prints.glob("*.bin"))
        assert len(jobs) == 1
        assert ticket.number in jobs[0].read_bytes().decode("cp1251", errors="replace")
    finally:
        kiosk.close()


# -- the retry logic, without a server -----------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Stopped(threading.Event):
    """Pauses pass instantly on the test's clock."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def wait(self, timeout: float | None = None) -> bool:
        self.clock.now += timeout or 0
        return self.is_set()


def test_a_retry_uses_the_same_key_until_an_answer() -> None:
    clock = Clock()
    keys: list[str] = []

    def send(key: str) -> str:
        keys.append(key)
        if len(keys) < 3:
            raise ServerUnavailable()
        return "ticket"

    made = send_keyed(
        send, lambda _k: None, "k-1", patience=30, stopped=Stopped(clock), clock=clock
    )
    assert made == "ticket"
    assert keys == ["k-1", "k-1", "k-1"]


def test_when_patience_runs_out_the_kiosk_asks_what_the_key_made() -> None:
    clock = Clock()
    sent: list[str] = []

    def send(key: str) -> str:
        sent.append(key)
        clock.now += 10  # each try times out after 10 s
        raise ServerUnavailable()

    asked: list[str] = []

    def found(key: str) -> str:
        asked.append(key)
        return "the ticket it made"

    result = send_keyed(send, found, "k-2", patience=30, stopped=Stopped(clock), clock=clock)
    assert result == "the ticket it made"
    assert len(sent) == 3
    assert asked == ["k-2"]
    with pytest.raises(NothingMade):
        send_keyed(send, lambda _k: None, "k-3", patience=5, stopped=Stopped(clock), clock=clock)

    def unreachable(_key: str) -> str:
        raise ServerUnavailable()

    with pytest.raises(Unsettled) as unknown:
        send_keyed(send, unreachable, "k-4", patience=5, stopped=Stopped(clock), clock=clock)
    assert unknown.value.key == "k-4"


def test_a_refusal_is_the_servers_answer_not_a_reason_to_retry() -> None:
    calls: list[str] = []

    def send(key: str) -> str:
        calls.append(key)
        raise Conflict(409, "branch_paused", "Прийом призупинено", "Service is paused")

    with pytest.raises(ApiError) as refused:
        send_keyed(send, lambda _k: None, "k-5", patience=30)
    assert refused.value.code == "branch_paused"
    assert calls == ["k-5"]


def test_a_kiosk_that_quits_stops_retrying() -> None:
    stopped = threading.Event()
    stopped.set()
    with pytest.raises(NothingMade):
        send_keyed(
            lambda _k: (_ for _ in ()).throw(ServerUnavailable()),
            lambda _k: None,
            "k-6",
            patience=300,
            stopped=stopped,
        )
