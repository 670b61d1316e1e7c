"""Booking slots: a service's day cut into slots, each with a capacity and an online share.

Pure arithmetic, no I/O. Slots are built from local wall-clock times in the branch's time zone
(Europe/Kyiv by default) with zoneinfo, so they stay right across daylight saving changes:

- a wall-clock time that does not exist (spring forward, 03:00–03:59 on 29 March 2026 in Kyiv)
  gives no slot;
- a wall-clock time that happens twice (fall back, 03:00–03:59 on 25 October 2026) is taken
  once, its first occurrence (fold=0), so no instant is offered twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from .errors import DomainError
from .schedule import WeeklySchedule

DEFAULT_SLOT_MINUTES = 15


class DateNotBookable(DomainError):
    """The date is in the past or beyond the booking horizon."""

    code = "date_not_bookable"


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    """Aware, in the branch's time zone."""
    end: datetime
    capacity: int
    """How many visitors the windows serving the service can see in the slot."""
    online: int
    """Of those, the places offered online; the rest is kept for the kiosk and walk-ins."""


def slot_capacity(windows: int, slot_minutes: int, average_minutes: float) -> int:
    """floor(windows × slot ÷ average service time); at least 1 when any window serves it."""
    if windows <= 0:
        return 0
    if average_minutes <= 0:
        raise ValueError("average_minutes must be positive")
    return max(1, math.floor(windows * slot_minutes / average_minutes + 1e-9))


def _share(kiosk_share: float) -> Fraction:
    if not 0 <= kiosk_share <= 1:
        raise ValueError("kiosk_share must be between 0 and 1")
    return Fraction(str(kiosk_share))


def online_places(capacities: Sequence[int], kiosk_share: float) -> list[int]:
    """The online places of each slot of a day, the kiosk share spread over the day.

    The day's online total is floor(total × (1 − kiosk_share)); it is spread so that after every
    slot the running online count is the floor of the running capacity times the online share.
    So a day of one-place slots with a third kept back offers two slots in three online (a
    per-slot floor would offer none), and no slot offers more than its capacity.
    """
    online_share = 1 - _share(kiosk_share)
    places: list[int] = []
    running_capacity = 0
    given = 0
    for capacity in capacities:
        running_capacity += capacity
        target = math.floor(running_capacity * online_share)
        places.append(target - given)
        given = target
    return places


def local_slot_starts(
    day: date, schedule: WeeklySchedule, slot_minutes: int, zone: ZoneInfo
) -> list[datetime]:
    """Every slot start of the day (aware, local), skipping wall-clock times that do not exist."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    starts: list[datetime] = []
    seen: set[datetime] = set()
    for interval in sorted(schedule.intervals_on(day)):
        minute = interval.opens
        while minute + slot_minutes <= interval.closes:
            wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
            minute += slot_minutes
            if wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall.replace(
                tzinfo=None
            ):
                continue  # does not exist: the clocks jumped over it
            instant = wall.astimezone(UTC)
            if instant in seen:
                continue
            seen.add(instant)
            starts.append(wall)
    return starts


def day_slots(
    day: date,
    schedule: WeeklySchedule,
    *,
    timezone: str | ZoneInfo,
    slot_minutes: int = DEFAULT_SLOT_MINUTES,
    windows: int,
    average_minutes: float,
    kiosk_share: float = 0.33,
) -> list[Slot]:
    """The day's slots with their capacity and online places."""
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    starts = local_slot_starts(day, schedule, slot_minutes, zone)
    capacity = slot_capacity(windows, slot_minutes, average_minutes)
    online = online_places([capacity] * len(starts), kiosk_share)
    length = timedelta(minutes=slot_minutes)
    return [
        Slot(
            start=s, end=(s.astimezone(UTC) + length).astimezone(zone), capacity=capacity, online=o
        )
        for s, o in zip(starts, online, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Horizon:
    """Which days can be booked: from today to today + days; the newest opens at opens_hour."""

    days: int = 14
    opens_hour: int = 6
    min_lead: timedelta = timedelta(minutes=30)

    def first_and_last(self, now: datetime, zone: ZoneInfo) -> tuple[date, date]:
        local = now.astimezone(zone)
        last = local.date() + timedelta(days=self.days)
        if local.hour < self.opens_hour:
            last -= timedelta(days=1)  # the newest day is not open yet
        return local.date(), last

    def next_opening(self, day: date, zone: ZoneInfo) -> datetime:
        """When `day` becomes bookable: opens_hour local, `days` days before it."""
        opens_on = day - timedelta(days=self.days)
        return datetime.combine(opens_on, time(self.opens_hour), tzinfo=zone)

    def ensure_date(self, day: date, now: datetime, zone: ZoneInfo) -> None:
        first, last = self.first_and_last(now, zone)
        if day < first:
            raise DateNotBookable(
                f"Дата {day:%d.%m.%Y} вже минула", f"The date {day:%d.%m.%Y} has passed"
            )
        if day > last:
            opens = self.next_opening(day, zone)
            raise DateNotBookable(
                f"Запис на {day:%d.%m.%Y} ще не відкрито: він відкриється "
                f"{opens:%d.%m.%Y} о {opens:%H:%M}",
                f"Booking for {day:%d.%m.%Y} is not open yet: it opens on "
                f"{opens:%d.%m.%Y} at {opens:%H:%M}",
            )

    def slot_bookable(self, start: datetime, now: datetime, zone: ZoneInfo) -> bool:
        first, last = self.first_and_last(now, zone)
        return start >= now + self.min_lead and first <= start.astimezone(zone).date() <= last

    def dates(self, now: datetime, zone: ZoneInfo) -> list[date]:
        first, last = self.first_and_last(now, zone)
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def free_places(slot: Slot, booked_total: int, booked_online: int, *, online: bool) -> int:
    """Places left in a slot: for the public, the online share; for the kiosk, the whole slot."""
    left = max(0, slot.capacity - booked_total)
    if online:
        return max(0, min(left, slot.online - booked_online))
    return left
