"""The Telegram bot inside the server: long polling, the visitor's commands, the sender.

Built on python-telegram-bot (its Application polls getUpdates and dispatches to handlers,
with its own retries and backoff; its Bot sends over httpx). It runs in the server process,
on the instance that holds the leader lock (`leader.py`): one poller and one sender per bot,
which is what Telegram's limits and its one-poller-per-bot rule ask for. Other instances learn
the bot's username (for the links) and stand by.

The sender takes messages from the outbox, the most urgent first, paced by `core.pacing`
(about 25 a second overall, one a second per chat by default). A 429 pauses it for as long
as Telegram asks; a network error or a 5xx puts the message back with a growing delay. None
of this is on a request's path: an API call only ever writes its outbox rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from cherha.core.errors import DomainError
from cherha.core.pacing import Pacer

from ..metrics import Metrics
from ..settings import Settings
from ..store.clock import Clock
from ..store.db import Database
from ..store.faults import log_failures
from ..writes import WriteLane
from . import near, outbox, texts
from .followers import Chat, Followers, reminder_too_late
from .getme import learn_username
from .leader import Leadership
from .links import Links, parse_payload

log = logging.getLogger(__name__)

BATCH = 200
LEADER_CHECK_SECONDS = 3.0
GIVE_UP_AFTER = timedelta(hours=12)
"""A Telegram message not delivered in this time is dropped (its ticket's day is over)."""

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Any]


# python-telegram-bot 22 gives time periods as ints unless told to use timedelta, and warns
# (even inside its own RetryAfter) until then: take the coming behaviour now.
os.environ.setdefault("PTB_TIMEDELTA", "true")


def _seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retry_delay(attempts: int) -> timedelta:
    """After a network error or a 5xx: 1 s, 2 s, 4 s … at most a minute."""
    return timedelta(seconds=min(60, 2 ** max(0, attempts - 1)))


def keyboard(buttons: tuple[texts.Button, ...]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data)] for b in buttons]
    )


