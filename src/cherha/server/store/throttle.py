"""Limits kept in the database, so they hold across every server instance.

`Throttles`: failed attempts per key (an address, a username, a device) with growing waits:
after `free` failures within `forget` each further failure doubles the wait, up to `longest`.
A refused attempt changes nothing (a flood of refused attempts writes nothing). A success may
clear its key.

`RateCounters`: requests per key in fixed windows, weighted with the previous window so a
burst at a window's edge does not double the rate (the "sliding window counter").
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

from cherha.core.ratelimit import RateLimited

from .models import RateCounter, Throttle


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
    rows = session.scalars(select(Throttle).where(Throttle.key.in_(keys))).all()
    waits = [
        (row.blocked_until - now).total_seconds()
        for row in rows
        if row.blocked_until is not None and row.blocked_until > now
    ]
    return max(1, math.ceil(max(waits))) if waits else None


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


# -- fixed-window counters -------------------------------------------------------------------


def count(session: Session, key: str, window_seconds: int, now: datetime) -> float:
    """Add one request to `key` and return the weighted count of the sliding window."""
    epoch = now.timestamp()
    window = int(epoch // window_seconds) * window_seconds
    statement = _insert(session)(RateCounter).values(key=key, window=window, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[RateCounter.key, RateCounter.window],
        set_={"count": RateCounter.count + 1},
    ).returning(RateCounter.count)
    current = int(session.scalar(statement) or 0)
    previous = session.scalar(
        select(RateCounter.count).where(
            RateCounter.key == key, RateCounter.window == window - window_seconds
        )
    )
    share_left = 1 - (epoch - window) / window_seconds
    return current + (previous or 0) * share_left


def peek(session: Session, key: str, window_seconds: int, now: datetime) -> float:
    """The weighted count without adding to it."""
    epoch = now.timestamp()
    window = int(epoch // window_seconds) * window_seconds
    rows = dict(
        session.execute(
            select(RateCounter.window, RateCounter.count).where(
                RateCounter.key == key,
                RateCounter.window.in_([window, window - window_seconds]),
            )
        ).all()
    )
    share_left = 1 - (epoch - window) / window_seconds
    return rows.get(window, 0) + rows.get(window - window_seconds, 0) * share_left


def retry_after(window_seconds: int, now: datetime) -> int:
    epoch = now.timestamp()
    return max(1, math.ceil(window_seconds - epoch % window_seconds))


def forget_old_counters(session: Session, now: datetime, keep_seconds: int = 2 * 86400) -> None:
    session.execute(delete(RateCounter).where(RateCounter.window < now.timestamp() - keep_seconds))


@dataclass(frozen=True, slots=True)
class Quota:
    """At most `limit` per `window_seconds` for `key`, spent inside the guarded transaction:
    when the operation is refused its transaction rolls back and the attempt costs nothing."""

    key: str
    limit: int
    window_seconds: int = 3600

    def spend(self, session: Session, now: datetime) -> None:
        if self.limit <= 0:
            return
        if count(session, self.key, self.window_seconds, now) > self.limit:
            raise too_many(
                retry_after(self.window_seconds, now),
                what_uk="Забагато запитів з вашої адреси",
                what_en="Too many requests from your address",
            )
