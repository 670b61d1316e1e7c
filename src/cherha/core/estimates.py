"""Wait estimates and the average service time learned from finished tickets."""

from __future__ import annotations

import math

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
