from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.errors import Invalid
from cherha.core.model import Lane
from cherha.core.numbering import format_number, local_day, next_sequence, validate_prefix


def test_numbers_are_prefix_and_three_digits() -> None:
    assert format_number("A", 15, Lane.ORDINARY) == "A015"
    assert format_number("A", 1000, Lane.ORDINARY) == "A1000"


def test_priority_series_is_visibly_different() -> None:
    assert format_number("A", 3, Lane.PRIORITY) == "ПA003"
    assert format_number("A", 3, Lane.PRIORITY) != format_number("A", 3, Lane.ORDINARY)


def test_first_number_of_a_day_is_one_and_series_has_no_gaps() -> None:
    assert next_sequence(None) == 1
    assert next_sequence(41) == 42


@pytest.mark.parametrize("bad", ["", "a", "AB1", "ABCD", "П", "ПA", "1"])
def test_bad_prefixes_are_refused_with_a_message(bad: str) -> None:
    with pytest.raises(Invalid) as info:
        validate_prefix(bad)
    assert info.value.message_uk
    assert info.value.message_en


def test_cyrillic_prefixes_are_fine() -> None:
    validate_prefix("Б")
    assert format_number("Б", 7, Lane.ORDINARY) == "Б007"


def test_day_rolls_over_at_kyiv_midnight_not_utc() -> None:
    # 21:59 UTC on 24 Nov is 23:59 in Kyiv (UTC+2 in winter); 22:00 UTC is already 25 Nov.
    assert local_day(datetime(2026, 11, 24, 21, 59, tzinfo=UTC), "Europe/Kyiv") == date(
        2026, 11, 24
    )
    assert local_day(datetime(2026, 11, 24, 22, 0, tzinfo=UTC), "Europe/Kyiv") == date(2026, 11, 25)


def test_day_rolls_over_at_kyiv_midnight_in_summer_time() -> None:
    # In summer Kyiv is UTC+3.
    assert local_day(datetime(2026, 7, 1, 20, 59, tzinfo=UTC), "Europe/Kyiv") == date(2026, 7, 1)
    assert local_day(datetime(2026, 7, 1, 21, 0, tzinfo=UTC), "Europe/Kyiv") == date(2026, 7, 2)


def test_daylight_saving_days_are_still_one_day_each() -> None:
    # 29 March 2026: clocks go 03:00 → 04:00 in Kyiv; the local day is 23 hours long.
    start = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # local midnight, 29 March (UTC+2)
    end = datetime(2026, 3, 29, 21, 0, tzinfo=UTC)  # local midnight, 30 March (UTC+3)
    assert local_day(start, "Europe/Kyiv") == date(2026, 3, 29)
    assert local_day(end - timedelta(seconds=1), "Europe/Kyiv") == date(2026, 3, 29)
    assert local_day(end, "Europe/Kyiv") == date(2026, 3, 30)
    # 25 October 2026: 04:00 → 03:00, a 25-hour day.
    start = datetime(2026, 10, 24, 21, 0, tzinfo=UTC)
    end = datetime(2026, 10, 25, 22, 0, tzinfo=UTC)
    assert local_day(start, "Europe/Kyiv") == date(2026, 10, 25)
    assert local_day(end - timedelta(seconds=1), "Europe/Kyiv") == date(2026, 10, 25)
    assert local_day(end, "Europe/Kyiv") == date(2026, 10, 26)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 1, 1), "Europe/Kyiv")


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(list(Lane)))
def test_numbers_are_unique_per_series(sequence: int, lane: Lane) -> None:
    number = format_number("A", sequence, lane)
    assert number != format_number("A", sequence + 1, lane)
    other = Lane.PRIORITY if lane is Lane.ORDINARY else Lane.ORDINARY
    assert number != format_number("A", sequence, other)
    assert int(number.lstrip("ПA")) == sequence


def test_start_of_local_day_is_local_midnight_also_on_a_dst_day() -> None:
    from datetime import UTC, datetime

    from cherha.core.numbering import start_of_local_day

    # 2026-03-29: Kyiv moves from +02:00 to +03:00 at 03:00; midnight is still +02:00.
    start = start_of_local_day(datetime(2026, 3, 29, 12, 0, tzinfo=UTC), "Europe/Kyiv")
    assert start.astimezone(UTC) == datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    late = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 00:30 local on the 29th
    assert start_of_local_day(late, "Europe/Kyiv") == start
