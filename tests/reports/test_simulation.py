"""The simulated day: reproducible from its seed, the estimate in use beats the first rule on
it, the estimates report reads the same error, and Erlang C agrees with it."""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from cherha.core.periods import Bucket, Period
from cherha.core.reports import Breakdown
from cherha.core.staffing import share_within
from cherha.server.simulate import Profile, Result, Simulation, WindowPlan, prepare, simulate
from cherha.server.store.report_query import ReportQuery
from cherha.server.store.reports import Reports

pytestmark = pytest.mark.slow

MORNING = Profile(
    arrivals={9: 20, 10: 24},
    windows=tuple(WindowPlan(n, opens=time(9), closes=time(12)) for n in range(1, 9)),
    pause_at=time(10, 0),
    pause_minutes=30,
    bookings=6,
    booking_hours=(time(9), time(11)),
)


def trace(result: Result) -> list[tuple[object, ...]]:
    return [(e.issued_at, e.called_at, e.service_id, e.given, e.legacy) for e in result.estimates]


def test_the_same_seed_gives_the_same_day(tmp_path: Path) -> None:
    first = simulate(f"sqlite:///{tmp_path / 'a.db'}", MORNING, seed=5)
    again = simulate(f"sqlite:///{tmp_path / 'b.db'}", MORNING, seed=5)
    other = simulate(f"sqlite:///{tmp_path / 'c.db'}", MORNING, seed=6)
    assert first.issued > 30
    assert trace(first) == trace(again)
    assert trace(first) != trace(other)


def test_the_estimate_beats_the_first_rule_and_the_report_reads_the_same(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'day.db'}"
    db = prepare(url)
    try:
        sim = Simulation(db, Profile(), seed=1)
        result = sim.run()
        assert result.called > 150
        assert result.estimate.mean_absolute is not None
        assert result.legacy.mean_absolute is not None
        assert result.estimate.mean_absolute < result.legacy.mean_absolute
        assert (result.estimate.share_within or 0) >= (result.legacy.share_within or 0)
        # The busy hours with nobody waiting at the start were told «0 min» by the first rule.
        reports = Reports(db, sim.clock)
        day = Profile().day
        q = ReportQuery(1, "Europe/Kyiv", Period(day, day), Bucket.TOTAL, Breakdown.CENTRE)
        row = reports.table("estimates", q).records()[0]
        assert row["tickets"] == result.called
        assert row["mae"] == round(result.estimate.mean_absolute, 1)
        assert row["within_5"] == round(100 * (result.estimate.share_within or 0), 1)
    finally:
        db.dispose()


def test_erlang_c_agrees_with_the_simulated_store(tmp_path: Path) -> None:
    """ID cards only, at windows 3 and 4, exponential visits of 20 minutes, 4.5 arrivals an
    hour all day: a = 1.5 erlangs on c = 2 windows."""
    line = Profile(
        arrivals=dict.fromkeys(range(8, 20), 4.5),
        mix={"id-card": 1.0},
        windows=(WindowPlan(3, time(8), time(23)), WindowPlan(4, time(8), time(23))),
        variation=1.0,
        pause_at=None,
        priority_share=0.0,
        no_show_share=0.0,
        transfer_share=0.0,
        bookings=0,
        walk_seconds=0.0,
    )
    target = 10.0
    shares = []
    waited = 0
    for seed in range(1, 7):
        result = simulate(f"sqlite:///{tmp_path / f'mmc{seed}.db'}", line, seed=seed)
        waits = [e.actual_minutes for e in result.estimates if e.actual_minutes is not None]
        waited += len(waits)
        shares.append(sum(w <= target for w in waits) / len(waits))
    expected = share_within(2, 4.5 * 20 / 60, target / 20)
    assert waited > 250
    assert statistics.mean(shares) == pytest.approx(expected, abs=0.08)


def test_a_busier_day_waits_longer(tmp_path: Path) -> None:
    quiet = simulate(f"sqlite:///{tmp_path / 'q.db'}", MORNING, seed=3)
    busy = simulate(f"sqlite:///{tmp_path / 'b.db'}", replace(MORNING, scale=1.6), seed=3)
    assert busy.issued > quiet.issued
    assert (busy.waits.mean or 0) > (quiet.waits.mean or 0)
