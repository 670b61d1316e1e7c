"""Report periods in a branch's local calendar: presets, ranges, and the buckets rows fall in.

A period is a range of local dates, both ends included. Its moments in UTC come from local
midnights in the branch's time zone, so a day across a daylight-saving change has 23 or 25
hours and a report never cuts one short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import Invalid

MAX_DAYS = 400
"""The longest range a report covers (a year and a bit: «this year against last»)."""


class Preset(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    LAST_30_DAYS = "last_30_days"
    CUSTOM = "custom"


PRESET_NAMES: dict[Preset, tuple[str, str]] = {
    Preset.TODAY: ("сьогодні", "today"),
    Preset.YESTERDAY: ("вчора", "yesterday"),
    Preset.THIS_WEEK: ("цей тиждень", "this week"),
    Preset.LAST_WEEK: ("минулий тиждень", "last week"),
    Preset.THIS_MONTH: ("цей місяць", "this month"),
    Preset.LAST_MONTH: ("минулий місяць", "last month"),
    Preset.LAST_30_DAYS: ("останні 30 днів", "last 30 days"),
    Preset.CUSTOM: ("вибрані дати", "chosen dates"),
}


class Bucket(StrEnum):
    """How a report's rows are grouped in time."""

    TOTAL = "total"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    WEEKDAY = "weekday"
    HOUR = "hour"


BUCKET_NAMES: dict[Bucket, tuple[str, str]] = {
    Bucket.TOTAL: ("за весь період", "whole period"),
    Bucket.DAY: ("по днях", "per day"),
    Bucket.WEEK: ("по тижнях", "per week"),
    Bucket.MONTH: ("по місяцях", "per month"),
    Bucket.WEEKDAY: ("по днях тижня", "per weekday"),
    Bucket.HOUR: ("по годинах доби", "per hour of day"),
}

WEEKDAYS = (
    ("пн", "Mon"),
    ("вт", "Tue"),
    ("ср", "Wed"),
    ("чт", "Thu"),
    ("пт", "Fri"),
    ("сб", "Sat"),
    ("нд", "Sun"),
)
WEEKDAY_NAMES = (
    ("понеділок", "Monday"),
    ("вівторок", "Tuesday"),
    ("середа", "Wednesday"),
    ("четвер", "Thursday"),
    ("пʼятниця", "Friday"),
    ("субота", "Saturday"),
    ("неділя", "Sunday"),
)


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date
    """Both included."""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def utc_range(self, zone: str | ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day to that after the last."""
        return local_midnight(self.first, zone), local_midnight(self.last + timedelta(days=1), zone)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def local_midnight(day: date, zone: str | ZoneInfo) -> datetime:
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return datetime.combine(day, time(0), tz).astimezone(UTC)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def calendar_of(moment: datetime, zone: str | ZoneInfo) -> tuple[date, date, date, int, int]:
    """(day, week's Monday, month's first, weekday, hour) of an aware moment, in local time."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = moment.astimezone(tz)
    day = local.date()
    return day, week_start(day), month_start(day), day.weekday(), local.hour


def preset_period(preset: Preset, today: date) -> Period:
    if preset is Preset.TODAY:
        return Period(today, today)
    if preset is Preset.YESTERDAY:
        yesterday = today - timedelta(days=1)
        return Period(yesterday, yesterday)
    if preset is Preset.THIS_WEEK:
        return Period(week_start(today), today)
    if preset is Preset.LAST_WEEK:
        monday = week_start(today) - timedelta(days=7)
        return Period(monday, monday + timedelta(days=6))
    if preset is Preset.THIS_MONTH:
        return Period(month_start(today), today)
    if preset is Preset.LAST_MONTH:
        last = month_start(today) - timedelta(days=1)
        return Period(month_start(last), last)
    if preset is Preset.LAST_30_DAYS:
        return Period(today - timedelta(days=29), today)
    raise ValueError(preset)


def parse_period(
    preset_text: str | None, first_text: str | None, last_text: str | None, today: date
) -> tuple[Preset, Period]:
    """The period a request asks for: a preset name, or `from`/`to` dates (YYYY-MM-DD).

    Refuses (Invalid) an unknown preset, a date that is not a date, a range that ends before
    it starts or is longer than MAX_DAYS.
    """
    if first_text or last_text:
        first = _parse_date(first_text or last_text or "", "from")
        last = _parse_date(last_text or first_text or "", "to")
        if last < first:
            raise Invalid(
                "Кінець періоду раніше за його початок",
                "The period ends before it starts",
                code="bad_period",
            )
        period = Period(first, last)
        if period.days > MAX_DAYS:
            raise Invalid(
                f"Період довший за {MAX_DAYS} днів: виберіть коротший",
                f"The period is longer than {MAX_DAYS} days: choose a shorter one",
                code="bad_period",
            )
        return Preset.CUSTOM, period
    text = preset_text or Preset.TODAY.value
    try:
        preset = Preset(text)
    except ValueError:
        raise Invalid(
            f"Невідомий період «{text[:40]}»: {', '.join(p.value for p in Preset)}",
            f"Unknown period '{text[:40]}': {', '.join(p.value for p in Preset)}",
            code="bad_period",
        ) from None
    if preset is Preset.CUSTOM:
        return Preset.TODAY, preset_period(Preset.TODAY, today)
    return preset, preset_period(preset, today)


def parse_bucket(text: str | None) -> Bucket:
    try:
        return Bucket(text or Bucket.TOTAL.value)
    except ValueError:
        raise Invalid(
            f"Невідоме групування «{str(text)[:40]}»: {', '.join(b.value for b in Bucket)}",
            f"Unknown grouping '{str(text)[:40]}': {', '.join(b.value for b in Bucket)}",
            code="bad_grouping",
        ) from None


def _parse_date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise Invalid(
            f"«{text[:20]}» — не дата (РРРР-ММ-ДД) у полі «{name}»",
            f"'{text[:20]}' is not a date (YYYY-MM-DD) in field '{name}'",
            code="bad_period",
        ) from None


def bucket_label(bucket: Bucket, key: object) -> tuple[str, str]:
    """How a bucket's key reads in a table: a date, «тиждень з …», a weekday, «09:00–10:00»."""
    if bucket is Bucket.TOTAL:
        return ("усього", "total")
    if bucket is Bucket.WEEKDAY:
        assert isinstance(key, int)
        return WEEKDAY_NAMES[key]
    if bucket is Bucket.HOUR:
        assert isinstance(key, int)
        text = f"{key:02d}:00–{(key + 1) % 24:02d}:00"
        return (text, text)
    assert isinstance(key, date)
    if bucket is Bucket.WEEK:
        return (f"тиждень з {key.isoformat()}", f"week of {key.isoformat()}")
    if bucket is Bucket.MONTH:
        return (key.strftime("%Y-%m"), key.strftime("%Y-%m"))
    return (key.isoformat(), key.isoformat())
