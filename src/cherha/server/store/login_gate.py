"""What this process knows about login waits, and one try at a time for a throttled key.

The database holds the waits (shared by every instance, `throttle`); this keeps the waits
this process has seen, so a flood of refused tries is answered without a thread or a query.

It also lets through only one try at a time for a name or address that has had to wait.
When a wait ended, every client refused during it tried again at once; each passed the check
of the waits (none had failed yet), was hashed and wrote its failure. Twenty guessers behind
one address got a guess each per wait instead of one between them, and their failure writes
reached SQLite's one writer together. Now, while a try for such a key is being checked,
another try for it is refused at once, as during a wait.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from .clock import Clock

THROTTLED_FOR = timedelta(minutes=15)
"""A key is gated one try at a time until this long after its last wait ended (as long as
the database remembers its failures: `throttle.Policy.forget`)."""

BUSY_WAIT_SECONDS = 1
"""The retry-after given to a try refused because another try for its key is being checked."""

_FORGET_ABOVE = 10_000


class LoginGate:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._waits: dict[str, datetime] = {}
        self._checking: set[str] = set()

    def known_wait(self, keys: Iterable[str]) -> int | None:
        """Seconds this process already knows one of the keys must wait, or None."""
        now = self.clock()
        with self._lock:
            return self._known_wait(keys, now)

    @contextmanager
    def attempt(self, keys: Iterable[str]) -> Iterator[int | None]:
        """Hold the keys under waits for one try; yields None, or the seconds to wait when the
        try must be refused (a known wait, or another try for a throttled key under way)."""
        keys = list(keys)
        now = self.clock()
        with self._lock:
            wait = self._known_wait(keys, now)
            throttled = [key for key in keys if self._throttled(key, now)]
            if wait is None and any(key in self._checking for key in throttled):
                wait = BUSY_WAIT_SECONDS
            claimed = [] if wait is not None else throttled
            self._checking.update(claimed)
        try:
            yield wait
        finally:
            if claimed:
                with self._lock:
                    self._checking.difference_update(claimed)

    def remember(self, key: str, until: datetime) -> None:
        with self._lock:
            if len(self._waits) > _FORGET_ABOVE:
                stale = self.clock() - THROTTLED_FOR
                self._waits = {k: v for k, v in self._waits.items() if v > stale}
            self._waits[key] = until

    def forget(self, key: str) -> None:
        with self._lock:
            self._waits.pop(key, None)

    def _known_wait(self, keys: Iterable[str], now: datetime) -> int | None:
        waits = [
            (until - now).total_seconds()
            for key in keys
            if (until := self._waits.get(key)) is not None and until > now
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def _throttled(self, key: str, now: datetime) -> bool:
        until = self._waits.get(key)
        return until is not None and until > now - THROTTLED_FOR
