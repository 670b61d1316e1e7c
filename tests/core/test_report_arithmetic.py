"""The arithmetic of reports: percentiles, summaries, estimate error, suppression, cells, and
periods in the branch's calendar (a day across a clock change has 23 or 25 hours)."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.errors import Invalid
from cherha.core.periods import Bucket, Period, Preset, calendar_of, parse_bucket, parse_period
from cherha.core.reports import (
    Column,
    Kind,
    Table,
    cell_text,
    cell_value,
    estimate_error,
    percentile,
    summarise,
    suppress,
)


@given(st.lists(st.floats(0, 10_000), min_size=2, max_size=200))
def test_percentiles_match_the_inclusive_method(values: list[float]) -> None:
    ordered = sorted(values)
    deciles = statistics.quantiles(ordered, n=10, method="inclusive")
    assert percentile(ordered, 0.9) == pytest.approx(deciles[8], abs=1e-6)
    assert percentile(ordered, 0.5) == pytest.approx(statistics.median(ordered), abs=1e-6)
    assert percentile(ordered, 0.0) == ordered[0]
    assert percentile(ordered, 1.0) == ordered[-1]


def test_known_percentiles_and_summary() -> None:
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([], 0.5) is None
    s = summarise([60, 120, 600], [300, None, 300])
    assert (s.count, s.median, s.maximum) == (3, 120.0, 600.0)
    assert s.mean == 260.0
    assert (s.with_target, s.within_target, s.share_within_target) == (2, 1, 0.5)
    assert summarise([]).median is None


def test_estimate_error() -> None:
    e = estimate_error([(10, 4), (0, 3), (20, 20)])  # errors +6, −3, 0
    assert e.mean_absolute == 3.0
    assert e.mean_signed == 1.0
    assert e.within_tolerance == 2
    assert e.share_within == pytest.approx(2 / 3)
    assert estimate_error([]).share_within is None


def test_small_counts_are_suppressed_but_zero_is_not() -> None:
    assert [suppress(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]
    assert suppress(None) is None


def test_cells_show_minutes_and_percentages_with_one_decimal() -> None:
    assert cell_text(90, Kind.MINUTES) == "1.5"
    assert cell_value(0.6666, Kind.PERCENT) == 66.7
    assert cell_text(None, Kind.COUNT) == ""
    assert cell_text(7, Kind.COUNT) == "7"
    table = Table(
        "t", ("т", "t"), [Column("a", "а", "a", Kind.TEXT), Column("m", "м", "m", Kind.MINUTES)]
    )
    table.add(["x", 125])
    assert table.cells() == [["x", "2.1"]]
    assert table.records() == [{"a": "x", "m": 2.1}]
    with pytest.raises(ValueError, match="columns"):
        table.add(["only one"])


def test_presets_in_the_local_calendar() -> None:
    today = date(2026, 11, 24)  # a Tuesday
    assert parse_period("this_week", None, None, today)[1] == Period(date(2026, 11, 23), today)
    assert parse_period("last_month", None, None, today)[1] == Period(
        date(2026, 10, 1), date(2026, 10, 31)
    )
    assert parse_period("last_week", None, None, today)[1] == Period(
        date(2026, 11, 16), date(2026, 11, 22)
    )
    preset, period = parse_period("this_month", "2026-11-01", "2026-11-10", today)
    assert preset is Preset.CUSTOM
    assert period.days == 10
    bad: list[tuple[str | None, str | None, str | None]] = [
        ("fortnight", None, None),
        (None, "2026-11-30", "2026-11-01"),
        (None, "x", None),
    ]
    for asked, first, last in bad:
        with pytest.raises(Invalid):
            parse_period(asked, first, last, today)
    with pytest.raises(Invalid):
        parse_bucket("minute")
    assert parse_bucket(None) is Bucket.TOTAL


def test_a_day_across_the_clock_change_keeps_all_its_hours() -> None:
    # Kyiv moved its clocks back on 25 October 2026: that local day had 25 hours.
    start, end = Period(date(2026, 10, 25), date(2026, 10, 25)).utc_range("Europe/Kyiv")
    assert end - start == timedelta(hours=25)
    spring = Period(date(2026, 3, 29), date(2026, 3, 29)).utc_range("Europe/Kyiv")
    assert spring[1] - spring[0] == timedelta(hours=23)
    day, week, month, weekday, hour = calendar_of(
        start + timedelta(hours=3, minutes=30), "Europe/Kyiv"
    )
    assert (day, week, month, weekday, hour) == (
        date(2026, 10, 25),
        date(2026, 10, 19),
        date(2026, 10, 1),
        6,
        3,
    )
