"""What the clerk's desk costs the server: the waiting list read, and the desk's whole reread.

Run by hand (not in the test suite; this machine is shared and noisy):

    .venv/bin/python bench/bench_desk.py                   # SQLite
    .venv/bin/python bench/bench_desk.py --waiting 50 500  # other line lengths

Starts a real server process (one uvicorn worker) on a fresh SQLite database with the sample
centre, puts N visitors in the line of window 1 (a fifth priority, a few handed over), and
times, sequentially, from one client:
- GET /counters/1/waiting against GET /services (the read every reread already did), and
- the desk's reread (`cherha.clerk.desk.read_snapshot`, 9 requests) against the reread before
  this change (counters, services, branch, staff/today and the ticket at the window: 5).
Reports the median and the 95th percentile in milliseconds; compare within one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cherha.clerk.desk import read_snapshot
from cherha.client import QueueClient
from tests.helpers.app import make_centre
from tests.helpers.server import CLERK_PASSWORD, ServerProcess


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    for _ in range(5):  # warm-up
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def old_reread(client: QueueClient, ticket_id: int | None) -> None:
    client.counters()
    if ticket_id is not None:
        client.staff_ticket(ticket_id)
    client.services()
    client.branch()
    client.staff_today()


def run(waiting: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'cherha.db'}"
        centre = make_centre(url)
        with (
            ServerProcess(url) as server,
            QueueClient(server.url, centre.kiosk_key) as kiosk,
            QueueClient(server.url) as clerk,
            QueueClient(server.url) as other,
        ):
            clerk.login("clerk1", CLERK_PASSWORD)
            other.login("clerk2", CLERK_PASSWORD)
            clerk.open_counter(1)
            other.open_counter(2)
            for i in range(waiting):
                kiosk.issue_ticket((1, 9, 10)[i % 3], priority=i % 5 == 0)
            for _ in range(min(3, waiting // 10)):  # a few handed over from window 2
                visitor = other.call_next(2)
                if visitor is not None:
                    other.transfer(visitor.id, counter_id=1, note="bench")
            current = clerk.call_next(1)
            user = clerk.me()
            listed = len(clerk.waiting_list(1).tickets)
            print(f"waiting for window 1: {listed} (asked {waiting})")
            results = {
                "GET /services (baseline)": timed(clerk.services, rounds),
                "GET /counters/1/waiting": timed(lambda: clerk.waiting_list(1), rounds),
                "desk reread before (5 requests)": timed(
                    lambda: old_reread(clerk, current.id if current else None), rounds
                ),
                "desk reread now (9 requests)": timed(
                    lambda: read_snapshot(clerk, user.id, 1, with_outcomes=False), rounds
                ),
            }
            for name, (median, p95) in results.items():
                print(f"  {name:34s} median {median:7.2f} ms   p95 {p95:7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--waiting", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for waiting in args.waiting:
        run(waiting, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
