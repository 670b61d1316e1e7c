"""Fan-out of committed events to live clients (event streams of displays, desks, phones).

The events table is the truth. After each commit the writer wakes the hub (in this process
directly, in other processes through PostgreSQL NOTIFY); the hub reads the new rows once and
hands them to every subscriber of that branch. A periodic look at the table covers anything a
wake-up missed (e.g. a second server process on SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import select
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cherha import wire

from .store.models import Event
from .store.views import Views

log = logging.getLogger(__name__)

SUBSCRIBER_BUFFER = 2000


def event_payload(event: Event) -> dict[str, Any]:
    """The event as the stream sends it (`cherha.wire.Event`), as JSON-ready data."""
    return wire.Event.model_validate(event, from_attributes=True).model_dump(mode="json")


@dataclass(eq=False)
class Subscription:
    branch_id: int
    queue: asyncio.Queue[dict[str, Any] | None] = field(
        default_factory=lambda: asyncio.Queue(SUBSCRIBER_BUFFER)
    )
    overflowed: bool = False
    ended: bool = False
    """The server is stopping: the stream ends, its client reconnects elsewhere."""


class EventHub:
    def __init__(self, views: Views, poll_seconds: float) -> None:
        self.views = views
        self.poll_seconds = poll_seconds
        self._subscribers: dict[int, set[Subscription]] = {}
        self._cursor: dict[int, int] = {}
        self._dirty: set[int] = set()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = threading.Lock()
        self._stopping = False
        self._ending = False
        self.on_count_change: Callable[[int], None] = lambda _n: None

    @property
    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def cursor(self, branch_id: int) -> int:
        return self._cursor.get(branch_id, 0)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="cherha-event-hub")

    async def stop(self) -> None:
        """Ask the loop to end and wait for it (cancelling only as a last resort).

        A stop flag rather than task.cancel(): on Python 3.11 a cancellation that lands while
        a wait_for() completes can be swallowed, and awaiting the task then hangs for ever.
        """
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        if self._task is not None:
            _done, pending = await asyncio.wait({self._task}, timeout=5)
            for task in pending:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for subs in self._subscribers.values():
            for sub in subs:
                with contextlib.suppress(asyncio.QueueFull):
                    sub.queue.put_nowait(None)

    def end_streams(self) -> None:
        """End every event stream now, and any that starts from now on (the server stops)."""
        self._ending = True
        for subs in self._subscribers.values():
            for sub in subs:
                sub.ended = True
                with contextlib.suppress(asyncio.QueueFull):
                    sub.queue.put_nowait(None)

    def wake(self, branch_id: int) -> None:
        """Called from any thread after a commit touching this branch."""
        with self._lock:
            self._dirty.add(branch_id)
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

    async def subscribe(self, branch_id: int) -> Subscription:
        if branch_id not in self._cursor:
            self._cursor[branch_id] = await asyncio.to_thread(self.views.last_event_id, branch_id)
        sub = Subscription(branch_id, ended=self._ending)
        self._subscribers.setdefault(branch_id, set()).add(sub)
        self.on_count_change(self.subscriber_count)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subscribers.get(sub.branch_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:  # a branch nobody listens to is no longer looked at
                del self._subscribers[sub.branch_id]
        self.on_count_change(self.subscriber_count)

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            if self._stopping:
                return
            self._wake.clear()
            with self._lock:
                dirty, self._dirty = self._dirty, set()
            # On a poll tick with no wake-up, look at every branch someone listens to.
            branches = (dirty or set(self._subscribers)) & set(self._subscribers)
            for branch_id in branches:
                try:
                    await self._deliver(branch_id)
                except Exception:  # the database may be briefly gone; the next tick retries
                    log.warning(
                        "event hub could not read events of branch %s", branch_id, exc_info=True
                    )

    async def _deliver(self, branch_id: int) -> None:
        while True:
            after = self._cursor.get(branch_id, 0)
            events = await asyncio.to_thread(self.views.events_after, branch_id, after)
            if not events:
                return
            self._cursor[branch_id] = events[-1].id
            payloads = [event_payload(e) for e in events]
            for sub in list(self._subscribers.get(branch_id, ())):
                for payload in payloads:
                    try:
                        sub.queue.put_nowait(payload)
                    except asyncio.QueueFull:
                        # A client this far behind is dropped; it reconnects with Last-Event-ID.
                        sub.overflowed = True
                        self.unsubscribe(sub)
                        break


def libpq_dsn(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://…) as a plain libpq connection string."""
    from sqlalchemy.engine.url import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresListener:
    """Wakes the hub when another server instance commits (LISTEN cherha_events); `also`
    maps further channels to what they wake (the notification senders)."""

    def __init__(
        self,
        dsn: str,
        hub: EventHub | None,
        also: Mapping[str, Callable[[], None]] | None = None,
    ) -> None:
        self.dsn = dsn
        self.hub = hub
        self.also = also or {}
        self._stop = threading.Event()
        # stop() writes a byte here: the thread waits on it beside the connection's socket, so
        # the server stops at once instead of at the next look (half a second).
        self._stop_reader, self._stop_writer = socket.socketpair()
        self._thread = threading.Thread(target=self._run, name="cherha-pg-listen", daemon=True)
        self.ready = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._stop_writer.send(b"x")
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._stop_reader.close()
            self._stop_writer.close()

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
                    if self.hub is not None:
                        conn.execute("LISTEN cherha_events")
                    for channel in self.also:
                        conn.execute(f"LISTEN {channel}")
                    self.ready.set()
                    while not self._stop.is_set():
                        # What has arrived (timeout=0: one look, no wait), then wait for more
                        # or for stop(); the timeout only bounds a wait that nothing ends.
                        for note in conn.notifies(timeout=0):
                            if note.channel in self.also:
                                self.also[note.channel]()
                                continue
                            if self.hub is not None:
                                with contextlib.suppress(ValueError):
                                    self.hub.wake(int(note.payload))
                        select.select([conn.fileno(), self._stop_reader.fileno()], [], [], 0.5)
            except Exception:
                log.warning("LISTEN connection lost; retrying", exc_info=True)
                self._stop.wait(1.0)
