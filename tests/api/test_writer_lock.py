"""Writers of other processes (the notifications' child, the command line) take SQLite's one
writer in turn through a file lock beside the database (store/writer_lock.py), instead of
SQLite's busy handler's sleeps (1, 2, 5, 10 … ms)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from cherha.server.store.db import Database


@contextmanager
def database(path: Path, timeout: float = 5.0) -> Iterator[Database]:
    db = Database(f"sqlite:///{path}", timeout=timeout)
    try:
        with db.write(None) as session:
            session.execute(text("CREATE TABLE IF NOT EXISTS t (n INTEGER)"))
        yield db
    finally:
        db.dispose()


def lock_is_free(path: Path) -> bool:
    """What another process sees: can it take the writer's file lock now?"""
    fd = os.open(f"{path}.write.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops a lock taken on it
    return True


def test_a_write_and_a_group_hold_the_file_lock_until_their_commit(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with database(path) as db:
        assert lock_is_free(path)
        with db.write(None) as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
            assert not lock_is_free(path)
        assert lock_is_free(path)
        with db.group():
            with db.write(None) as session:
                session.execute(text("INSERT INTO t VALUES (2)"))
            assert not lock_is_free(path)
        assert lock_is_free(path)


def test_a_writer_of_another_database_handle_waits_for_the_lock_then_writes(
    tmp_path: Path,
) -> None:
    """Two handles on one file (as two processes have): the second writer waits on the file
    lock while the first holds it, and writes as soon as it is released."""
    path = tmp_path / "c.db"
    with database(path) as first, database(path) as second:
        inside, release = threading.Event(), threading.Event()

        def hold() -> None:
            with first.write(None) as session:
                session.execute(text("INSERT INTO t VALUES (1)"))
                inside.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        assert inside.wait(10)
        wrote = threading.Event()

        def write() -> None:
            with second.write(None) as session:
                session.execute(text("INSERT INTO t VALUES (2)"))
            wrote.set()

        writer = threading.Thread(target=write)
        writer.start()
        assert not wrote.wait(0.3), "the second writer waited for the first"
        release.set()
        holder.join(10)
        assert wrote.wait(10)
        writer.join(10)
        with second.read() as session:
            assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]


def test_where_the_lock_file_cannot_be_made_writes_go_on(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    Path(f"{path}.write.lock").mkdir()  # cannot be opened as the lock file
    with database(path) as db:
        with db.write(None) as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
        with db.read() as session:
            assert session.execute(text("SELECT count(*) FROM t")).scalar_one() == 1


def test_a_lock_held_too_long_leaves_the_decision_to_sqlite(tmp_path: Path) -> None:
    """A writer that cannot have the file lock within the timeout goes on to SQLite, whose
    own locking decides (here the file lock's holder holds no SQLite lock: the write goes)."""
    path = tmp_path / "c.db"
    with database(path, timeout=0.2) as db:
        fd = os.open(f"{path}.write.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with db.write(None) as session:
                session.execute(text("INSERT INTO t VALUES (1)"))
        finally:
            os.close(fd)
        with db.read() as session:
            assert session.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
