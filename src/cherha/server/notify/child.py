"""The notifications in a child process of `serve` (the default; docs/notifications.md).

The bot and the senders talk HTTP to Telegram and to webhook receivers: CPU that, on the
server's event loop, shares one interpreter lock with the queue's requests (a call's p99
doubled under a webhook taking every event). So `serve` starts them in a process of its own,
at a lower CPU priority, and stops it with itself. The two share only the database and one
pipe, the child's stdin:

- the first line is the server's settings as JSON (so settings given in a file or in code
  reach the child exactly);
- then every byte is a wake-up: the server wrote to the outbox (a call's "called" message
  leaves at once, with no polling delay) — `t` for Telegram, `w` for webhooks (`WAKE_BYTES`),
  so that a sender with no news is not woken to look;
- end of file means stop — the server is stopping, or was killed: the child never outlives it.

A centre with no bot, no webhook and nothing in the outbox gets no child until the first
message is written. If the child dies, the server logs it and starts another after a short
wait; undelivered messages stay in the outbox (each sent once: docs/notifications.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from ..settings import Settings
from . import CHANNELS, outbox

if TYPE_CHECKING:
    from . import Notifications

log = logging.getLogger(__name__)

NICENESS = 5
"""The child yields the cores to the queue's requests when both want them. Not 19: two A/B runs
favoured 19 (calling's p99 1.06 and 1.08 of the baseline against 1.21 and 1.27 at 5), a third
run of 19 alone read 1.49 — within the rounds' spread — and at 19 a child on a machine whose
cores are busy gets about 1.5 % of one, so a "called" message could wait seconds
(docs/benchmarks.md)."""
STOP_SECONDS = 5.0
"""How long the server waits for the child to finish what it is sending before killing it."""
RESTART_SECONDS = (1.0, 30.0)
"""The first and the longest wait before a dead child is started again (doubling)."""


WAKE_BYTES = {outbox.TELEGRAM: b"t", outbox.WEBHOOK: b"w"}


def wake_bytes(channels: Collection[str]) -> bytes:
    return b"".join(WAKE_BYTES[c] for c in sorted(channels))


WAKE_READ = 4096
"""The most wake-up bytes the child reads at once."""


def woken(data: bytes) -> frozenset[str]:
    """The channels a read of wake-up bytes names. A read that filled its buffer found the
    pipe full, and a wake-up that did not fit was dropped (`NotifierChild.wake`): every
    channel, then."""
    if len(data) >= WAKE_READ:
        return CHANNELS
    return frozenset(c for c, byte in WAKE_BYTES.items() if byte in data)


def settings_line(settings: Settings) -> bytes:
    """The settings the child runs with, as one line of JSON (secrets in clear: a pipe)."""
    values: dict[str, Any] = {}
    for name, value in settings.model_dump().items():
        values[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
    values["auto_migrate"] = False  # the server has migrated before it starts the child
    values["notify_in_server"] = False
    return json.dumps(values, default=str, ensure_ascii=False).encode() + b"\n"


class NotifierChild:
    """The server's side: starts the child, wakes it, starts it again if it dies, stops it."""

    def __init__(self, settings: Settings) -> None:
        self._line = settings_line(settings)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._wake_fd: int | None = None
        self._pipe_lock = threading.Lock()
        self._supervisor: asyncio.Task[None] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.returncode is None else None

    async def start(self, *, at_once: bool) -> None:
        """Start the child now (`at_once`: there is work) or at the first wake-up."""
        self._loop = asyncio.get_running_loop()
        if at_once:
            self._begin()

    def wake(self, channels: Collection[str]) -> None:
        """From any thread: the outbox has news for these channels. Never blocks; a full pipe
        already wakes (every sender: the child reads a full pipe as news for all)."""
        with self._pipe_lock:  # never a write to a closed (perhaps reused) descriptor
            if self._wake_fd is not None:
                with contextlib.suppress(OSError):  # full (it will wake anyway), or broken
                    os.write(self._wake_fd, wake_bytes(channels))
                return
        if self._supervisor is None and (loop := self._loop) is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: stopping
                loop.call_soon_threadsafe(self._begin)

    def _begin(self) -> None:
        if self._supervisor is None and self._loop is not None:
            self._supervisor = self._loop.create_task(
                self._supervise(), name="cherha-notifier-child"
            )

    async def stop(self) -> None:
        self._loop = None
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        await self._end(self._process)

    async def _spawn(self) -> None:
        read_end, write_end = os.pipe()  # neither is inherited but as the child's stdin
        try:
            os.write(write_end, self._line)  # a few KB: fits the pipe before anyone reads
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "cherha.server.notify.child",
                stdin=read_end,
                stdout=asyncio.subprocess.DEVNULL,
                # Its own session: a Ctrl+C in the server's terminal reaches the server, which
                # then ends the child through the pipe, after the requests.
                start_new_session=True,
            )
        except BaseException:
            os.close(write_end)
            raise
        finally:
            os.close(read_end)
        os.set_blocking(write_end, False)
        with contextlib.suppress(OSError):  # lowering a child's priority needs no privilege
            os.setpriority(os.PRIO_PROCESS, process.pid, NICENESS)
        with self._pipe_lock:
            self._process, self._wake_fd = process, write_end
        self.starts += 1
        log.info("notifications running in process %d", process.pid)

    def _close_pipe(self) -> None:
        with self._pipe_lock:
            fd, self._wake_fd = self._wake_fd, None
        if fd is not None:
            os.close(fd)  # end of file for the child: finish and stop

    async def _supervise(self) -> None:
        """Start the child, and another whenever it ends (waits doubling while it crashes)."""
        first, longest = RESTART_SECONDS
        delay = first
        while True:
            started = time.monotonic()
            try:
                await self._spawn()
            except OSError:
                log.exception("could not start the notifications' process")
            else:
                assert self._process is not None
                code = await self._process.wait()
                self._close_pipe()
                # 0: it was told to stop (SIGTERM to the whole service, as systemd stops it);
                # the server is then stopping too, and ends the next one at once.
                log.log(
                    logging.INFO if code == 0 else logging.ERROR,
                    "the notifications' process ended (exit %s); starting another",
                    code,
                )
            if time.monotonic() - started > longest:
                delay = first  # it had been running well: not a crash loop
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)

    async def _end(self, process: asyncio.subprocess.Process | None) -> None:
        self._close_pipe()
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except TimeoutError:
            log.warning("the notifications' process did not stop in %.0f s: killed", STOP_SECONDS)
            process.kill()
            await process.wait()


async def _child() -> None:
    """The child's side: settings from the first line, then wake-ups until end of file."""
    from .standalone import run_notifier

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    settings = Settings.model_validate(json.loads(await reader.readline()))
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s [notifications]: %(message)s",
    )
    stop = asyncio.Event()

    async def wake_on_news(notify: Notifications) -> None:
        try:
            while data := await reader.read(WAKE_READ):
                notify.wake(woken(data))
        finally:
            stop.set()  # end of file: the server stopped, or died

    await run_notifier(settings, stop, attach=wake_on_news)


def main() -> None:
    asyncio.run(_child())


if __name__ == "__main__":
    main()
