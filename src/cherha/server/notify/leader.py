"""Which server instance runs the Telegram bot: the one holding a lock the system releases
when the holder dies.

Telegram lets one client poll a bot's updates at a time, and its message limits are per bot,
so one instance polls and sends while the others stand by. On PostgreSQL the lock is a
session advisory lock held on a connection of its own (a crashed instance's connection
closes, and the lock with it); on SQLite it is an `flock` on a file beside the database (the
kernel drops it with the process). Neither needs a clock, so a standby takes over within one
check after the holder is gone, and a server restarted after SIGKILL leads at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, text
from sqlalchemy.engine.url import make_url

from ..store.db import Database

log = logging.getLogger(__name__)

# pg_try_advisory_lock(bigint): an arbitrary number that names "the Cherha Telegram bot".
ADVISORY_KEY = 0x43_68_65_72_68_61_54_47  # "CherhaTG"


class Leadership(Protocol):
    def try_acquire(self) -> bool:
        """True while this instance holds the lock (takes it when free). Blocking I/O."""
        ...

    def release(self) -> None: ...


class FileLeadership:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class AlwaysLeader:
    """An in-memory SQLite database: only this process can see it."""

    def try_acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


class PostgresLeadership:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        try:
            if self._conn is not None:
                # Still connected means still holding it.
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()  # never left idle in a transaction
                return True
            conn = self.db.engine.connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            if got.scalar():
                conn.commit()
                self._conn = conn
                return True
            conn.rollback()
            conn.close()
            return False
        except Exception:
            log.warning("Telegram leader lock: database connection lost", exc_info=True)
            self._drop()
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.invalidate()
                self._conn.close()
            self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                self._conn.commit()
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


def leadership_for(db: Database) -> Leadership:
    if not db.is_sqlite:
        return PostgresLeadership(db)
    database = make_url(db.url).database
    if not database or database == ":memory:":
        return AlwaysLeader()
    return FileLeadership(Path(f"{database}.telegram.lock"))
