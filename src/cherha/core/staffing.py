"""How many windows to open: Erlang C (the M/M/c queue).

Visitors arrive at random (Poisson, rate λ per hour), each takes on average `service_minutes`
(exponentially distributed), c windows serve one line first come first served. Then

    a = λ × service time                 (offered load, in erlangs)
    P(wait) = C(c, a)                    (Erlang C)
    P(wait ≤ t) = 1 − C(c, a) · e^(−(c − a) · t / service time)
    mean wait = C(c, a) · service time / (c − a)

for c > a; with c ≤ a the line grows without end. `windows_needed` is the least c for which
the share of visitors waiting at most the target reaches the wanted share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_WINDOWS = 200


def erlang_b(windows: int, load: float) -> float:
    """Erlang B (blocking) by the stable recursion B(0)=1, B(c)=a·B(c−1)/(c + a·B(c−1))."""
    if windows < 0 or load < 0:
        raise ValueError("windows and load cannot be negative")
    blocking = 1.0
    for c in range(1, windows + 1):
        blocking = load * blocking / (c + load * blocking)
    return blocking


def erlang_c(windows: int, load: float) -> float:
    """The probability that a visitor has to wait: C(c, a). 1 when c ≤ a (no steady state)."""
    if windows < 1:
        raise ValueError("at least one window")
    if load < 0:
        raise ValueError("load cannot be negative")
    if load == 0:
        return 0.0
    if windows <= load:
        return 1.0
    b = erlang_b(windows, load)
    return windows * b / (windows - load * (1.0 - b))


def share_within(windows: int, load: float, target_over_service: float) -> float:
    """P(wait ≤ t), with t given as a multiple of the mean service time."""
    if load == 0:
        return 1.0
    if windows <= load:
        return 0.0
    return 1.0 - erlang_c(windows, load) * math.exp(-(windows - load) * target_over_service)


def mean_wait(windows: int, load: float, service_minutes: float) -> float:
    """The mean wait in minutes (infinite when c ≤ a)."""
    if load == 0:
        return 0.0
    if windows <= load:
        return math.inf
    return erlang_c(windows, load) * service_minutes / (windows - load)


@dataclass(frozen=True, slots=True)
class Advice:
    arrivals_per_hour: float
    service_minutes: float
    load: float
    """Offered load in erlangs: the windows kept busy on average."""
    windows: int
    """The least windows that meet the target (0 when nobody comes)."""
    share_within: float
    """The share waiting at most the target with that many windows."""
    mean_wait_minutes: float


def windows_needed(
    arrivals_per_hour: float,
    service_minutes: float,
    target_minutes: float,
    share: float = 0.8,
) -> Advice:
    """The least windows so that `share` of visitors wait at most `target_minutes`."""
    if arrivals_per_hour < 0 or service_minutes <= 0 or target_minutes < 0:
        raise ValueError("arrivals, service time and target must be positive")
    if not 0 < share < 1:
        raise ValueError("the share must be between 0 and 1")
    load = arrivals_per_hour * service_minutes / 60.0
    if load == 0:
        return Advice(arrivals_per_hour, service_minutes, 0.0, 0, 1.0, 0.0)
    ratio = target_minutes / service_minutes
    windows = max(1, math.floor(load) + 1)
    while share_within(windows, load, ratio) < share and windows < MAX_WINDOWS:
        windows += 1
    return Advice(
        arrivals_per_hour=arrivals_per_hour,
        service_minutes=service_minutes,
        load=load,
        windows=windows,
        share_within=share_within(windows, load, ratio),
        mean_wait_minutes=mean_wait(windows, load, service_minutes),
    )
