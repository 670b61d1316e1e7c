"""The kiosk's read times out while the database is stalled; the ticket is committed later.
With the same key its retry, and its last question, find that ticket instead of making a
second one (real server processes; a real stall: another connection holding the lock)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from cherha.client import QueueClient, ServerUnavailable, new_request_key
from cherha.server.store.db import Database
from cherha.server.store.models import Ticket
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ServerProcess, prepare_database

pytestmark = pytest.mark.slow

STALL_SECONDS = 2.5
START_TIMEOUT = 120  # the machine may be busy; starting is not what is tested


def tickets(database_url: str) -> int:
    db = Database(database_url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count(Ticket.id))) or 0)
    finally:
        db.dispose()


@contextmanager
def sqlite_stall(path: Path) -> Iterator[None]:
    """Another process's connection holding SQLite's write lock."""
    blocker = sqlite3.connect(path, timeout=1, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


@contextmanager
def postgres_stall(cluster: ThrowawayPostgres, database: str) -> Iterator[None]:
    """Another session holding the branch row's lock (what every write of the branch takes)."""
    with psycopg.connect(
        f"host=127.0.0.1 port={cluster.port} user={cluster.user} dbname={database}"
    ) as conn:
        conn.execute("SELECT id FROM branches FOR UPDATE")
        yield
        conn.rollback()


def run_tap(
    server: ServerProcess,
    kiosk_key: str,
    stall: AbstractContextManager[None],
    database_url: str,
) -> None:
    client = QueueClient(server.url, kiosk_key, read_timeout=1.0)
    key = new_request_key()
    with stall:
        with pytest.raises(ServerUnavailable):
            client.issue_ticket(1, idempotency_key=key)  # the kiosk's read times out
        time.sleep(STALL_SECONDS - 1.0)
        assert tickets(database_url) == 0
    # The stall is over: the first request commits. The retry with the same key finds it.
    deadline = time.monotonic() + 10
    while tickets(database_url) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    retry = client.issue_ticket(1, idempotency_key=key)
    outcome = client.request_outcome(key)
    assert outcome is not None
    assert outcome.issued is not None
    assert outcome.issued.id == retry.id
    assert retry.number == "А001"
    assert tickets(database_url) == 1
    # A kiosk that asks before retrying, after a stall in which nothing was made, gets None,
    # and the key can no longer make anything.
    fresh = new_request_key()
    assert client.request_outcome(fresh) is None
    client.close()


def test_sqlite_a_retry_after_a_timeout_is_the_same_ticket(tmp_path: Path) -> None:
    path = tmp_path / "stall.db"
    url = f"sqlite:///{path}"
    prepared = prepare_database(url)
    server = ServerProcess(url, extra_env={"CHERHA_DB_TIMEOUT_SECONDS": "10"}).start(START_TIMEOUT)
    try:
        run_tap(server, prepared.kiosk_key, sqlite_stall(path), url)
    finally:
        server.stop()


@pytest.mark.postgres
def test_postgres_a_retry_after_a_timeout_is_the_same_ticket(
    postgres_cluster: ThrowawayPostgres,
) -> None:
    url = postgres_cluster.create_database("stall_retry")
    prepared = prepare_database(url)
    server = ServerProcess(url, extra_env={"CHERHA_DB_TIMEOUT_SECONDS": "10"}).start(START_TIMEOUT)
    try:
        run_tap(server, prepared.kiosk_key, postgres_stall(postgres_cluster, "stall_retry"), url)
    finally:
        server.stop()
