"""Slot arithmetic: capacity, the kiosk share, daylight saving in Kyiv, holidays, the horizon."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.schedule import ALWAYS_OPEN, Interval, WeeklySchedule
from cherha.core.slots import (
    DateNotBookable,
    Horizon,
    Slot,
    day_slots,
    free_places,
    online_places,
    slot_capacity,
)
from cherha.server.store.centre_file import SAMPLE_CENTRE, read_centre_file

KYIV = ZoneInfo("Europe/Kyiv")
WORKDAY = WeeklySchedule(weekly={d: (Interval(8 * 60, 17 * 60),) for d in range(5)})


def test_capacity_is_windows_times_slot_over_average_rounded_down() -> None:
    assert slot_capacity(windows=2, slot_minutes=15, average_minutes=12) == 2
    assert slot_capacity(windows=3, slot_minutes=15, average_minutes=10) == 4
    assert slot_capacity(windows=1, slot_minutes=20, average_minutes=20) == 1
    assert slot_capacity(windows=4, slot_minutes=30, average_minutes=7) == 17


def test_capacity_is_at_least_one_when_a_window_serves_and_none_without_windows() -> None:
    assert slot_capacity(windows=1, slot_minutes=15, average_minutes=45) == 1
    assert slot_capacity(windows=0, slot_minutes=15, average_minutes=10) == 0


def test_a_float_average_does_not_lose_a_place_to_rounding() -> None:
    # 3 × 15 / 7.5 is exactly 6; a float error must not make it 5.
    assert slot_capacity(windows=3, slot_minutes=15, average_minutes=7.5) == 6
    assert slot_capacity(windows=3, slot_minutes=10, average_minutes=10 / 3) == 9


def test_the_kiosk_share_is_kept_back_and_online_gets_the_floor() -> None:
    assert online_places([3], 0.33) == [2]
    assert online_places([3, 3, 3], 0.33) == [2, 2, 2]
    assert online_places([4, 4], 0.5) == [2, 2]
    assert online_places([5], 0) == [5]
    assert online_places([5], 1) == [0]


def test_one_place_slots_offer_two_in_three_online_with_a_third_kept() -> None:
    places = online_places([1] * 9, 1 / 3)
    assert places == [0, 1, 1, 0, 1, 1, 0, 1, 1]
    assert sum(places) == 6


@given(
    capacities=st.lists(st.integers(min_value=0, max_value=40), max_size=60),
    share=st.sampled_from([0, 0.1, 0.25, 0.33, 1 / 3, 0.5, 0.67, 0.9, 1]),
)
def test_online_places_never_exceed_capacity_and_total_is_the_floor(
    capacities: list[int], share: float
) -> None:
    places = online_places(capacities, share)
    assert all(0 <= p <= c for p, c in zip(places, capacities, strict=True))
    from fractions import Fraction

    online = 1 - Fraction(str(share))
    assert sum(places) == int(sum(capacities) * online)


@given(
    total=st.integers(min_value=0, max_value=50),
    online_booked=st.integers(min_value=0, max_value=50),
    capacity=st.integers(min_value=1, max_value=20),
    online=st.integers(min_value=0, max_value=20),
)
def test_free_places_never_let_bookings_pass_capacity(
    total: int, online_booked: int, capacity: int, online: int
) -> None:
    online = min(online, capacity)
    online_booked = min(online_booked, total)
    start = datetime(2026, 11, 24, 10, tzinfo=KYIV)
    slot = Slot(start, start + timedelta(minutes=15), capacity, online)
    for public in (True, False):
        free = free_places(slot, total, online_booked, online=public)
        assert free >= 0
        assert total + free <= max(capacity, total)
        if public:
            assert online_booked + free <= max(online, online_booked)


def test_an_ordinary_day_is_cut_into_slots_in_local_time() -> None:
    slots = day_slots(
        date(2026, 11, 24), WORKDAY, timezone="Europe/Kyiv", windows=2, average_minutes=12
    )
    assert len(slots) == 36
    assert slots[0].start == datetime(2026, 11, 24, 8, 0, tzinfo=KYIV)
    assert slots[0].start.utcoffset() == timedelta(hours=2)
    assert slots[-1].end == datetime(2026, 11, 24, 17, 0, tzinfo=KYIV)
    assert {s.capacity for s in slots} == {2}


def test_a_slot_that_would_run_past_closing_is_not_offered() -> None:
    schedule = WeeklySchedule(weekly={1: (Interval(8 * 60, 9 * 60 + 10),)})
    slots = day_slots(
        date(2026, 11, 24), schedule, timezone=KYIV, slot_minutes=20, windows=1, average_minutes=20
    )
    assert [s.start.strftime("%H:%M") for s in slots] == ["08:00", "08:20", "08:40"]


def test_a_lunch_break_has_no_slots() -> None:
    schedule = WeeklySchedule(weekly={1: (Interval(13 * 60, 17 * 60), Interval(8 * 60, 12 * 60))})
    slots = day_slots(
        date(2026, 11, 24), schedule, timezone=KYIV, slot_minutes=60, windows=1, average_minutes=30
    )
    hours = [s.start.hour for s in slots]
    assert hours == [8, 9, 10, 11, 13, 14, 15, 16]


def test_spring_forward_skips_the_hour_that_does_not_exist() -> None:
    """29 March 2026: at 03:00 Kyiv time the clocks jump to 04:00."""
    slots = day_slots(
        date(2026, 3, 29),
        ALWAYS_OPEN,
        timezone="Europe/Kyiv",
        slot_minutes=30,
        windows=1,
        average_minutes=30,
    )
    walls = [s.start.strftime("%H:%M") for s in slots]
    assert "03:00" not in walls
    assert "03:30" not in walls
    assert walls[5:8] == ["02:30", "04:00", "04:30"]
    assert len(slots) == 46  # a 23-hour day
    instants = [s.start.astimezone(UTC) for s in slots]
    assert instants == sorted(instants)
    assert slots[0].start.utcoffset() == timedelta(hours=2)
    assert slots[-1].start.utcoffset() == timedelta(hours=3)
    # The slot before the jump ends when the next one starts: 02:30 + 30 min is 04:00 local.
    assert slots[5].end == slots[6].start


def test_fall_back_takes_the_repeated_hour_once() -> None:
    """25 October 2026: at 04:00 Kyiv time the clocks go back to 03:00."""
    slots = day_slots(
        date(2026, 10, 25),
        ALWAYS_OPEN,
        timezone="Europe/Kyiv",
        slot_minutes=30,
        windows=1,
        average_minutes=30,
    )
    walls = [s.start.strftime("%H:%M") for s in slots]
    assert walls.count("03:00") == 1
    assert walls.count("03:30") == 1
    assert len(slots) == 48  # the wall clock is cut as usual; the repeated hour is not offered
    instants = [s.start.astimezone(UTC) for s in slots]
    assert len(set(instants)) == len(instants)
    assert instants == sorted(instants)
    three = slots[walls.index("03:00")]
    assert three.start.utcoffset() == timedelta(hours=3)  # fold=0: the first 03:00 (summer time)


def test_the_working_day_around_the_changes_is_unaffected() -> None:
    for day in (date(2026, 3, 30), date(2026, 10, 26)):
        slots = day_slots(day, WORKDAY, timezone="Europe/Kyiv", windows=1, average_minutes=15)
        assert slots[0].start.strftime("%H:%M") == "08:00"
        assert len(slots) == 36
    summer = day_slots(date(2026, 3, 30), WORKDAY, timezone=KYIV, windows=1, average_minutes=15)
    assert summer[0].start.astimezone(UTC).hour == 5  # 08:00 EEST is 05:00 UTC
    winter = day_slots(date(2026, 10, 26), WORKDAY, timezone=KYIV, windows=1, average_minutes=15)
    assert winter[0].start.astimezone(UTC).hour == 6  # 08:00 EET is 06:00 UTC


def _sample_schedule() -> WeeklySchedule:
    spec = read_centre_file(SAMPLE_CENTRE)
    weekly = {d: tuple(v) for d, v in spec.hours.intervals().items() if v}
    from cherha.server.store.centre_file import parse_interval

    exceptions = {e.date: tuple(parse_interval(t) for t in e.hours) for e in spec.exceptions}
    return WeeklySchedule(weekly=weekly, exceptions=exceptions)


def test_a_holiday_from_the_centre_file_has_no_slots_and_a_short_day_fewer() -> None:
    schedule = _sample_schedule()
    christmas = day_slots(
        date(2026, 12, 25), schedule, timezone=KYIV, windows=2, average_minutes=12
    )
    assert christmas == []
    short = day_slots(date(2026, 12, 31), schedule, timezone=KYIV, windows=2, average_minutes=12)
    assert short[-1].end.strftime("%H:%M") == "13:00"
    assert len(short) == 20  # 08:00–13:00 in 15-minute slots
    sunday = day_slots(date(2026, 12, 27), schedule, timezone=KYIV, windows=2, average_minutes=12)
    assert sunday == []


@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    slot_minutes=st.sampled_from([5, 10, 15, 20, 30, 45, 60]),
)
def test_slots_never_overlap_and_are_unique_instants(day: date, slot_minutes: int) -> None:
    slots = day_slots(
        day, ALWAYS_OPEN, timezone=KYIV, slot_minutes=slot_minutes, windows=2, average_minutes=10
    )
    instants = [(s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in slots]
    for (_s1, e1), (s2, _e2) in itertools.pairwise(instants):
        assert e1 <= s2
    assert all(s.start.date() == day for s in slots)


# -- the horizon --------------------------------------------------------------------------------


def test_the_newest_day_opens_at_the_configured_hour() -> None:
    horizon = Horizon(days=14, opens_hour=6)
    before = datetime(2026, 11, 24, 5, 59, tzinfo=KYIV)
    after = datetime(2026, 11, 24, 6, 0, tzinfo=KYIV)
    assert horizon.first_and_last(before, KYIV) == (date(2026, 11, 24), date(2026, 12, 7))
    assert horizon.first_and_last(after, KYIV) == (date(2026, 11, 24), date(2026, 12, 8))
    with pytest.raises(DateNotBookable) as refused:
        horizon.ensure_date(date(2026, 12, 8), before, KYIV)
    assert "08.12.2026" in refused.value.message_uk
    assert "24.11.2026 о 06:00" in refused.value.message_uk
    horizon.ensure_date(date(2026, 12, 8), after, KYIV)


def test_past_dates_are_refused() -> None:
    with pytest.raises(DateNotBookable, match="минула"):
        Horizon().ensure_date(date(2026, 11, 23), datetime(2026, 11, 24, 10, tzinfo=KYIV), KYIV)


def test_a_slot_needs_the_minimum_lead_time() -> None:
    horizon = Horizon(min_lead=timedelta(minutes=30))
    now = datetime(2026, 11, 24, 10, 0, tzinfo=KYIV)
    assert not horizon.slot_bookable(now + timedelta(minutes=29), now, KYIV)
    assert horizon.slot_bookable(now + timedelta(minutes=30), now, KYIV)
    assert not horizon.slot_bookable(now - timedelta(minutes=30), now, KYIV)


def test_the_horizon_counts_local_days_across_the_clock_change() -> None:
    horizon = Horizon(days=14, opens_hour=6)
    now = datetime(2026, 10, 20, 6, 30, tzinfo=KYIV)
    dates = horizon.dates(now, KYIV)
    assert dates[0] == date(2026, 10, 20)
    assert dates[-1] == date(2026, 11, 3)
    assert len(dates) == 15
    # 23:30 UTC on 24 Oct is already 25 Oct in Kyiv (summer time).
    assert horizon.first_and_last(datetime(2026, 10, 24, 21, 30, tzinfo=UTC), KYIV)[0] == date(
        2026, 10, 25
    )
