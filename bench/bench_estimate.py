"""What one wait estimate costs as the line grows (`cherha.core.estimates.estimate_seconds`).

Every ticket issued, every phone page and every kiosk's list of services asks for one. Run by
hand (not in the test suite); compare versions in one run by pointing PYTHONPATH at another
checkout's `src` (interleave A B A B):

    .venv/bin/python bench/bench_estimate.py
    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_estimate.py

Four open windows serving the service, three of them busy, another service's visitors ahead
too; the mean CPU time of one estimate for each length of the line ahead.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cherha.core.estimates import EstimateInputs, WindowNow, estimate_seconds

SERVICE, OTHER = 1, 2
WINDOWS = [
    WindowNow(True, frozenset({SERVICE}), None),
    WindowNow(True, frozenset({SERVICE}), 240.0),
    WindowNow(True, frozenset({SERVICE, OTHER}), 410.0),
    WindowNow(True, frozenset({SERVICE, OTHER}), 75.0),
    WindowNow(True, frozenset({OTHER}), 500.0),
]


def cost_ms(ahead: int, rounds: int) -> float:
    inputs = EstimateInputs(
        SERVICE, {SERVICE: ahead, OTHER: ahead // 2}, {SERVICE: 600.0, OTHER: 900.0}, WINDOWS
    )
    estimate_seconds(inputs)  # warm up
    started = time.process_time()
    for _ in range(rounds):
        estimate_seconds(inputs)
    return (time.process_time() - started) / rounds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--ahead", type=int, nargs="+", default=[10, 100, 1000, 10000])
    args = parser.parse_args()
    print("| people ahead | CPU ms per estimate |")
    print("| ---: | ---: |")
    for ahead in args.ahead:
        print(f"| {ahead:,} | {cost_ms(ahead, args.rounds):.4f} |", flush=True)


if __name__ == "__main__":
    main()
