"""The server's time as seen from this computer: the local clock plus an offset learned from
the `Date` header of the server's answers.

A desk PC whose clock is a few minutes off would otherwise show a clerk "called 7 minutes
ago" for a visitor called just now: the timestamps come from the server, the "now" from the PC.
The header has whole seconds, so offsets within `tolerance` are treated as none (the timer
does not jitter); a larger difference is taken as it is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


def local_utc_now() -> datetime:
    return datetime.now(UTC)


class ServerClock:
    def __init__(
        self,
        local: Callable[[], datetime] = local_utc_now,
        *,
        tolerance: timedelta = timedelta(seconds=2),
    ) -> None:
        self.local = local
        self.tolerance = tolerance
        self.offset = timedelta(0)  # server minus local; one assignment, so safe across threads

    def now(self) -> datetime:
        """The server's current time (UTC)."""
        return self.local() + self.offset

    def note(self, date_header: str | None, received_at: datetime) -> None:
        """Learn from an answer's `Date` header, received at local time `received_at`."""
        if not date_header:
            return
        try:
            sent = parsedate_to_datetime(date_header)
        except (TypeError, ValueError):
            return  # a proxy's odd header: keep what we know
        if sent.tzinfo is None:
            return
        # The header cuts the server's time down to the second: the middle of that second.
        measured = sent + timedelta(milliseconds=500) - received_at
        if abs(measured - self.offset) > self.tolerance:
            self.offset = measured
