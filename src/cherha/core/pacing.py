"""Pacing messages to a chat service: so many a second overall, one per chat per interval.

Telegram allows a bot about 30 messages a second overall and about one a second per chat
("short bursts" over that are tolerated); a bot that sends faster is answered 429 and made to
wait. `Pacer` decides which of the waiting messages may go now: the most urgent first (a call
before a reminder), oldest first within the same urgency; at most `per_second` a second with a
small burst (so no second ever sees more than `per_second + burst`); never two to one chat
inside the interval - except an urgent message (a call), which is the short burst Telegram
allows: a visitor must not learn of their call a second late because the queue's news came
just before. Pure: the caller passes the time.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Waiting(Generic[K]):
    """A message waiting to go: its id, its chat and its urgency (0 is the most urgent)."""

    id: int
    chat: K
    priority: int


class Pacer(Generic[K]):
    """A token bucket for the overall rate and the last send per chat."""

    def __init__(
        self,
        per_second: float,
        chat_interval: float,
        burst: float | None = None,
        urgent: int = 0,
    ):
        if per_second <= 0:
            raise ValueError("per_second must be > 0")
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.burst = burst if burst is not None else max(1.0, per_second / 5)
        self.urgent = urgent
        """Messages of this priority or more urgent skip the per-chat wait."""
        self._tokens = self.burst
        self._at: float | None = None
        self._last_sent: dict[K, float] = {}
        self._paused_until = float("-inf")

    def _refill(self, now: float) -> None:
        if self._at is not None and now > self._at:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_second)
        self._at = now if self._at is None else max(self._at, now)

    def available(self, now: float) -> float:
        """Messages that could go now by the overall rate (tokens in the bucket)."""
        self._refill(now)
        return self._tokens if now >= self._paused_until else 0.0

    def pause_until(self, moment: float) -> None:
        """The service said "too many requests, wait": send nothing before `moment`."""
        self._paused_until = max(self._paused_until, moment)

    def choose(self, waiting: Iterable[Waiting[K]], now: float) -> list[Waiting[K]]:
        """The messages that may go now (each then counts as sent at `now`)."""
        self._refill(now)
        if now < self._paused_until:
            return []
        chosen: list[Waiting[K]] = []
        taken: set[K] = set()
        for item in sorted(waiting, key=lambda w: (w.priority, w.id)):
            if self._tokens < 1:
                break
            if item.chat in taken:
                continue
            if item.priority > self.urgent and not self.chat_ready(item.chat, now):
                continue
            taken.add(item.chat)
            self._tokens -= 1
            self._last_sent[item.chat] = now
            chosen.append(item)
        return chosen

    def sent(self, chat: K, now: float) -> None:
        """The message went out only now (the interval counts from its arrival, not from
        when it was chosen)."""
        self._last_sent[chat] = max(now, self._last_sent.get(chat, now))

    def chat_ready(self, chat: K, now: float) -> bool:
        last = self._last_sent.get(chat)
        return last is None or now - last >= self.chat_interval

    def next_ready(self, waiting: Sequence[Waiting[K]], now: float) -> float:
        """When `choose` could give something next (now, or a moment later)."""
        if not waiting:
            return float("inf")
        self._refill(now)
        start = max(now, self._paused_until)
        if self._tokens < 1:
            start = max(start, now + (1 - self._tokens) / self.per_second)
        soonest = min(
            (
                float("-inf")
                if w.priority <= self.urgent
                else self._last_sent.get(w.chat, float("-inf")) + self.chat_interval
                for w in waiting
            ),
            default=start,
        )
        return max(start, soonest)

    def forget_before(self, moment: float) -> None:
        """Drop chats last sent to before `moment` - interval (they are ready anyway)."""
        limit = moment - self.chat_interval
        for chat in [c for c, at in self._last_sent.items() if at < limit]:
            del self._last_sent[chat]
