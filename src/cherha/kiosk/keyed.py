"""A visitor's tap sent until the server has answered it, never made twice (no Qt here).

A ticket, a check-in or a booking is sent with an `Idempotency-Key` made for that tap. When no
answer comes (a timeout, a refused connection, 503 while the database is busy), the kiosk
sends it again with the same key: the server answers a repeat with what the first copy made,
so a stall can delay a ticket but never make two. When `patience` runs out, the kiosk asks
what the key made (`POST /requests/{key}/outcome`): the ticket if there is one — it is printed
— or "nothing", which the server then makes final, so «no ticket» on the screen is true. If
even that question gets no answer, the result is `Unsettled`, and the kiosk keeps asking.

Runs on a worker thread (it waits between tries); `stopped` ends it early when the kiosk quits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from cherha.client import ServerUnavailable

T = TypeVar("T")

PAUSE_SECONDS = 1.0  # between tries: a busy server gets a breath, the visitor barely notices


class NothingMade(Exception):
    """The server says the request made nothing, and now it never will."""


class Unsettled(Exception):
    """No answer to the request, nor to the question what it made: unknown for now."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def send_keyed(
    send: Callable[[str], T],
    outcome: Callable[[str], T | None],
    key: str,
    *,
    patience: float,
    stopped: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
    pause: float = PAUSE_SECONDS,
) -> T:
    """`send(key)` until it answers (for `patience` seconds), then `outcome(key)`.

    A refusal from the server (an `ApiError` other than `ServerUnavailable`) is passed on as it
    is: the server answered. Raises `NothingMade` or `Unsettled` when there is no result.
    """
    stopped = stopped or threading.Event()
    give_up_at = clock() + patience
    while True:
        try:
            return send(key)
        except ServerUnavailable:
            if clock() + pause >= give_up_at or stopped.wait(pause):
                break
    try:
        made = outcome(key)
    except ServerUnavailable as exc:
        raise Unsettled(key) from exc
    if made is None:
        raise NothingMade(key)
    return made


__all__ = ["NothingMade", "Unsettled", "send_keyed"]
