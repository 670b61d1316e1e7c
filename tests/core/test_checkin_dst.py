"""Check-in next to a daylight-saving change: the window is counted in real minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.checkin import CheckInWindow, TooEarly, check_in, no_show_after

KYIV = ZoneInfo("Europe/Kyiv")
DST_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


def test_29_march_a_4_00_booking_is_on_time_from_3_45_real_minutes_before() -> None:
    slot = datetime(2026, 3, 29, 4, 0, tzinfo=KYIV)  # 01:00 UTC, just after the clocks jump
    window = CheckInWindow()
    result = check_in(slot, slot.astimezone(UTC) - timedelta(minutes=10), window)
    assert result.on_time
    assert check_in(slot, slot.astimezone(UTC) + timedelta(minutes=5), window).on_time


def test_25_october_70_minutes_early_is_too_early() -> None:
    slot = datetime(2026, 10, 25, 4, 0, tzinfo=KYIV)  # an hour after the clocks went back
    with pytest.raises(TooEarly):
        check_in(slot, slot.astimezone(UTC) - timedelta(minutes=70), CheckInWindow())


@given(
    day=st.sampled_from(DST_DAYS),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
    offset=st.integers(min_value=-120, max_value=120),
    early=st.integers(min_value=0, max_value=60),
    late=st.integers(min_value=0, max_value=30),
)
def test_on_time_exactly_within_the_window_in_real_minutes(
    day: date, minute: int, offset: int, early: int, late: int
) -> None:
    slot = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=KYIV)
    start = slot.astimezone(UTC)
    now = start + timedelta(minutes=offset)
    window = CheckInWindow(timedelta(minutes=early), timedelta(minutes=late))
    if offset < -early:
        with pytest.raises(TooEarly) as refused:
            check_in(slot, now, window)
        assert refused.value.opens_at is not None
        assert refused.value.opens_at.astimezone(UTC) == start - window.early
        return
    result = check_in(slot, now, window)
    assert result.on_time == (offset <= late)
    assert result.order_key == (slot if result.on_time else now)
    assert no_show_after(slot, window) == start + window.late
