from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.checkin import CheckInWindow, TooEarly, check_in
from cherha.core.errors import Invalid, OutsideHours
from cherha.core.estimates import estimate_wait_minutes, learn_average
from cherha.core.schedule import ALWAYS_OPEN, Interval, WeeklySchedule, parse_hhmm

KYIV = "Europe/Kyiv"
WEEKDAYS = WeeklySchedule(
    weekly={d: (Interval(8 * 60, 17 * 60),) for d in range(5)},
    exceptions={date(2026, 12, 25): (), date(2026, 12, 31): (Interval(8 * 60, 13 * 60),)},
)


def kyiv(y: int, m: int, d: int, hh: int, mm: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(KYIV))


def test_open_in_local_hours_only() -> None:
    assert WEEKDAYS.is_open(kyiv(2026, 11, 24, 8, 0), KYIV)
    assert WEEKDAYS.is_open(kyiv(2026, 11, 24, 16, 59), KYIV)
    assert not WEEKDAYS.is_open(kyiv(2026, 11, 24, 17, 0), KYIV)
    assert not WEEKDAYS.is_open(kyiv(2026, 11, 28, 10, 0), KYIV)  # Saturday


def test_hours_follow_local_time_across_daylight_saving() -> None:
    # 08:00 local is 06:00 UTC in winter and 05:00 UTC in summer.
    assert WEEKDAYS.is_open(datetime(2026, 1, 13, 6, 0, tzinfo=UTC), KYIV)
    assert not WEEKDAYS.is_open(datetime(2026, 1, 13, 5, 59, tzinfo=UTC), KYIV)
    assert WEEKDAYS.is_open(datetime(2026, 7, 14, 5, 0, tzinfo=UTC), KYIV)


def test_holidays_and_short_days_replace_the_week() -> None:
    assert not WEEKDAYS.is_open(kyiv(2026, 12, 25, 10, 0), KYIV)
    assert WEEKDAYS.is_open(kyiv(2026, 12, 31, 12, 59), KYIV)
    assert not WEEKDAYS.is_open(kyiv(2026, 12, 31, 13, 0), KYIV)


def test_closed_message_says_today_s_hours() -> None:
    with pytest.raises(OutsideHours) as info:
        WEEKDAYS.ensure_open(kyiv(2026, 11, 24, 18, 0), KYIV, "Послуга", "The service")
    assert "08:00–17:00" in info.value.message_uk
    with pytest.raises(OutsideHours) as info:
        WEEKDAYS.ensure_open(kyiv(2026, 11, 29, 10, 0), KYIV, "Послуга", "The service")
    assert "вихідний" in info.value.message_uk
    assert "closed today" in info.value.message_en


def test_always_open_is_open_at_any_minute() -> None:
    assert ALWAYS_OPEN.is_open(kyiv(2026, 11, 29, 3, 17), KYIV)


@pytest.mark.parametrize("text", ["8", "25:00", "24:01", "12:60", "ab:cd", ""])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(Invalid):
        parse_hhmm(text)


def test_bad_intervals_are_refused() -> None:
    with pytest.raises(Invalid):
        Interval(600, 600)
    assert parse_hhmm("24:00") == 1440


def test_wait_estimate_formula() -> None:
    assert estimate_wait_minutes(0, 600, 2) == 0
    assert estimate_wait_minutes(3, 600, 2) == 15
    assert estimate_wait_minutes(1, 90, 1) == 2  # rounds up
    assert estimate_wait_minutes(4, 600, 0) == 40  # no window open: as if one


@given(st.floats(min_value=30, max_value=7200), st.floats(min_value=0, max_value=100_000))
def test_learned_average_stays_between_old_and_clamped_sample(old: float, sample: float) -> None:
    new = learn_average(old, sample)
    clamped = min(max(sample, 30.0), 7200.0)
    assert min(old, clamped) - 1e-6 <= new <= max(old, clamped) + 1e-6


def test_check_in_on_time_keeps_the_slot_start_as_place() -> None:
    slot = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    window = CheckInWindow()
    assert check_in(slot, slot - timedelta(minutes=15), window).order_key == slot
    assert check_in(slot, slot + timedelta(minutes=5), window).on_time
    late = check_in(slot, slot + timedelta(minutes=6), window)
    assert not late.on_time
    assert late.order_key == slot + timedelta(minutes=6)
    with pytest.raises(TooEarly):
        check_in(slot, slot - timedelta(minutes=16), window)
