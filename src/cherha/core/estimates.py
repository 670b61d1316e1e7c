"""Wait estimates and the average service time learned from finished tickets.

`estimate_minutes` is the estimate printed on a ticket and shown on the phone page; it counts
the visits under way and other services' visitors at shared windows. `legacy_estimate` is the
first rule (people ahead × average ÷ open windows), kept to measure the new one against
(`cherha-server simulate`, docs/reports.md).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_SERVICE_SECONDS = 600.0
LEARNING_RATE = 0.2
"""Weight of the newest finished ticket in the running average (an exponential moving average)."""
MIN_SAMPLE_SECONDS = 30.0
MAX_SAMPLE_SECONDS = 2 * 3600.0
"""Samples are clamped so one forgotten "finish" does not wreck the estimates for the day."""


def estimate_wait_minutes(people_ahead: int, average_seconds: float, open_windows: int) -> int:
    """People ahead × the service's average time ÷ windows serving it, in whole minutes (up)."""
    if people_ahead < 0:
        raise ValueError("people_ahead cannot be negative")
    windows = max(open_windows, 1)
    return math.ceil(people_ahead * average_seconds / windows / 60.0)


def windows_for_estimate(open_windows: int, serving_windows: int) -> int:
    """The windows to divide by: the open ones, or if none is open yet, those that will serve."""
    return open_windows or serving_windows or 1


def learn_average(current_seconds: float, sample_seconds: float) -> float:
    """The service's new average after one more finished ticket."""
    sample = min(max(sample_seconds, MIN_SAMPLE_SECONDS), MAX_SAMPLE_SECONDS)
    return (1.0 - LEARNING_RATE) * current_seconds + LEARNING_RATE * sample


# -- the estimate that counts everyone ahead (docs/reports.md, "Wait estimates") ---------------

WALK_SECONDS = 30.0
"""From a call to the visitor at the window: a called visitor's window is busy this much more."""
MIN_RESIDUAL_SHARE = 0.2
"""A visit already longer than the average is expected to last at least this share of it more."""


@dataclass(frozen=True, slots=True)
class WindowNow:
    """One active window as the estimate sees it."""

    open: bool
    services: frozenset[int]
    busy_seconds_left: float | None = None
    """Expected time until the visitor at it is done; None when nobody is at it."""


@dataclass(frozen=True, slots=True)
class EstimateInputs:
    """What a wait estimate for one ticket (or a newcomer) rests on."""

    service_id: int
    ahead: Mapping[int, int]
    """Waiting tickets ahead of this one, per service (its own service included)."""
    averages: Mapping[int, float]
    """Average service seconds per service."""
    windows: Sequence[WindowNow]
    """Every active window of the branch."""

    @property
    def people_ahead(self) -> int:
        return self.ahead.get(self.service_id, 0)


def busy_seconds_left(average_seconds: float, elapsed_seconds: float, started: bool) -> float:
    """Expected rest of a visit at a window: the average less what has passed (at least a
    fifth of the average), plus the walk to the window when the visitor was only called."""
    if not started:
        return average_seconds + max(0.0, WALK_SECONDS - elapsed_seconds)
    return max(average_seconds - elapsed_seconds, MIN_RESIDUAL_SHARE * average_seconds)


def legacy_estimate(inputs: EstimateInputs) -> int:
    """The first rule: people ahead × average ÷ open windows (ignores visits under way and
    other services' visitors at shared windows). Kept for comparison in the simulation."""
    mine = [w for w in inputs.windows if inputs.service_id in w.services]
    serving = windows_for_estimate(sum(w.open for w in mine), len(mine))
    average = inputs.averages.get(inputs.service_id, DEFAULT_SERVICE_SECONDS)
    return estimate_wait_minutes(inputs.people_ahead, average, serving)


def estimate_seconds(inputs: EstimateInputs) -> float:
    """Seconds until this ticket is called, first come first served at the windows serving it.

    Each open window serving the service is free when its current visit ends. Visitors ahead
    for *other* services that share these windows add their work, spread over the windows in
    the share those windows serve them; then the visitors ahead for this service are given,
    one by one, to the window free first. The ticket is called when the first window frees
    after that. With no window open, those that serve the service are taken as opening now.
    """
    service = inputs.service_id
    mine = [w for w in inputs.windows if service in w.services]
    average = inputs.averages.get(service, DEFAULT_SERVICE_SECONDS)
    if not mine:
        return inputs.people_ahead * average
    live = [w for w in mine if w.open]
    free = [w.busy_seconds_left or 0.0 for w in live] if live else [0.0] * len(mine)
    other_work = 0.0
    for other, count in inputs.ahead.items():
        if other == service or count <= 0:
            continue
        serving_other = [w for w in inputs.windows if other in w.services]
        open_other = [w for w in serving_other if w.open] or serving_other
        if not open_other:
            continue
        shared = sum(1 for w in open_other if service in w.services and (w.open or not live))
        share = shared / len(open_other)
        other_work += count * inputs.averages.get(other, DEFAULT_SERVICE_SECONDS) * share
    free = [t + other_work / len(free) for t in free]
    return _free_after(free, average, inputs.people_ahead)


def _free_after(free: Sequence[float], average: float, visits: int) -> float:
    """When a window is next free after `visits` visits of `average` seconds each went, one by
    one, to the window free first (windows free at `free`).

    Window i is free at t_i, t_i + a, t_i + 2a, …; handing out the visits one by one takes
    these times in order, so the answer is the (visits + 1)-th smallest of them all. The times
    below a line drawn a little under where the answer must lie are counted at once, and only
    the few above it handed out one by one: the cost grows with the windows, not with the line
    (a big centre's morning line is hundreds long; one by one, issuing cost more as it grew).
    """
    if average <= 0 or visits == 0:
        return min(free)
    windows = len(free)
    # Every window's times below `line` number at most rounds + 1 (at most `visits` in all);
    # the two rounds' margin absorbs rounding when counting them.
    rounds = visits // windows - 2
    taken = [0] * windows
    if rounds > 0:
        line = min(free) + rounds * average
        taken = [_times_below(t, average, line) for t in free]
        if sum(taken) > visits:  # cannot happen in exact arithmetic; hand out one by one
            taken = [0] * windows
    heap = [(t + n * average, i) for i, (t, n) in enumerate(zip(free, taken, strict=True))]
    heapq.heapify(heap)
    for _ in range(visits - sum(taken)):
        i = heap[0][1]
        taken[i] += 1
        # Each time as t + n·a, never by adding a to the last: the same float for the same
        # time however it was reached, so one more ahead never gives an earlier time.
        heapq.heapreplace(heap, (free[i] + taken[i] * average, i))
    return heap[0][0]


def _times_below(start: float, average: float, line: float) -> int:
    """How many of start, start + average, start + 2·average, … are below `line`."""
    if start >= line:
        return 0
    n = math.ceil((line - start) / average)
    while n > 0 and start + (n - 1) * average >= line:
        n -= 1
    while start + n * average < line:
        n += 1
    return n


def estimate_minutes(inputs: EstimateInputs) -> int:
    """The estimate shown and printed: `estimate_seconds` in whole minutes (nearest)."""
    return max(0, round(estimate_seconds(inputs) / 60.0))
