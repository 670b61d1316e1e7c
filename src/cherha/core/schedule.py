"""Working hours: a weekly schedule in the branch's local time, with dated exceptions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .errors import Invalid, OutsideHours

MINUTES_PER_DAY = 24 * 60
WEEKDAYS_UK = ("понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота", "неділя")


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """Open from `opens` to `closes`, in minutes after local midnight (closes may be 1440)."""

    opens: int
    closes: int

    def __post_init__(self) -> None:
        if not (0 <= self.opens < self.closes <= MINUTES_PER_DAY):
            raise Invalid(
                f"Години роботи {fmt_minute(self.opens)}–{fmt_minute(self.closes)} не мають сенсу",
                f"Working hours {fmt_minute(self.opens)}-{fmt_minute(self.closes)} make no sense",
            )

    def contains(self, minute: int) -> bool:
        return self.opens <= minute < self.closes


def fmt_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hhmm(text: str) -> int:
    """«08:30» → 510; «24:00» is allowed as the end of a day."""
    try:
        hours_text, minutes_text = text.split(":")
        hours, minutes = int(hours_text), int(minutes_text)
    except ValueError:
        raise Invalid(
            f"Час «{text}» має бути у форматі ГГ:ХХ", f"Time '{text}' must look like HH:MM"
        ) from None
    if not (0 <= minutes < 60 and 0 <= hours <= 24) or (hours == 24 and minutes):
        raise Invalid(f"Часу «{text}» не існує", f"Time '{text}' does not exist")
    return hours * 60 + minutes


@dataclass(frozen=True, slots=True)
class WeeklySchedule:
    """Opening intervals for each weekday (0 = Monday) and dated exceptions (holidays, one-offs).

    An exception replaces that date's weekly hours; an empty tuple means closed all day.
    """

    weekly: Mapping[int, Sequence[Interval]]
    exceptions: Mapping[date, Sequence[Interval]] = field(default_factory=dict)

    def intervals_on(self, day: date) -> Sequence[Interval]:
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(day.weekday(), ())

    def is_open(self, moment: datetime, timezone: str | ZoneInfo) -> bool:
        local = moment.astimezone(ZoneInfo(timezone) if isinstance(timezone, str) else timezone)
        minute = local.hour * 60 + local.minute
        return any(i.contains(minute) for i in self.intervals_on(local.date()))

    def ensure_open(
        self, moment: datetime, timezone: str | ZoneInfo, what_uk: str, what_en: str
    ) -> None:
        if self.is_open(moment, timezone):
            return
        local = moment.astimezone(ZoneInfo(timezone) if isinstance(timezone, str) else timezone)
        today = self.intervals_on(local.date())
        hours = ", ".join(f"{fmt_minute(i.opens)}–{fmt_minute(i.closes)}" for i in today)
        raise OutsideHours(
            f"{what_uk} зараз не працює"
            + (f"; сьогодні години роботи: {hours}" if hours else "; сьогодні вихідний"),
            f"{what_en} is closed now"
            + (f"; today's hours: {hours}" if hours else "; closed today"),
        )


ALWAYS_OPEN = WeeklySchedule(weekly={d: (Interval(0, MINUTES_PER_DAY),) for d in range(7)})
