"""Notifications: the Telegram bot and webhooks, fed by an outbox (docs/notifications.md).

`Notifications` is made once with the backend. It installs the event hook (`fanout.Fanout`)
on the database, so every event writes its notifications in its own transaction; `start()`
runs the senders (and, with a bot token, the bot) as tasks of the server's event loop, away
from the requests; `stop()` ends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from ..metrics import Metrics
from ..settings import Settings
from ..store.bookings import BookingOps
from ..store.clock import Clock
from ..store.db import Database
from ..store.faults import log_failures
from ..store.notify_models import OutboxMessage, Webhook
from ..store.tickets import TicketOps
from ..writes import WriteLane
from . import outbox
from .fanout import Fanout, WebhookDirectory
from .followers import Followers, forget_ended
from .leader import leadership_for
from .links import Links

if TYPE_CHECKING:
    from .delivery import WebhookSender
    from .telegram import TelegramBot

log = logging.getLogger(__name__)

CHANNELS = frozenset({outbox.TELEGRAM, outbox.WEBHOOK})
"""Every sender: what a wake-up that does not say whose news it is wakes."""
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
        *,
        sends: bool = True,
    ) -> None:
        """`sends`: this process runs the bot and the senders (false: another process does,
        and this one only writes the outbox and makes the links)."""
        self.settings = settings
        self.sends = sends
        self.db = db
        self.clock = clock
        self.writes = writes
        self.links = Links(settings.telegram_bot_username)
        self.directory = WebhookDirectory()
        self.webhooks: WebhookSender | None = None
        if sends:
            # Imported only where it sends: the HTTP client is memory a server whose
            # notifications run in a process of their own does not need.
            from .delivery import WebhookSender

            self.webhooks = WebhookSender(settings, db, clock, writes, metrics)
        self.bot: TelegramBot | None = None
        self._telegram = settings.telegram_enabled
        if self._telegram and sends:
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
            telegram=self._telegram,
            ahead_alert=settings.telegram_ahead_alert,
            webhooks=self.directory,
            on_commit=self.wake_from_thread,
            notify_channel=None if db.is_sqlite else OUTBOX_CHANNEL,
        )
        db.add_event_hook(self.fanout)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._forward: Callable[[frozenset[str]], None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stop = asyncio.Event()

    @property
    def telegram_enabled(self) -> bool:
        return self._telegram

    def has_work(self) -> bool:
        """A bot, a webhook registered, or rows in the outbox (to send, retry or prune)."""
        if self._telegram:
            return True
        with self.db.read() as session:
            return bool(
                session.scalar(select(exists().select_from(Webhook)))
                or session.scalar(select(exists().select_from(OutboxMessage)))
            )

    def ticket_link(self, public_token: str) -> str | None:
        return self.links.ticket(public_token) if self._telegram else None

    def booking_link(self, link_token: str | None) -> str | None:
        return self.links.booking(link_token) if self._telegram else None

    # -- waking the senders ------------------------------------------------------------------

    def wake(self, channels: Collection[str] = CHANNELS) -> None:
        """On the event loop: rows were written to the outbox for these channels."""
        if self.webhooks is not None and outbox.WEBHOOK in channels:
            self.webhooks.poke()
        if self.bot is not None and outbox.TELEGRAM in channels:
            self.bot.poke()

    def forward_wakes(self, wake: Callable[[frozenset[str]], None] | None) -> None:
        """Another process sends (the child of `serve`): wake it instead, from any thread."""
        self._forward = wake

    def wake_from_thread(self, channels: frozenset[str] = CHANNELS) -> None:
        """From any thread: a write transaction committed outbox rows for these channels (a
        NOTIFY from another instance does not say which: both)."""
        forward = self._forward
        if forward is not None:
            forward(channels)
            return
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.wake, channels)

    # -- running -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Run the senders and the bot; where another process runs them (`sends` false), only
        learn the bot's username for the links."""
        self._loop = asyncio.get_running_loop()
        self._stop.clear()
        if not self.sends:
            if self._telegram and not self.links.known:
                from .getme import learn_username

                token = self.settings.telegram_bot_token.get_secret_value()
                learn = learn_username(
                    self.settings.telegram_api_url, token, self.links, self._stop
                )
                self._tasks = [asyncio.create_task(learn, name="cherha-telegram-getme")]
            return
        assert self.webhooks is not None  # made when `sends`
        self._tasks = [
            asyncio.create_task(self.webhooks.run(), name="cherha-webhooks"),
            asyncio.create_task(self._upkeep(), name="cherha-notify-upkeep"),
        ]
        if self.bot is not None:
            self._tasks.append(asyncio.create_task(self.bot.run(), name="cherha-telegram"))

    async def stop(self) -> None:
        self._stop.set()
        if self.webhooks is not None:
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
        self._loop = None

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
