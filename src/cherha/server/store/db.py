"""The database handle: engines, sessions and write transactions that serialise per branch.

Every change runs in `Database.write(branch_id)`: one transaction that holds the branch's write
lock (SQLite: `BEGIN IMMEDIATE`, one writer at a time; PostgreSQL: `SELECT … FOR UPDATE` on the
branch row). Under that lock ticket numbers, "call next" and event ids follow commit order, so
two clerks never get the same ticket and an event stream reading `id > last` misses nothing.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import group_reads
from .fair_lock import FairLock
from .models import Branch

log = logging.getLogger(__name__)

_immediate: ContextVar[bool] = ContextVar("cherha_sqlite_immediate", default=False)

AFTER_COMMIT = "cherha_after_commit"
"""`session.info` key of a write's list of callbacks to run once it is committed (durable):
`after_commit(session, callback)`."""

CommitListener = Callable[[int], None]
EventHook = Callable[[Session, Any], None]
"""Called by `records.record_event` with the session and each new event (notifications)."""


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once this write transaction is committed; with group commit that is
    the group's commit, not the release of the write's savepoint (SQLAlchemy's own
    after_commit event fires then)."""
    callbacks: list[Callable[[], None]] | None = session.info.get(AFTER_COMMIT)
    if callbacks is not None:
        callbacks.append(callback)
    else:  # a session made elsewhere (a migration, a tool): its own commit is the one
        event.listen(session, "after_commit", lambda _session: callback(), once=True)


@dataclass
class _Group:
    """A group commit under way: its connection, and what to run once it has committed."""

    connection: Connection
    branches: list[int] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    @contextmanager
    def session(self, sessions: sessionmaker[Session]) -> Iterator[Session]:
        """A session in a savepoint of the group's transaction (released, or rolled back
        alone, when the block ends)."""
        with (
            group_reads.kept_unless_failed(self.connection),
            sessions(bind=self.connection, join_transaction_mode="create_savepoint") as session,
            session.begin(),
        ):
            yield session


