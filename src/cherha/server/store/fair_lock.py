"""A lock taken in the order it was asked for.

`threading.Lock` is not fair: the thread that releases it can take it again at once, ahead of
threads already waiting, and a waiter woken by the release may lose it to a newcomer. SQLite's
one writer in this process is held by the write lane (the queue's writes) and by background
work (the reports' fold, the booking sweeper, device and account changes); with an unfair lock
a background thread writing chunk after chunk could take it again ahead of the waiting lane
(docs/benchmarks.md, the login flood). Waiting in turn bounds the lane's wait by one holder.
"""

from __future__ import annotations

import threading
from types import TracebackType


class FairLock:
    def __init__(self) -> None:
        self._state = threading.Condition(threading.Lock())
        self._next_ticket = 0
        self._serving = 0
        self._abandoned: set[int] = set()

    def __enter__(self) -> None:
        with self._state:
            ticket = self._next_ticket
            self._next_ticket += 1
            try:
                while self._serving != ticket:
                    self._state.wait()
            except BaseException:  # interrupted while waiting: give the turn up, not the lock
                if self._serving == ticket:
                    self._advance()
                else:
                    self._abandoned.add(ticket)
                raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._state:
            self._advance()

    def locked(self) -> bool:
        with self._state:
            return self._serving != self._next_ticket

    def _advance(self) -> None:
        self._serving += 1
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._state.notify_all()
