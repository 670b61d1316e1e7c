"""The write lane: this process's write transactions, first come first served, on few threads.

SQLite lets one writer in at a time. When every request ran its transaction on a thread of
its own, ten threads queued for the write lock and fought the event loop for the GIL while
they waited; the lock is not fair, so some requests waited several turns (issue p99 55 ms at
300 tickets/s). Handing the transactions to one thread that takes them in arrival order keeps
the order and the tail short (docs/benchmarks.md). PostgreSQL serialises per branch itself and
spends much of a transaction waiting on the network, so it gets a few threads.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class WriteLane:
    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="cherha-write")

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` on the lane and wait for it without blocking the event loop.

        A request cancelled before its turn never runs; one already running finishes (its
        transaction commits or rolls back as a whole).
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Finish what is queued, then stop the threads."""
        self._executor.shutdown(wait=True)
