"""The wait estimate that counts everyone ahead: known cases and properties."""

from __future__ import annotations

import heapq

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.estimates import (
    EstimateInputs,
    WindowNow,
    busy_seconds_left,
    estimate_minutes,
    estimate_seconds,
    estimate_wait_minutes,
    legacy_estimate,
)

A, B = 1, 2
AVERAGES = {A: 600.0, B: 1200.0}


def window(*services: int, open_: bool = True, busy: float | None = None) -> WindowNow:
    return WindowNow(open_, frozenset(services), busy)


def test_nobody_ahead_at_an_idle_window_is_called_at_once() -> None:
    inputs = EstimateInputs(A, {}, AVERAGES, [window(A)])
    assert estimate_minutes(inputs) == 0


def test_nobody_ahead_but_every_window_busy_waits_for_the_first_to_free() -> None:
    # The first rule said «0 ahead, ≈ 0 min» here.
    inputs = EstimateInputs(A, {}, AVERAGES, [window(A, busy=420.0), window(A, busy=300.0)])
    assert legacy_estimate(inputs) == 0
    assert estimate_minutes(inputs) == 5


def test_people_ahead_go_to_the_window_free_first() -> None:
    # Free at 0 and 300 s; three ahead of 600 s each: 0→600, 300→900, 600→1200; called at 900.
    inputs = EstimateInputs(A, {A: 3}, AVERAGES, [window(A), window(A, busy=300.0)])
    assert estimate_seconds(inputs) == 900.0


def test_other_services_at_shared_windows_add_their_share() -> None:
    # Two B visitors ahead; B is served by the shared window and one of its own: half each.
    shared, own_b = window(A, B), window(B)
    inputs = EstimateInputs(A, {B: 2}, AVERAGES, [shared, own_b])
    assert estimate_seconds(inputs) == 2 * 1200.0 * 0.5


def test_with_no_window_open_those_that_serve_it_are_taken_as_opening() -> None:
    inputs = EstimateInputs(B, {B: 4}, AVERAGES, [window(B, open_=False), window(B, open_=False)])
    assert estimate_minutes(inputs) == 40
    assert legacy_estimate(inputs) == 40


def test_the_first_rule_is_the_old_formula() -> None:
    inputs = EstimateInputs(A, {A: 3, B: 5}, AVERAGES, [window(A), window(A, B), window(B)])
    assert legacy_estimate(inputs) == estimate_wait_minutes(3, 600.0, 2)


def test_a_visit_under_way_has_some_time_left_even_past_its_average() -> None:
    assert busy_seconds_left(600.0, 100.0, started=True) == 500.0
    assert busy_seconds_left(600.0, 900.0, started=True) == 120.0
    assert busy_seconds_left(600.0, 10.0, started=False) == 620.0


windows_strategy = st.lists(
    st.builds(
        WindowNow,
        st.booleans(),
        st.frozensets(st.sampled_from([A, B]), min_size=1),
        st.one_of(st.none(), st.floats(0, 3600)),
    ),
    min_size=0,
    max_size=6,
)
ahead_strategy = st.fixed_dictionaries({A: st.integers(0, 30), B: st.integers(0, 30)})


@given(windows_strategy, ahead_strategy)
def test_never_negative_and_one_more_ahead_never_shortens_it(
    windows: list[WindowNow], ahead: dict[int, int]
) -> None:
    inputs = EstimateInputs(A, ahead, AVERAGES, windows)
    more = EstimateInputs(A, {**ahead, A: ahead[A] + 1}, AVERAGES, windows)
    assert estimate_seconds(inputs) >= 0
    assert estimate_seconds(more) >= estimate_seconds(inputs)


@given(windows_strategy, ahead_strategy)
def test_another_idle_open_window_never_lengthens_it(
    windows: list[WindowNow], ahead: dict[int, int]
) -> None:
    if not any(w.open and A in w.services for w in windows):
        return  # no window open: those serving it are taken as opening; nothing to compare
    before = EstimateInputs(A, ahead, AVERAGES, windows)
    after = EstimateInputs(A, ahead, AVERAGES, [*windows, window(A)])
    assert estimate_seconds(after) <= estimate_seconds(before) + 1e-6


@given(windows_strategy, ahead_strategy)
def test_more_people_for_other_services_never_shortens_it(
    windows: list[WindowNow], ahead: dict[int, int]
) -> None:
    before = EstimateInputs(A, ahead, AVERAGES, windows)
    after = EstimateInputs(A, {**ahead, B: ahead[B] + 3}, AVERAGES, windows)
    assert estimate_seconds(after) >= estimate_seconds(before) - 1e-6


@given(st.integers(0, 50), st.floats(30, 7200), st.integers(1, 10))
def test_one_service_all_windows_idle_matches_list_scheduling(
    ahead: int, average: float, windows: int
) -> None:
    inputs = EstimateInputs(A, {A: ahead}, {A: average}, [window(A) for _ in range(windows)])
    assert estimate_seconds(inputs) == pytest.approx((ahead // windows) * average)


def handed_out_one_by_one(free: list[float], average: float, visits: int) -> float:
    """The rule as written first: each visit ahead goes to the window free first."""
    heap = list(free)
    heapq.heapify(heap)
    for _ in range(visits):
        heapq.heapreplace(heap, heap[0] + average)
    return heap[0]


busy_windows = st.lists(
    st.builds(WindowNow, st.just(True), st.just(frozenset({A})), st.floats(0, 7200)),
    min_size=1,
    max_size=8,
)


@given(busy_windows, st.integers(0, 5000), st.floats(30, 7200))
def test_a_long_line_gives_what_handing_out_one_by_one_gives(
    windows: list[WindowNow], ahead: int, average: float
) -> None:
    # The estimate counts a long line's visits at once instead of handing each out (issue 19);
    # the time is the same (up to the rounding of adding the average thousands of times).
    inputs = EstimateInputs(A, {A: ahead}, {A: average}, windows)
    free = [w.busy_seconds_left or 0.0 for w in windows]
    expected = handed_out_one_by_one(free, average, ahead)
    assert estimate_seconds(inputs) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    more = EstimateInputs(A, {A: ahead + 1}, {A: average}, windows)
    assert estimate_seconds(more) >= estimate_seconds(inputs)


def test_a_line_of_a_million_is_estimated_as_list_scheduling_says() -> None:
    # One by one this took a million steps; 1,000,001st visit of three windows free at 0, 100,
    # 200: each window takes a third, the last of them at the window free at 0.
    windows = [window(A, busy=0.0), window(A, busy=100.0), window(A, busy=200.0)]
    inputs = EstimateInputs(A, {A: 1_000_000}, {A: 600.0}, windows)
    assert estimate_seconds(inputs) == 333_333 * 600.0 + 100.0
