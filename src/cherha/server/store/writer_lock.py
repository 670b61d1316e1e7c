"""SQLite's one writer, handed from one Cherha process to another as soon as it is free.

When a second process finds SQLite's write lock taken, SQLite retries after sleeps of 1, 2,
5, 10, 15, 20, 25 … ms (its busy handler): a write that finds another process's 3 ms commit
under way waits 8 ms, one that finds a longer one tens. The server and its notifications'
child (docs/notifications.md), `cherha-server notify` and the command line all write to the
same file, so each of their write transactions first takes an `flock` on a file beside the
database and the next one goes on as soon as the lock is released.

Only a way to wait better, never the safety: SQLite's own locking still decides. When the file
cannot be made (a read-only folder) or the lock is not free within the database's timeout,
the write goes on to SQLite as before (and waits there, or fails as "database is locked").
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

FIRST_WAIT, LONGEST_WAIT = 0.0002, 0.001
"""How long a waiting writer sleeps between tries, growing from the first to the longest."""


class FileWriterLock:
    """Taken by at most one thread of a process at a time (inside the process's `FairLock`)."""

    def __init__(self, path: Path | None, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._held = False

    def __enter__(self) -> None:
        fd = self._open()
        if fd is None:
            return
        deadline = time.monotonic() + self.timeout
        wait = FIRST_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's own locking decides
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
                continue
            except OSError:
                return
            self._held = True
            return

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._held and self._fd is not None:
            self._held = False
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _open(self) -> int | None:
        if self._fd is None and self.path is not None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                self.path = None  # not here: SQLite's locking alone, as before
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
