"""Notifications: the Telegram bot and webhooks, fed by an outbox (docs/notifications.md).

`Notifications` is made once with the backend. It installs the event hook (`fanout.Fanout`)
on the database, so every event writes its notifications in its own transaction; `start()`
runs the senders (and, with a bot token, the bot) on an event loop of their own, in a thread
of their own, away from the requests; `stop()` ends them.

Why a thread: on the server's event loop, every webhook's HTTP exchange (httpx, ~3.6 ms of
Python each) and every Telegram message ran between the requests' callbacks, so a call's
answer waited behind them (a third of the loop's busy time in the latency benchmark). On their
own loop the operating system and the interpreter interleave them with the requests instead
of queueing the requests behind them (docs/benchmarks.md#notifications).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from ..metrics import Metrics
from ..settings import Settings
from ..store.bookings import BookingOps
from ..store.clock import Clock
from ..store.db import Database
from ..store.faults import log_failures
from ..store.tickets import TicketOps
from ..writes import WriteLane
from . import outbox
from .delivery import WebhookSender
from .fanout import Fanout, WebhookDirectory
from .followers import Followers, forget_ended
from .leader import leadership_for
from .links import Links

if TYPE_CHECKING:
    from .telegram import TelegramBot

log = logging.getLogger(__name__)

OUTBOX_CHANNEL = "cherha_outbox"
"""PostgreSQL NOTIFY channel: an instance wrote to the outbox (wakes the others' senders)."""
UPKEEP_SECONDS = 300.0

__all__ = ["OUTBOX_CHANNEL", "Links", "Notifications"]


class Notifications:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Clock,
        writes: WriteLane,
        tickets: TicketOps,
        bookings: BookingOps,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.writes = writes
        self.links = Links(settings.telegram_bot_username)
        self.directory = WebhookDirectory()
        self.webhooks = WebhookSender(settings, db, clock, writes, metrics)
        self.bot: TelegramBot | None = None
        if settings.telegram_enabled:
            # Imported only with a bot token: the Telegram library is ~8 MB of the server's
            # memory that a centre without the bot should not carry.
            from .telegram import TelegramBot

            followers = Followers(
                db,
                clock,
                tickets,
                bookings,
                ahead_alert=settings.telegram_ahead_alert,
                per_ticket=settings.telegram_followers_per_ticket,
            )
            self.bot = TelegramBot(
                settings, db, clock, writes, followers, self.links, leadership_for(db), metrics
            )
            # The HTTP client logs every request's URL at INFO, and the URL holds the token.
            logging.getLogger("httpx").setLevel(logging.WARNING)
        self.fanout = Fanout(
            telegram=self.bot is not None,
            ahead_alert=settings.telegram_ahead_alert,
            webhooks=self.directory,
            on_commit=self.wake_from_thread,
            notify_channel=None if db.is_sqlite else OUTBOX_CHANNEL,
        )
        db.add_event_hook(self.fanout)
        self._loop: asyncio.AbstractEventLoop | None = None  # where the senders run
        self._thread: threading.Thread | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stop = asyncio.Event()

    @property
    def telegram_enabled(self) -> bool:
        return self.bot is not None

    def ticket_link(self, public_token: str) -> str | None:
        return self.links.ticket(public_token) if self.bot is not None else None

    def booking_link(self, link_token: str | None) -> str | None:
        return self.links.booking(link_token) if self.bot is not None else None

    # -- waking the senders ------------------------------------------------------------------

    def wake(self) -> None:
        """On the senders' event loop: something was written to the outbox."""
        self.webhooks.poke()
        if self.bot is not None:
            self.bot.poke()

    def wake_from_thread(self) -> None:
        """From any thread (a write transaction that committed outbox rows, a NOTIFY)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.wake)

    # -- running -----------------------------------------------------------------------------

    async def start(self, *, senders: bool = True) -> None:
        """Run the senders and the bot; with `senders=False` (another process runs them: the
        server with `notify_in_server = false`) only learn the bot's username for the links."""
        if not senders:
            self._loop = asyncio.get_running_loop()
            self._stop.clear()
            if self.bot is not None:
                self._tasks = [asyncio.create_task(self.bot.learn(), name="cherha-telegram-getme")]
            return
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(started.set)
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=serve, name="cherha-notify", daemon=True)
        self._thread.start()
        await asyncio.to_thread(started.wait)
        self._loop = loop
        await self._inside(self._start_senders())

    async def _inside(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` on the senders' loop and wait for it from the caller's."""
        assert self._loop is not None
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))

    async def _start_senders(self) -> None:
        self._stop = asyncio.Event()  # an event belongs to the loop that first waits on it
        self._tasks = [
            asyncio.create_task(self.webhooks.run(), name="cherha-webhooks"),
            asyncio.create_task(self._upkeep(), name="cherha-notify-upkeep"),
        ]
        if self.bot is not None:
            self._tasks.append(asyncio.create_task(self.bot.run(), name="cherha-telegram"))

    async def stop(self) -> None:
        thread, loop = self._thread, self._loop
        if thread is None:
            await self._stop_senders()
            self._loop = None
            return
        assert loop is not None
        try:
            await self._inside(self._stop_senders())
        finally:
            loop.call_soon_threadsafe(loop.stop)
            await asyncio.to_thread(thread.join)
            self._thread = None
            self._loop = None

    async def _stop_senders(self) -> None:
        self._stop.set()
        await self.webhooks.stop()
        if self.bot is not None:
            await self.bot.stop()
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=10)
            for task in pending:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._tasks = []

    async def _upkeep(self) -> None:
        """Now and then: dead claims back to pending, old logs and ended followers forgotten."""
        while not self._stop.is_set():
            with log_failures(log, "notifications upkeep"):
                now = self.clock()
                for channel in (outbox.WEBHOOK, outbox.TELEGRAM):
                    await self.writes.run(
                        outbox.release_claims, self.db, channel, now, all_of_them=False
                    )
                await self.writes.run(outbox.prune, self.db, now, self.settings.webhook_log_days)
                await self.writes.run(forget_ended, self.db, now)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(UPKEEP_SECONDS):
                    await self._stop.wait()
