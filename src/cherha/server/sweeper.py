"""The booking sweeper: marks no-shows and purges old personal data, at start and periodically.

It runs on a thread of its own (the passes are short database transactions); the app's lifespan
starts and stops it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from .store.bookings import BookingOps
from .store.faults import log_failures

log = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 3600.0


class BookingSweeper:
    """`interval` seconds between passes; 0 or less: one pass at start, then no more."""

    def __init__(self, ops: BookingOps, interval: float) -> None:
        self.ops = ops
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name="cherha-booking-sweeper", daemon=True
        )
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            # Off the event loop: a pass under way may need the loop to hand out its wake-ups.
            await asyncio.to_thread(self._thread.join, 30)
            self._thread = None

    def _run(self) -> None:
        last_purge = float("-inf")
        with log_failures(log, "hashing phone numbers with the current key"):
            self.ops.rehash_phones()  # phones kept unpurged, hashed with the current key
        while True:
            with log_failures(log, "booking sweep"):
                self.ops.sweep_all()
                if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                    self.ops.purge()
                    self.ops.tidy()
                    last_purge = time.monotonic()
            if self.interval <= 0 or self._stop.wait(self.interval):
                return
