"""The webhook sender: signed JSON POSTs from the outbox, retried with backoff for a day.

The POSTs go out through aiohttp, not httpx: a delivery costs 0.10 ms of the sender's CPU
against 0.88 ms (`bench/bench_webhook_client.py`), and with a webhook taking every event that
CPU was most of what the notifications took from the queue's requests on a 2-core machine.

Every instance runs one; claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two instances
share the work and never deliver one row twice. A 2xx answer is a delivery; anything else
(an error status, a timeout, a refused connection) is tried again after 10 s, 30 s, 90 s …
(at most two hours apart) until `webhook_retry_hours` have passed, then the delivery is
marked failed. The row stays as the delivery log either way (`cherha-server webhook log`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import timedelta

import aiohttp

from .. import __version__
from ..metrics import Metrics
from ..settings import Settings
from ..store.clock import Clock
from ..store.db import Database
from ..store.faults import log_failures
from ..writes import WriteLane
from . import outbox
from .webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookRegistry,
    backoff,
    sign,
)

log = logging.getLogger(__name__)

BATCH = 50
PARALLEL = 8
GATHER_SECONDS = 0.5
ANSWER_READ_LIMIT = 64 * 1024
"""A receiver's answer of at most this many bytes is read (so its connection can be used for
the next delivery); a longer one, or one of unknown length, is not."""


def body_bytes(row: outbox.Claimed) -> bytes:
    """The delivered JSON: the event, with the delivery's id (the same on every retry)."""
    body = {"delivery_id": row.id, **row.payload}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender:
    def __init__(
        self, settings: Settings, db: Database, clock: Clock, writes: WriteLane, metrics: Metrics
    ) -> None:
        self.metrics = metrics
        self.settings = settings
        self.db = db
        self.clock = clock
        self.writes = writes
        self.registry = WebhookRegistry(db, clock)
        self.wake = asyncio.Event()
        self.delivered = 0
        self._stop = asyncio.Event()
        self._parallel = asyncio.Semaphore(PARALLEL)

    def poke(self) -> None:
        self.wake.set()

    async def stop(self) -> None:
        self._stop.set()
        self.wake.set()

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self.settings.webhook_timeout_seconds)
        headers = {"User-Agent": f"Cherha/{__version__}", "Content-Type": "application/json"}
        unsettled: list[outbox.Outcome] = []  # delivered in the last pass, not yet written
        # No proxy or netrc from the environment (`trust_env`), as before with httpx.
        async with aiohttp.ClientSession(
            timeout=timeout, headers=headers, trust_env=False
        ) as client:
            while not self._stop.is_set():
                self.wake.clear()  # before looking: a wake-up during the pass is not lost
                full = False  # after a failed pass: wait before the next
                with log_failures(log, "webhook sender"):
                    unsettled, full = await self._pass(client, unsettled)
                if not full:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.settings.notify_poll_seconds):
                            await self.wake.wait()
                    # Let a burst of events gather: one pass (one transaction) for all of them;
                    # a stop ends the wait (the server stops at once, not after the gathering).
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(GATHER_SECONDS):
                            await self._stop.wait()
            await self._settle(unsettled, [])

    async def _settle(
        self, outcomes: list[outbox.Outcome], claim: list[int]
    ) -> list[outbox.Claimed]:
        claimed = await self.writes.run(outbox.settle, self.db, outcomes, claim, self.clock())
        outbox.count(self.metrics, outbox.WEBHOOK, outcomes)
        return claimed

    async def _pass(
        self, client: aiohttp.ClientSession, unsettled: list[outbox.Outcome]
    ) -> tuple[list[outbox.Outcome], bool]:
        """Deliver what is due, writing the last pass's outcomes with this pass's claim.
        Returns the outcomes not yet written, and whether the batch was full."""
        waiting = await asyncio.to_thread(
            outbox.waiting, self.db, outbox.WEBHOOK, self.clock(), BATCH
        )
        claimed = await self._settle(unsettled, [w.id for w in waiting])
        if not claimed:
            return [], False  # (`unsettled` is written now)
        hooks = await asyncio.to_thread(self.registry.secrets)
        outcomes = list(await asyncio.gather(*(self._deliver(client, r, hooks) for r in claimed)))
        # Written with the next pass's claim (one transaction a pass); until then a crash
        # would deliver them again, which receivers de-duplicate by X-Cherha-Delivery.
        return outcomes, len(waiting) == BATCH

    async def _deliver(
        self,
        client: aiohttp.ClientSession,
        row: outbox.Claimed,
        hooks: dict[int, tuple[str, str, bool]],
    ) -> outbox.Outcome:
        hook = hooks.get(row.webhook_id or 0)
        if hook is None or not hook[2]:
            return outbox.Outcome(row.id, error="webhook removed")
        url, secret, _active = hook
        body = body_bytes(row)
        stamp = int(time.time())
        headers = {
            EVENT_HEADER: row.kind,
            DELIVERY_HEADER: str(row.id),
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(secret, stamp, body),
        }
        async with self._parallel:
            try:
                async with client.post(
                    url, data=body, headers=headers, allow_redirects=False
                ) as response:
                    status = response.status  # the answer; its body says nothing more
                    length = response.content_length
                    if length is not None and length <= ANSWER_READ_LIMIT:
                        # Read to its end, so that the connection is used again; a body that
                        # breaks off changes nothing.
                        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                            await response.read()
                    # Otherwise left unread, and the connection closed: a receiver's endless
                    # or huge body is not the sender's to wait for or to hold in memory.
            except (aiohttp.ClientError, TimeoutError) as exc:
                return self._failed(row, None, self._describe(exc))
        if 200 <= status < 300:
            self.delivered += 1
            return outbox.Outcome(row.id, sent=True, status=status)
        return self._failed(row, status, f"HTTP {status}")

    def _describe(self, exc: Exception) -> str:
        """The delivery log's words for a delivery that got no answer."""
        if isinstance(exc, TimeoutError) and not str(exc):
            seconds = self.settings.webhook_timeout_seconds
            return f"{type(exc).__name__}: no answer in {seconds:g} s"
        return f"{type(exc).__name__}: {exc}"[:300]

    def _failed(self, row: outbox.Claimed, status: int | None, error: str) -> outbox.Outcome:
        now = self.clock()
        retry_at = now + backoff(row.attempts)
        if retry_at > row.created_at + timedelta(hours=self.settings.webhook_retry_hours):
            log.warning("webhook delivery %s failed for good: %s", row.id, error)
            return outbox.Outcome(row.id, status=status, error=error)
        return outbox.Outcome(row.id, retry_at=retry_at, status=status, error=error)