class Database:
    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL", timeout: float = 5.0) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self._commit_listeners: list[CommitListener] = []
        self._event_hooks: list[EventHook] = []
        # SQLite allows one writer; queue this process's writers here, in turn, instead of
        # letting them spin in SQLite's busy handler, whose sleeps make long latency tails.
        self._sqlite_writer = FairLock()
        self._local = threading.local()  # the write lane's open group, on its thread
        self.engine = self._make_engine(sqlite_synchronous, timeout)
        self.sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={"cherha_event_hooks": self._event_hooks}
        )

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
            group_reads.watch(engine)
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

    def add_event_hook(self, hook: EventHook) -> None:
        """Run `hook(session, event)` for every event recorded, inside its transaction."""
        self._event_hooks.append(hook)

    @contextmanager
    def read(self) -> Iterator[Session]:
        group = self._current_group()
        if group is not None:
            # Inside a group: see what the group's earlier jobs wrote (not yet committed). A
            # read writes nothing, so it gets no savepoint of its own (two statements and a
            # nested transaction fewer, issue 19). The session never ends the group's
            # transaction: it does not begin one, and `rollback_only` passes on nothing but a
            # rollback, which a read never asks for (tested: a failed read in a group).
            with self.sessions(
                bind=group.connection, join_transaction_mode="rollback_only"
            ) as session:
                yield session
            return
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A connection for Core reads (no ORM objects): inside a group the group's own, which
        sees the group's earlier writes (no session to make and close: the staff login looked
        up on the write lane cost 0.13–0.18 ms of CPU in a session and a savepoint, 0.035 ms here,
        `bench/bench_statements.py`); else one from the pool, in a read transaction of its
        own."""
        group = self._current_group()
        if group is not None:
            yield group.connection
            return
        with self.engine.connect() as connection, connection.begin():
            yield connection

    def _current_group(self) -> _Group | None:
        group: _Group | None = getattr(self._local, "group", None)
        return group

    @contextmanager
    def group(self) -> Iterator[None]:
        """SQLite: one transaction for the writes this thread makes inside, each of them in a
        savepoint of its own (the write lane's group commit: `cherha.server.writes`).

        A write that fails rolls back its savepoint only. After the one commit, the commit
        listeners and after-commit callbacks of every write in the group run, in order.
        """
        if not self.is_sqlite:
            raise RuntimeError("group commit is for SQLite's single writer")
        with self._sqlite_writer:
            token = _immediate.set(True)
            try:
                with self.engine.connect() as connection:
                    group = _Group(connection)
                    self._local.group = group
                    group_reads.begin(connection)
                    try:
                        with connection.begin():
                            yield
                    except OperationalError as exc:
                        self._after_failed_write(exc)
                        raise
                    finally:
                        self._local.group = None
                        group_reads.end(connection)
            finally:
                _immediate.reset(token)
        self._committed(group.branches, group.after_commit)

    @contextmanager
    def write(self, branch_id: int | None) -> Iterator[Session]:
        """One write transaction; with a branch id it holds that branch's write lock.

        Writes that touch no branch (logins, users, devices) pass None. On SQLite every write
        starts with BEGIN IMMEDIATE: a deferred transaction that reads, then writes, fails with
        "database is locked" at once when another writer got there first.
        """
        after_commit: list[Callable[[], None]] = []
        group = self._current_group()
        if group is not None:
            with group.session(self.sessions) as session:
                session.info[AFTER_COMMIT] = after_commit
                yield session
            # Committed with the group, not now: the group runs these after its commit.
            if branch_id is not None:
                group.branches.append(branch_id)
            group.after_commit.extend(after_commit)
            return
        if self.is_sqlite:
            with self._sqlite_writer:
                token = _immediate.set(True)
                try:
                    with self.sessions() as session, session.begin():
                        session.info[AFTER_COMMIT] = after_commit
                        yield session
                except OperationalError as exc:
                    self._after_failed_write(exc)
                    raise
                finally:
                    _immediate.reset(token)
        else:
            with self.sessions() as session, session.begin():
                session.info[AFTER_COMMIT] = after_commit
                if branch_id is not None:
                    # The whole row, not just its id: it lands in the session, so the
                    # get_branch() that follows costs no second round trip. FOR NO KEY UPDATE,
                    # not FOR UPDATE: it serialises the branch's writers all the same, but does
                    # not wait for the KEY SHARE locks that every insert of a row referring to
                    # the branch takes (the reports' fold inserted 2,000 such rows in one
                    # transaction, and issuing waited for it, 1.9 s).
                    session.scalars(
                        select(Branch).where(Branch.id == branch_id).with_for_update(key_share=True)
                    ).one_or_none()
                yield session
                if branch_id is not None:
                    # Delivered at commit; wakes the event streams of the other instances.
                    session.execute(
                        text("SELECT pg_notify('cherha_events', :b)"), {"b": str(branch_id)}
                    )
        self._committed([] if branch_id is None else [branch_id], after_commit)

    def _committed(self, branches: list[int], after_commit: list[Callable[[], None]]) -> None:
        """Wake whoever waits for these writes. They are committed: a listener that fails is
        logged, never passed to the writers (they would take their kept writes for lost)."""
        wake_ups: list[Callable[[], None]] = [
            functools.partial(listener, branch_id)
            for branch_id in dict.fromkeys(branches)
            for listener in self._commit_listeners
        ]
        for wake_up in [*wake_ups, *after_commit]:
            try:
                wake_up()
            except Exception:
                log.exception("after a commit: a listener failed (the writes are kept)")

    def _after_failed_write(self, exc: OperationalError) -> None:
        if "readonly" in str(exc.orig):
            # A file opened while it was read-only stays so on that connection: open new
            # ones, so writes work again once the file is writable.
            self.engine.dispose()

    def dispose(self) -> None:
        self.engine.dispose()


SQLITE_PAGE_CACHE_KIB = 512
"""Each pooled SQLite connection's page cache (SQLite's default is 2,000 KiB). A server under
load keeps about ten connections open; with the default they held about 45 MB more after
3,000 tickets (`bench/bench_memory.py`), and in WAL mode a reader's cache is dropped whenever
another connection has written, so a big one bought little. The operating system's file cache
still holds the database."""


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
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_PAGE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")

    _plain_savepoints(engine.dialect)


def _plain_savepoints(dialect: Dialect) -> None:
    """Savepoints sent as the SQL they are, not compiled anew each time.

    SQLAlchemy compiles a statement object for every SAVEPOINT and RELEASE (each savepoint has
    a name of its own, so none is cached): in a group commit, where every write has its
    savepoint, that was about a tenth of an issued ticket's time on the write lane (issue 19).
    The text is what the compiler makes; it still passes the engine's events (`group_reads`).
    """
    name_of = functools.partial(dialect.identifier_preparer.format_savepoint, None)

    def savepoint(connection: Connection, name: str) -> None:
        connection.exec_driver_sql(f"SAVEPOINT {name_of(name)}")

    def rollback_to(connection: Connection, name: str) -> None:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name_of(name)}")

    def release(connection: Connection, name: str) -> None:
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {name_of(name)}")

    # The dialect object is this engine's own (create_engine makes one per engine).
    dialect.do_savepoint = savepoint  # type: ignore[method-assign]
    dialect.do_rollback_to_savepoint = rollback_to  # type: ignore[method-assign]
    dialect.do_release_savepoint = release  # type: ignore[method-assign]
