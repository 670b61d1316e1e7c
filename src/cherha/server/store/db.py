"""The database handle: engines, sessions and write transactions that serialise per branch.

Every change runs in `Database.write(branch_id)`: one transaction that holds the branch's write
lock (SQLite: `BEGIN IMMEDIATE`, one writer at a time; PostgreSQL: `SELECT … FOR UPDATE` on the
branch row). Under that lock ticket numbers, "call next" and event ids follow commit order, so
two clerks never get the same ticket and an event stream reading `id > last` misses nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .models import Branch

_immediate: ContextVar[bool] = ContextVar("cherha_sqlite_immediate", default=False)

CommitListener = Callable[[int], None]


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


class Database:
    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL", timeout: float = 5.0) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self._commit_listeners: list[CommitListener] = []
        # SQLite allows one writer; queue this process's writers here instead of letting them
        # spin in SQLite's busy handler, whose sleeps make long latency tails.
        self._sqlite_writer = threading.Lock()
        self.engine = self._make_engine(sqlite_synchronous, timeout)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def _make_engine(self, synchronous: str, timeout: float) -> Engine:
        if self.dialect == "sqlite":
            database = make_url(self.url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # No pool_pre_ping: a file database's connection does not go stale, and the ping was
            # an extra statement on every checkout.
            engine = create_engine(
                self.url,
                hide_parameters=True,  # a failed write's error names no visitor in the log
                connect_args={"timeout": timeout, "check_same_thread": False},
                pool_size=20,
                max_overflow=20,
            )
            _configure_sqlite(engine, synchronous, timeout)
            return engine
        return create_engine(
            self.url,
            hide_parameters=True,
            pool_size=20,
            max_overflow=20,
            pool_pre_ping=True,
            pool_timeout=timeout,
            connect_args={"connect_timeout": max(1, int(timeout))},
        )

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Called with the branch id after every committed write (wakes the event streams)."""
        self._commit_listeners.append(listener)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def write(self, branch_id: int | None) -> Iterator[Session]:
        """One write transaction; with a branch id it holds that branch's write lock.

        Writes that touch no branch (logins, users, devices) pass None. On SQLite every write
        starts with BEGIN IMMEDIATE: a deferred transaction that reads, then writes, fails with
        "database is locked" at once when another writer got there first.
        """
        if self.is_sqlite:
            with self._sqlite_writer:
                token = _immediate.set(True)
                try:
                    with self.sessions() as session, session.begin():
                        yield session
                except OperationalError as exc:
                    if "readonly" in str(exc.orig):
                        # A file opened while it was read-only stays so on that connection:
                        # open new ones, so writes work again once the file is writable.
                        self.engine.dispose()
                    raise
                finally:
                    _immediate.reset(token)
        else:
            with self.sessions() as session, session.begin():
                if branch_id is not None:
                    # The whole row, not just its id: it lands in the session, so the
                    # get_branch() that follows costs no second round trip.
                    session.scalars(
                        select(Branch).where(Branch.id == branch_id).with_for_update()
                    ).one_or_none()
                yield session
                if branch_id is not None:
                    # Delivered at commit; wakes the event streams of the other instances.
                    session.execute(
                        text("SELECT pg_notify('cherha_events', :b)"), {"b": str(branch_id)}
                    )
        if branch_id is not None:
            for listener in self._commit_listeners:
                listener(branch_id)

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, synchronous: str, timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred-only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Purged names and phones are overwritten in the file, not left in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")
