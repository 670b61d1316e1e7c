"""Where a booked visitor stands in line when checking in at the kiosk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import DomainError


class TooEarly(DomainError):
    code = "too_early"

    opens_at: datetime | None = None
    """When check-in opens (the API adds it to the refusal)."""

    @property
    def details(self) -> dict[str, str]:
        return {"opens_at": self.opens_at.isoformat()} if self.opens_at else {}


@dataclass(frozen=True, slots=True)
class CheckInWindow:
    early: timedelta = timedelta(minutes=15)
    late: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class CheckIn:
    order_key: datetime
    on_time: bool
    """False: the visitor came too late and joins the line as a walk-in."""


def check_in(slot_start: datetime, now: datetime, window: CheckInWindow) -> CheckIn:
    """On time (15 min early … 5 min late by default): the slot start is the place in line.

    Give `slot_start` in the branch's local time: the refusal names the local opening time
    (and its date when that is not today). The window is counted in real minutes (in UTC):
    Python's arithmetic on a local time is wall-clock arithmetic, which is an hour off next to
    a daylight-saving change.
    """
    zone = slot_start.tzinfo
    start = slot_start.astimezone(UTC)
    if now < start - window.early:
        opens = (start - window.early).astimezone(zone)
        same_day = now.astimezone(zone).date() == opens.date()
        when_uk = f"о {opens:%H:%M}" if same_day else f"{opens:%d.%m.%Y} о {opens:%H:%M}"
        when_en = f"at {opens:%H:%M}" if same_day else f"on {opens:%d.%m.%Y} at {opens:%H:%M}"
        error = TooEarly(
            f"Реєстрація на цей запис відкриється {when_uk}",
            f"Check-in for this booking opens {when_en}",
        )
        error.opens_at = opens
        raise error
    if now <= start + window.late:
        return CheckIn(order_key=slot_start, on_time=True)
    return CheckIn(order_key=now, on_time=False)


def no_show_after(slot_start: datetime, window: CheckInWindow) -> datetime:
    """A booking nobody checked in for is a no-show from this moment (its window has closed)."""
    return slot_start.astimezone(UTC) + window.late