class TelegramBot:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Clock,
        writes: WriteLane,
        followers: Followers,
        links: Links,
        leadership: Leadership,
        metrics: Metrics,
    ) -> None:
        self.metrics = metrics
        self.settings = settings
        self.db = db
        self.clock = clock
        self.writes = writes
        self.followers = followers
        self.links = links
        self.leadership = leadership
        self.pacer: Pacer[int] = Pacer(
            settings.telegram_messages_per_second, settings.telegram_chat_interval_seconds
        )
        self.application = self._build()
        self.wake = asyncio.Event()
        self.leading = False
        self.sent = 0
        self._stop = asyncio.Event()

    def _build(self) -> Application[Any, Any, Any, Any, Any, Any]:
        base = self.settings.telegram_api_url.rstrip("/")
        app = (
            ApplicationBuilder()
            .token(self.settings.telegram_bot_token.get_secret_value())
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .connection_pool_size(16)
            .build()
        )
        private = filters.ChatType.PRIVATE
        app.add_handler(CommandHandler("start", self._on_start, filters=private))
        app.add_handler(CommandHandler("stop", self._on_stop, filters=private))
        app.add_handler(CommandHandler("help", self._on_help, filters=private))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, self._on_help))
        app.add_error_handler(self._on_error)
        return app

    # -- running -----------------------------------------------------------------------------

    def poke(self) -> None:
        """Something was written to the outbox (called on the event loop)."""
        self.wake.set()

    async def run(self) -> None:
        """Learn the username; then, whenever this instance leads, poll and send."""
        learning = asyncio.create_task(self._learn_username(), name="cherha-telegram-getme")
        try:
            while not self._stop.is_set():
                if await asyncio.to_thread(self.leadership.try_acquire):
                    try:
                        await self._lead()
                    finally:
                        self.leading = False
                        await asyncio.to_thread(self.leadership.release)
                else:
                    await self._sleep(LEADER_CHECK_SECONDS)
        finally:
            learning.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await learning
            with contextlib.suppress(Exception):
                await self.application.shutdown()  # nothing when it never started
            with contextlib.suppress(Exception):
                await self.application.bot.shutdown()  # getMe's connections

    async def stop(self) -> None:
        self._stop.set()
        self.wake.set()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stop.wait()

    async def _learn_username(self) -> None:
        """The links need the username before this instance leads (if it ever does)."""
        token = self.settings.telegram_bot_token.get_secret_value()
        await learn_username(self.settings.telegram_api_url, token, self.links, self._stop)

    async def _lead(self) -> None:
        app = self.application
        delay = 1.0
        while not self._stop.is_set():
            try:
                await app.initialize()
                break
            except TelegramError as exc:
                log.warning("Telegram bot could not start (%s); retrying", type(exc).__name__)
                await self._sleep(delay)
                delay = min(60.0, delay * 2)
        if self._stop.is_set():
            return
        self.links.learn(app.bot.username)
        # This instance is the only sender now: claims left by a previous one are dead.
        await self.writes.run(
            outbox.release_claims, self.db, outbox.TELEGRAM, self.clock(), all_of_them=True
        )
        self.leading = True
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            timeout=self.settings.telegram_poll_timeout_seconds,
            allowed_updates=["message", "callback_query"],
            error_callback=self._on_poll_error,
        )
        done = asyncio.Event()
        sending = asyncio.create_task(self._send_loop(done), name="cherha-telegram-sender")
        try:
            while not self._stop.is_set() and not sending.done():
                await self._sleep(LEADER_CHECK_SECONDS)
                if not await asyncio.to_thread(self.leadership.try_acquire):
                    log.warning("Telegram bot: lost the leader lock; standing by")
                    break
        finally:
            done.set()
            self.wake.set()
            finished, _ = await asyncio.wait({sending}, timeout=10)
            if not finished:
                sending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sending
            with contextlib.suppress(Exception):
                await app.updater.stop()
            with contextlib.suppress(Exception):
                await app.stop()

    def _on_poll_error(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            log.warning("Telegram: another client polls this bot (409 Conflict)")
        else:
            log.warning("Telegram polling: %s", type(error).__name__)

    # -- sending -----------------------------------------------------------------------------

    async def _send_loop(self, done: asyncio.Event) -> None:
        poll = self.settings.notify_poll_seconds
        unsettled: list[outbox.Outcome] = []  # sent in the last pass, not yet written
        while not done.is_set() and not self._stop.is_set():
            # Cleared before looking, so a wake-up during the pass is not lost.
            self.wake.clear()
            waited = poll  # after a failed pass: try again shortly
            with log_failures(log, "Telegram sender"):
                # "Few people ahead" notices now due (a read; near.py) are written in this
                # pass's claim, so they cost no transaction of their own — on SQLite each one
                # waits its turn for the one writer with the requests — and go next pass.
                due = await asyncio.to_thread(near.branches_due, self.db, self.ahead_alert)
                # In the claim only for one branch: it holds that branch's write lock, so the
                # line cannot move under the notices (several go one branch at a time).
                in_claim = due[0] if len(due) == 1 else None
                unsettled, waited, wrote = await self._send_batch(unsettled, in_claim)
                if not wrote:
                    for branch_id in due:
                        alert, now = self.ahead_alert, self.clock()
                        await self.writes.run(near.settle, self.db, branch_id, alert, now)
                if due:
                    waited = min(waited, 0.01)  # the notices go next pass
            if waited > 0:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(waited):
                        await self.wake.wait()
        await self._settle(unsettled, [])

    @property
    def ahead_alert(self) -> int:
        return self.settings.telegram_ahead_alert

    async def _settle(
        self, outcomes: list[outbox.Outcome], claim: list[int], near_branch: int | None = None
    ) -> list[outbox.Claimed]:
        """Write `outcomes` and claim `claim` in one transaction; with `near_branch`, that
        branch's due "few people ahead" notices too, under its write lock."""
        now = self.clock()
        notices = None
        if near_branch is not None:
            notices = functools.partial(
                near.write_due, branch_id=near_branch, ahead_alert=self.ahead_alert, now=now
            )
        claimed = await self.writes.run(
            outbox.settle, self.db, outcomes, claim, now, before=notices, branch_id=near_branch
        )
        outbox.count(self.metrics, outbox.TELEGRAM, outcomes)
        return claimed

    async def _send_batch(
        self, unsettled: list[outbox.Outcome], near_branch: int | None
    ) -> tuple[list[outbox.Outcome], float, bool]:
        """Send what may go now, writing the last pass's outcomes and `near_branch`'s due
        notices in the same transaction as this pass's claim. Returns the outcomes not yet
        written, how long to wait before looking again (0: at once), and whether the notices
        were written."""
        poll = self.settings.notify_poll_seconds
        waiting = await asyncio.to_thread(
            outbox.waiting, self.db, outbox.TELEGRAM, self.clock(), BATCH
        )
        now = time.monotonic()
        if not waiting:
            if unsettled or near_branch is not None:
                await self._settle(unsettled, [], near_branch)
            return [], poll, near_branch is not None
        # A backlog goes in passes of a few messages (one transaction each), not one by one;
        # a call goes at once.
        urgent = any(w.priority <= outbox.URGENT for w in waiting)
        want = min(self.pacer.burst, len(waiting))
        short = want - self.pacer.available(now)
        if not urgent and short > 0:
            return unsettled, min(poll, short / self.pacer.per_second), False
        chosen = self.pacer.choose(waiting, now)
        if not chosen:
            wait = max(0.005, min(poll, self.pacer.next_ready(waiting, now) - now))
            return unsettled, wait, False
        # (Should this fail, the loop keeps `unsettled` and writes it on its next pass.)
        claimed = await self._settle(unsettled, [w.id for w in chosen], near_branch)
        outcomes = await asyncio.gather(*(self._deliver(row) for row in claimed))
        self.pacer.forget_before(time.monotonic())
        return list(outcomes), 0, near_branch is not None

    async def _deliver(self, row: outbox.Claimed) -> outbox.Outcome:
        if reminder_too_late(row.kind, row.payload, self.clock()):
            log.info("Telegram reminder %s (%s) dropped: its time has passed", row.id, row.kind)
            return outbox.Outcome(row.id, error="too late", keep=False)
        try:
            message = texts.render(row.kind, row.language, row.payload)
        except Exception:
            log.exception("Telegram message %s (%s) could not be written", row.id, row.kind)
            return outbox.Outcome(row.id, error="render failed", keep=False)
        try:
            await self.application.bot.send_message(
                chat_id=row.chat_id or 0, text=message.text, reply_markup=keyboard(message.buttons)
            )
        except RetryAfter as exc:
            wait = _seconds(exc)
            self.pacer.pause_until(time.monotonic() + wait)
            log.warning("Telegram asks to slow down: waiting %.0f s", wait)
            return self._later(row, timedelta(seconds=wait), 429, "retry after")
        except Forbidden:
            # The visitor blocked the bot or deleted the chat: forget the chat.
            await self.writes.run(self.followers.forget_chat, row.chat_id or 0)
            return outbox.Outcome(row.id, status=403, error="forbidden", keep=False)
        except BadRequest as exc:
            log.warning("Telegram refused message %s (%s): %s", row.id, row.kind, exc.message)
            return outbox.Outcome(row.id, status=400, error=exc.message, keep=False)
        except InvalidToken:
            log.error("Telegram refused the bot token; messages wait")
            self.pacer.pause_until(time.monotonic() + 60)
            return self._later(row, timedelta(seconds=60), 401, "invalid token")
        except (NetworkError, TelegramError) as exc:
            return self._later(row, retry_delay(row.attempts), None, type(exc).__name__)
        self.pacer.sent(row.chat_id or 0, time.monotonic())
        self.sent += 1
        return outbox.Outcome(row.id, sent=True, keep=False)

    def _later(
        self, row: outbox.Claimed, delay: timedelta, status: int | None, error: str
    ) -> outbox.Outcome:
        now = self.clock()
        if now - row.created_at > GIVE_UP_AFTER:
            log.warning("Telegram message %s (%s) dropped after %s", row.id, row.kind, error)
            return outbox.Outcome(row.id, status=status, error=error, keep=False)
        return outbox.Outcome(row.id, retry_at=now + delay, status=status, error=error, keep=False)

    # -- the visitor's commands --------------------------------------------------------------

    @staticmethod
    def _chat(update: Update) -> Chat | None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None:
            return None
        return Chat(chat.id, texts.language_of(user.language_code if user else None))

    async def _on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = self._chat(update)
        if chat is None:
            return
        args = context.args or []
        if not args:
            await self.writes.run(self.followers.help, chat)
        else:
            payload = parse_payload(args[0])
            result = await self.writes.run(self.followers.follow, chat, payload)
            log.info("Telegram /start: %s", result)  # never the chat id or the payload
        self.poke()

    async def _on_stop(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = self._chat(update)
        if chat is not None:
            await self.writes.run(self.followers.stop, chat)
            self.poke()

    async def _on_help(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = self._chat(update)
        if chat is not None:
            await self.writes.run(self.followers.help, chat)
            self.poke()

    async def _on_button(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        lang = texts.language_of(query.from_user.language_code)
        chat_id = query.message.chat.id
        action, _, ident = (query.data or "").partition(":")
        if not ident.isdigit():
            await query.answer(texts.pick(texts.NOT_YOURS, lang), show_alert=True)
            return
        follower_id = int(ident)

        def buttons(*pairs: tuple[tuple[str, str], str]) -> InlineKeyboardMarkup:
            return InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(texts.pick(label, lang), callback_data=f"{a}:{ident}")
                        for label, a in pairs
                    ]
                ]
            )

        try:
            if action in ("leave", "cancel"):
                await asyncio.to_thread(self.followers.follower, follower_id, chat_id)
                question = texts.CONFIRM_LEAVE if action == "leave" else texts.CONFIRM_CANCEL
                await query.answer(texts.pick(question, lang))
                keep = "keep-t" if action == "leave" else "keep-b"
                await query.edit_message_reply_markup(
                    buttons((texts.YES, f"{action}-yes"), (texts.NO, keep))
                )
                return
            if action in ("keep-t", "keep-b"):
                await query.answer(texts.pick(texts.KEPT, lang))
                restore = texts.ticket_buttons if action == "keep-t" else texts.booking_buttons
                await query.edit_message_reply_markup(keyboard(restore(follower_id, lang)))
                return
            if action == "leave-yes":
                await self.writes.run(self.followers.leave_queue, follower_id, chat_id)
            elif action == "cancel-yes":
                await self.writes.run(self.followers.cancel_booking, follower_id, chat_id)
            elif action == "late":
                await self.writes.run(self.followers.running_late, follower_id, chat_id)
            else:
                await query.answer(texts.pick(texts.NOT_YOURS, lang), show_alert=True)
                return
        except DomainError as refusal:
            await query.answer(refusal.message_en if lang == "en" else refusal.message_uk, True)
            return
        self.poke()
        await query.answer(texts.pick(texts.DONE, lang))
        if action != "late":
            await query.edit_message_reply_markup(None)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if isinstance(error, TelegramError):
            log.warning("Telegram: %s while handling an update", type(error).__name__)
        else:
            log.error("Telegram: an update's handler failed", exc_info=error)
