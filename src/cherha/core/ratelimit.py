"""Token buckets per client address: the public booking endpoints' defence against scripts.

Pure and explicit: the state is this object's dictionary, the time comes from a clock the
caller passes (tests move it by hand). One limiter per server process; behind several
instances each keeps its own buckets (a script spread over them gets a few times the rate).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .errors import DomainError


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, message_uk: str, message_en: str, retry_after: int) -> None:
        super().__init__(message_uk, message_en)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Rate:
    """`count` requests per `per_seconds`, refilled evenly; a burst of `count` allowed."""

    count: int
    per_seconds: float

    @property
    def refill_per_second(self) -> float:
        return self.count / self.per_seconds


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Buckets keyed by (kind, address). `take` spends one token or refuses with Retry-After."""

    def __init__(self, rates: dict[str, Rate], clock: Callable[[], float], max_keys: int = 50_000):
        self.rates = rates
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, kind: str, address: str) -> None:
        rate = self.rates[kind]
        if rate.count <= 0:
            return  # this limit is switched off
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get((kind, address))
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._forget_full(now)
                bucket = self._buckets[(kind, address)] = _Bucket(float(rate.count), now)
            bucket.tokens = min(
                float(rate.count), bucket.tokens + (now - bucket.at) * rate.refill_per_second
            )
            bucket.at = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return
            wait = max(1, math.ceil((1 - bucket.tokens) / rate.refill_per_second))
        minutes = max(1, math.ceil(wait / 60))
        raise RateLimited(
            "Забагато запитів з вашої адреси. Спробуйте знову через "
            + (f"{wait} с" if wait < 60 else f"{minutes} хв"),
            "Too many requests from your address. Try again in "
            + (f"{wait} s" if wait < 60 else f"{minutes} min"),
            retry_after=wait,
        )

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they hold no information)."""
        for key, bucket in list(self._buckets.items()):
            rate = self.rates[key[0]]
            if bucket.tokens + (now - bucket.at) * rate.refill_per_second >= rate.count:
                del self._buckets[key]
        if len(self._buckets) >= self.max_keys:
            self._buckets.clear()
