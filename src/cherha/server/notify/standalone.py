"""`cherha-server notify`: the Telegram bot and the senders in a process of their own.

With `CHERHA_NOTIFY_IN_SERVER=false` the servers only write the outbox (in each change's
transaction, as always) and this process does all the talking to Telegram and to webhook
receivers, so that work never shares a CPU or a GIL with the requests. It is woken by
`NOTIFY cherha_outbox` on PostgreSQL; on SQLite it looks every `CHERHA_NOTIFY_POLL_SECONDS`
(set 0.2 there, so a call still reaches Telegram well within a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine

from .. import heap
from ..hub import PostgresListener, libpq_dsn
from ..metrics import Metrics
from ..settings import Settings
from ..store.bookings import BookingOps
from ..store.clock import utcnow
from ..store.db import Database
from ..store.migrate import upgrade
from ..store.tickets import TicketOps
from ..writes import WriteLane
from . import OUTBOX_CHANNEL, Notifications

log = logging.getLogger(__name__)


async def run_notifier(
    settings: Settings,
    stop: asyncio.Event | None = None,
    *,
    attach: Callable[[Notifications], Coroutine[None, None, None]] | None = None,
) -> None:
    """Until SIGTERM or SIGINT (or `stop`): poll the bot, send, deliver. `attach` runs beside
    them once they run (the child process of `serve` hears the server's wake-ups with it)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    db = Database(
        settings.database_url,
        sqlite_synchronous=settings.sqlite_synchronous,
        timeout=settings.db_timeout_seconds,
    )
    if settings.auto_migrate:
        upgrade(db.engine)
    # SQLite: each transaction on the loop's own thread, start to commit. On a thread of its
    # own it held the write lock 4.6–5.3 ms at the median for a few statements, waiting for the
    # GIL between them while the loop sent (docs/benchmarks.md); the server waited behind it.
    writes = WriteLane(0) if db.is_sqlite else WriteLane(4)
    tickets = TicketOps(db, utcnow)
    bookings = BookingOps(db, utcnow, settings.phone_hash_key())
    notify = Notifications(settings, db, utcnow, writes, tickets, bookings, Metrics())
    listener = None
    attached: asyncio.Task[None] | None = None
    try:
        await notify.start()
        heap.started()
        if not db.is_sqlite:
            listener = PostgresListener(
                libpq_dsn(db.url), None, {OUTBOX_CHANNEL: notify.wake_from_thread}
            )
            listener.start()
        if attach is not None:
            attached = asyncio.create_task(attach(notify), name="cherha-notify-attached")
        log.info("notifications running (Telegram: %s)", notify.telegram_enabled)
        await stop.wait()
    finally:
        if attached is not None:
            attached.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await attached
        await notify.stop()
        if listener is not None:
            listener.stop()
        writes.close()
        db.dispose()
