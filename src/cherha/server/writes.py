"""The write lane: this process's write transactions, first come first served, on few threads.

SQLite lets one writer in at a time. When every request ran its transaction on a thread of
its own, ten threads queued for the write lock and fought the event loop for the GIL while
they waited; the lock is not fair, so some requests waited several turns (issue p99 55 ms at
300 tickets/s). Handing the transactions to one thread that takes them in arrival order keeps
the order and the tail short (docs/benchmarks.md). PostgreSQL serialises per branch itself and
spends much of a transaction waiting on the network, so it gets a few threads.

With no threads (`WriteLane(0)`) a job runs on the event loop's own thread, blocking it: for a
process whose loop has nothing more urgent (the notifications' process), so that no other
thread of it can take the GIL while a transaction holds SQLite's write lock.

Group commit (SQLite): with `group` given, the lane's thread takes every job queued when it
gets its turn (at most `GROUP_LIMIT`) and runs them inside one database transaction, each job
in a savepoint of its own (`Database.group`). One commit, one fsync, makes them all durable;
no job's answer is given before that commit. A job that fails rolls back its own savepoint
only. Under load this is what bounds the lane: the commit's fsync cost more than the work.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

GROUP_LIMIT = 64
"""The most jobs one commit makes durable (bounds the first job's wait for the others)."""

Group = Callable[[], AbstractContextManager[object]]
_Job = tuple[Callable[[], Any], "Future[Any]"]


class WriteLane:
    def __init__(self, threads: int, group: Group | None = None) -> None:
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._grouped: _GroupedThread | None = None
        self._closed = False  # (the lane without threads; the others' own know)
        if threads == 0:
            pass  # on the calling thread
        elif group is not None:
            self._grouped = _GroupedThread(group)
        else:
            self._executor = ThreadPoolExecutor(
                max_workers=threads, thread_name_prefix="cherha-write"
            )

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` on the lane and wait for it without blocking the event loop.

        A request cancelled before its turn never runs; one already running finishes (its
        transaction commits or rolls back as a whole).
        """
        job = functools.partial(fn, *args, **kwargs)
        if self._grouped is not None:
            return await asyncio.wrap_future(self._grouped.submit(job))
        if self._executor is None:
            if self._closed:
                raise RuntimeError("the write lane is closed")
            return job()
        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    def close(self) -> None:
        """Finish what is queued, then stop the threads."""
        self._closed = True
        if self._grouped is not None:
            self._grouped.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)


class _GroupedThread:
    """One thread that runs the queued jobs in groups, one transaction per group."""

    def __init__(self, group: Group) -> None:
        self._group = group
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None  # started by the first job, as a pool's
        self._starting = threading.Lock()
        self._closed = False

    def submit(self, job: Callable[[], T]) -> Future[T]:
        with self._starting:
            if self._closed:
                raise RuntimeError("the write lane is closed")
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="cherha-write_0", daemon=True
                )
                self._thread.start()
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    def close(self) -> None:
        with self._starting:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._jobs.put(None)
            thread.join()

    def _work(self) -> None:
        stopping = False
        while not stopping:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < GROUP_LIMIT:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            self._run_group(batch)

    def _run_group(self, batch: list[_Job]) -> None:
        done: list[tuple[Future[Any], bool, Any]] = []  # (future, ran fine, result or error)
        reached = 0
        try:
            with self._group():
                for job, future in batch:
                    reached += 1
                    # Cancelled before its turn: never runs.
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        done.append((future, True, job()))
                    except BaseException as exc:  # handed to its caller
                        done.append((future, False, exc))
        except BaseException as exc:  # the commit failed: nothing is kept
            for future, ok, value in done:
                # A job that failed keeps its own error; the others lost their work to this.
                future.set_exception(exc if ok else value)
            for _job, future in batch[reached:]:  # the group failed before their turn
                if future.set_running_or_notify_cancel():
                    future.set_exception(exc)
            return
        for future, ok, value in done:
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
