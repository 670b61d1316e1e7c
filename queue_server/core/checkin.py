"""Where a booked visitor stands in line when checking in at the kiosk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import DomainError


class TooEarly(DomainError):
    code = "too_early"


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
    """On time (15 min early … 5 min late by default): the slot start is the place in line."""
    if now < slot_start - window.early:
        opens = slot_start - window.early
        raise TooEarly(
            f"Реєстрація на цей запис відкриється о {opens:%H:%M}",
            f"Check-in for this booking opens at {opens:%H:%M}",
        )
    if now <= slot_start + window.late:
        return CheckIn(order_key=slot_start, on_time=True)
    return CheckIn(order_key=now, on_time=False)
