"""Erlang C against published values, and against a simulated M/M/c line."""

from __future__ import annotations

import heapq
import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.staffing import (
    erlang_b,
    erlang_c,
    mean_wait,
    share_within,
    windows_needed,
)


def test_erlang_c_matches_published_values() -> None:
    # Wolfram's ErlangC[3, 2] = 4/9 (the reference's own example).
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, abs=1e-12)
    # M/M/1: the probability of waiting is the utilisation.
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    # M. Tanner, «The Erlang C formula», worked example: 360 calls per 30 minutes, 240 s each,
    # 55 agents: traffic 48 erlangs, P(wait) 23.87 %, ASA 8.18 s, 84.6 % answered in 15 s.
    assert erlang_c(55, 48.0) == pytest.approx(0.2387, abs=5e-5)
    assert mean_wait(55, 48.0, 4.0) * 60 == pytest.approx(8.18, abs=0.005)
    assert share_within(55, 48.0, 15 / 240) == pytest.approx(0.846, abs=5e-4)
    # Erlang B textbook table: 10 erlangs on 10 lines block 21.5 %; 5 erlangs on 10, 1.84 %.
    assert erlang_b(10, 10.0) == pytest.approx(0.2146, abs=5e-5)
    assert erlang_b(10, 5.0) == pytest.approx(0.01838, abs=5e-6)


def test_the_windows_needed_are_the_least_that_meet_the_target() -> None:
    advice = windows_needed(720, 4.0, 0.25, 0.8)  # the worked example: 80 % in 15 s
    assert advice.load == 48.0
    assert advice.windows == 55
    assert share_within(54, 48.0, 15 / 240) < 0.8
    assert windows_needed(0, 10, 15).windows == 0
    # 6 an hour × 10 minutes is one erlang: one window alone never catches up.
    assert windows_needed(6, 10, 15).windows == 2
    # Half an erlang: one window lets 76 % wait at most 15 minutes (1 − 0.5·e^−0.75).
    assert windows_needed(3, 10, 15, 0.7).windows == 1
    assert windows_needed(3, 10, 15, 0.8).windows == 2
    with pytest.raises(ValueError, match="share"):
        windows_needed(10, 10, 15, 1.0)


@given(st.floats(0.1, 40), st.integers(1, 60))
def test_more_windows_never_mean_more_waiting(load: float, windows: int) -> None:
    if windows <= load:
        assert erlang_c(windows, load) == 1.0
        return
    assert 0 <= erlang_c(windows, load) <= 1
    assert erlang_c(windows + 1, load) <= erlang_c(windows, load) + 1e-12
    assert share_within(windows + 1, load, 0.5) >= share_within(windows, load, 0.5) - 1e-12


def simulate_mmc(rate: float, service: float, windows: int, target: float, n: int) -> float:
    """A plain M/M/c line: the share of n visitors waiting at most `target` (minutes)."""
    rng = random.Random(7)
    free = [0.0] * windows
    heapq.heapify(free)
    clock = 0.0
    within = 0
    for _ in range(n):
        clock += rng.expovariate(rate)
        start = max(clock, free[0])
        within += start - clock <= target
        heapq.heapreplace(free, start + rng.expovariate(1.0 / service))
    return within / n


@pytest.mark.parametrize(
    ("per_hour", "service", "windows", "target"),
    [(30, 10.0, 6, 5.0), (50, 12.0, 12, 2.0), (20, 15.0, 6, 10.0)],
)
def test_erlang_c_agrees_with_a_simulated_line(
    per_hour: float, service: float, windows: int, target: float
) -> None:
    rate = per_hour / 60.0
    expected = share_within(windows, rate * service, target / service)
    measured = simulate_mmc(rate, service, windows, target, 200_000)
    assert measured == pytest.approx(expected, abs=0.01)
    assert not math.isnan(measured)
