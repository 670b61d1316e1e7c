"""Limits kept in the database, so they hold across every server instance.

`Throttles`: failed attempts per key (an address, a username, a device) with growing waits:
after `free` failures within `forget` each further failure doubles the wait, up to `longest`.
A refused attempt changes nothing (a flood of refused attempts writes nothing). A success may
clear its key.

Token buckets per key (`take`), the same rule as `cherha.core.ratelimit` but in a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cherha.core.ratelimit import Rate, RateLimited

from .models import RateBucket, Throttle


@dataclass(frozen=True, slots=True)
class Policy:
    free: int
    """Failures allowed before the first wait."""
    first_wait: timedelta = timedelta(seconds=1)
    longest: timedelta = timedelta(minutes=15)
    forget: timedelta = timedelta(minutes=15)
    """Failures older than this (counted from the last one) are forgotten."""

    def wait_after(self, failures: int) -> timedelta | None:
        over = failures - self.free
        if over < 0:
            return None
        seconds = self.first_wait.total_seconds() * 2 ** min(over, 30)
        return min(timedelta(seconds=seconds), self.longest)


def blocked_for(session: Session, keys: list[str], now: datetime) -> int | None:
    """Seconds until the longest-blocked key may try again, or None when none is blocked."""
    waits = blocked_keys(session, keys, now)
    return max(waits.values()) if waits else None


def blocked_keys(session: Session, keys: list[str], now: datetime) -> dict[str, int]:
    """The blocked ones of `keys`, each with the seconds until it may try again."""
    rows = session.scalars(select(Throttle).where(Throttle.key.in_(keys))).all()
    return {
        row.key: max(1, math.ceil((row.blocked_until - now).total_seconds()))
        for row in rows
        if row.blocked_until is not None and row.blocked_until > now
    }


def note_failure(session: Session, key: str, policy: Policy, now: datetime) -> timedelta | None:
    """Count one failure (inside the caller's write transaction); the wait it starts, if any."""
    # Insert-or-nothing first: two instances failing on a new key at once both go on.
    session.execute(
        _insert(session)(Throttle)
        .values(key=key, failures=0, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=[Throttle.key])
    )
    row = session.get(Throttle, key, with_for_update=True, populate_existing=True)
    assert row is not None
    if now - row.last_failure_at > policy.forget and (
        row.blocked_until is None or row.blocked_until <= now
    ):
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = policy.wait_after(row.failures)
    row.blocked_until = now + wait if wait is not None else None
    return wait


def _insert(session: Session) -> Any:
    """The dialect's INSERT (both have ON CONFLICT)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def clear(session: Session, key: str) -> None:
    session.execute(delete(Throttle).where(Throttle.key == key))


def forget_old(session: Session, now: datetime, older_than: timedelta = timedelta(days=1)) -> int:
    """Drop keys whose last failure is long past (made-up usernames would otherwise pile up)."""
    cutoff = now - older_than
    result = session.execute(
        delete(Throttle).where(
            Throttle.last_failure_at < cutoff,
            (Throttle.blocked_until.is_(None)) | (Throttle.blocked_until < now),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def too_many(retry_after: int, *, what_uk: str, what_en: str) -> RateLimited:
    wait_uk = f"{retry_after} с" if retry_after < 60 else f"{math.ceil(retry_after / 60)} хв"
    wait_en = f"{retry_after} s" if retry_after < 60 else f"{math.ceil(retry_after / 60)} min"
    return RateLimited(
        f"{what_uk}. Спробуйте знову через {wait_uk}",
        f"{what_en}. Try again in {wait_en}",
        retry_after=retry_after,
    )


# -- token buckets --------------------------------------------------------------------------


def _level(bucket: RateBucket | None, rate: Rate, now: datetime) -> float:
    if bucket is None:
        return float(rate.count)
    elapsed = max(0.0, (now - bucket.at).total_seconds())
    return min(float(rate.count), bucket.tokens + elapsed * rate.refill_per_second)


def take(session: Session, key: str, rate: Rate, now: datetime) -> int | None:
    """Spend one token of `key`'s bucket; None, or the seconds until one is back (nothing
    spent). Inside the caller's transaction: a rollback gives the token back."""
    session.execute(
        _insert(session)(RateBucket)
        .values(key=key, tokens=float(rate.count), at=now)
        .on_conflict_do_nothing(index_elements=[RateBucket.key])
    )
    bucket = session.get(RateBucket, key, with_for_update=True, populate_existing=True)
    assert bucket is not None
    tokens = _level(bucket, rate, now)
    if tokens < 1:
        return max(1, math.ceil((1 - tokens) / rate.refill_per_second))
    bucket.tokens, bucket.at = tokens - 1, now
    return None


def wait_for(session: Session, key: str, rate: Rate, now: datetime) -> int | None:
    """Like `take` without spending: the seconds until a token is there, or None."""
    tokens = _level(session.get(RateBucket, key), rate, now)
    return None if tokens >= 1 else max(1, math.ceil((1 - tokens) / rate.refill_per_second))


def forget_full_buckets(session: Session, now: datetime, older_than: timedelta) -> None:
    """Buckets untouched for longer than any refill are full again: they hold nothing."""
    session.execute(delete(RateBucket).where(RateBucket.at < now - older_than))


@dataclass(frozen=True, slots=True)
class Quota:
    """At most `rate` for `key`, spent inside the guarded transaction: when the operation is
    refused its transaction rolls back and the attempt costs nothing."""

    key: str
    rate: Rate

    def spend(self, session: Session, now: datetime) -> None:
        if self.rate.count <= 0:
            return
        wait = take(session, self.key, self.rate, now)
        if wait is not None:
            raise too_many(
                wait,
                what_uk="Забагато запитів з вашої адреси",
                what_en="Too many requests from your address",
            )
