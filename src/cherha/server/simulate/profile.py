"""What a simulated day looks like: arrivals per hour, the service mix, windows and their breaks,
the air-raid pause, bookings and their no-shows (the defaults: a busy Tuesday at the sample
centre, busy but within its windows)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Kyiv")


@dataclass(frozen=True, slots=True)
class WindowPlan:
    number: int
    opens: time = time(8, 0)
    closes: time = time(20, 0)
    break_at: time | None = None
    break_minutes: int = 30


ARRIVALS = {8: 12, 9: 20, 10: 24, 11: 24, 12: 22, 13: 20, 14: 22, 15: 20, 16: 16, 17: 12, 18: 6}
MIX = {
    "residence": 0.22,
    "id-card": 0.10,
    "foreign-passport": 0.06,
    "property": 0.05,
    "business": 0.04,
    "social": 0.18,
    "land": 0.03,
    "civil-status": 0.06,
    "certificates": 0.16,
    "consultation": 0.10,
}


@dataclass(frozen=True)
class Profile:
    """What a simulated day looks like (the defaults: a busy Tuesday at the sample centre)."""

    day: date = date(2026, 11, 24)
    arrivals: dict[int, float] = field(default_factory=lambda: dict(ARRIVALS))
    """Walk-ins per hour of the day (local time); the hour is the arrivals' average rate."""
    mix: dict[str, float] = field(default_factory=lambda: dict(MIX))
    """Each service's share of the walk-ins."""
    windows: tuple[WindowPlan, ...] = tuple(
        WindowPlan(n, break_at=time(12 + (n - 1) % 3, 30 * ((n - 1) // 3 % 2))) for n in range(1, 9)
    )
    variation: float = 0.6
    """Coefficient of variation of service times (1.0 is exponential)."""
    pause_at: time | None = time(11, 30)
    pause_minutes: int = 30
    priority_share: float = 0.05
    no_show_share: float = 0.04
    """Called visitors who never come to the window (recalled, then a no-show)."""
    transfer_share: float = 0.03
    transfer_to: str = "certificates"
    bookings: int = 40
    booking_services: tuple[str, ...] = ("residence", "id-card", "social", "civil-status")
    booking_hours: tuple[time, time] = (time(8, 30), time(18, 0))
    booking_no_show_share: float = 0.1
    booking_late_share: float = 0.05
    walk_seconds: float = 30.0
    scale: float = 1.0
    """Multiplies every arrival rate (a busier or quieter day)."""


def service_seconds(rng: random.Random, mean: float, variation: float) -> float:
    """A log-normal draw with this mean and coefficient of variation (exponential at 1.0)."""
    if variation >= 0.999:
        return rng.expovariate(1.0 / mean)
    sigma2 = math.log(1.0 + variation**2)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))
