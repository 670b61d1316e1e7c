"""The queue's hot paths in the store, without HTTP: issuing a ticket, and a clerk calling and
starting the next visitor, each as the one write transaction the server runs.

Run by hand (not in the test suite; this machine is shared and noisy):

    .venv/bin/python bench/bench_hot_paths.py                       # 1,000 and 100,000 in history
    .venv/bin/python bench/bench_hot_paths.py --history 1000 1000000

For each history size a fresh SQLite database (WAL, synchronous=FULL, the server's settings)
gets the sample centre and `history` finished tickets of earlier days, each with its events
(issued, called, started, finished), as a year of a big centre leaves them. Then, on one thread:
`--tickets` tickets issued one after another (the line grows to that length, nobody called;
`--waiting`: that many waiting already; `--group`: issued in group commits of that size, as
the write lane runs them under load),
and the 8 windows opened and `--visitors` visitors called and started round the windows
(`--keyed`: each ticket asked for with a new idempotency key, as a kiosk asks). Reports the
median and 99th percentile wall time per operation and the CPU time of the process per
operation (`time.process_time`, so waiting for the disk's fsync is not in it).

Compare versions in one run, interleaved, by pointing PYTHONPATH at another checkout's `src`:

    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_hot_paths.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile
from cherha.core.numbering import local_day
from cherha.server.auth import Principal
from cherha.server.backend import Backend
from cherha.server.store.models import Branch, Event, Service, Ticket
from tests.helpers.app import make_centre, settings_for
from tests.helpers.templates import CLERK_PASSWORD, TEST_PASSWORDS

WINDOWS = 8


def fill_history(backend: Backend, tickets: int) -> None:
    """`tickets` finished visits on the days before today, with their four events each."""
    with backend.db.write(None) as session:
        services = session.execute(select(Service.id, Service.prefix)).all()
    start = datetime.now(UTC) - timedelta(days=1 + tickets // 2000)
    chunk = 20_000
    for first in range(0, tickets, chunk):
        rows = []
        for n in range(first, min(tickets, first + chunk)):
            service_id, prefix = services[n % len(services)]
            at = start + timedelta(seconds=43.2 * n)  # 2,000 a day
            sequence = n % 2000 + 1
            rows.append(
                {
                    "branch_id": 1,
                    "service_id": service_id,
                    "lane": "ordinary",
                    "number": f"{prefix}{sequence:03d}-{n}",
                    "sequence": sequence,
                    "day": at.date(),
                    "issued_at": at,
                    "order_key": at,
                    "status": "done",
                    "counter_id": 1,
                    "recall_count": 0,
                    "called_at": at + timedelta(minutes=5),
                    "started_at": at + timedelta(minutes=6),
                    "finished_at": at + timedelta(minutes=15),
                    "public_token": f"history-{n}",
                    "source": "kiosk",
                    "estimated_wait_minutes": 5,
                }
            )
        with backend.db.write(None) as session:
            ids = session.scalars(insert(Ticket).returning(Ticket.id), rows).all()
            session.execute(
                insert(Event),
                [
                    {
                        "at": row["issued_at"],
                        "branch_id": 1,
                        "type": kind,
                        "ticket_id": ticket_id,
                        "counter_id": 1,
                        "actor": "device:kiosk",
                        "data": {"number": row["number"]},
                    }
                    for ticket_id, row in zip(ids, rows, strict=True)
                    for kind in (
                        "ticket_issued",
                        "ticket_called",
                        "ticket_started",
                        "ticket_finished",
                    )
                ],
            )


def fill_line(backend: Backend, tickets: int) -> None:
    """`tickets` waiting today, over the ten services, placed before anyone issued later (as a
    long day's line: the benchmark through HTTP leaves 6,000 waiting, a big centre's morning
    a few hundred)."""
    with backend.db.write(None) as session:
        services = session.execute(select(Service.id, Service.prefix)).all()
        timezone = session.scalars(select(Branch.timezone).where(Branch.id == 1)).one()
    today = local_day(datetime.now(UTC), timezone)  # the centre's day, not UTC's
    start = datetime.now(UTC) - timedelta(hours=2)
    rows = []
    for n in range(tickets):
        service_id, prefix = services[n % len(services)]
        at = start + timedelta(milliseconds=n)
        rows.append(
            {
                "branch_id": 1,
                "service_id": service_id,
                "lane": "ordinary",
                "number": f"W{prefix}-{n}",
                "sequence": n + 1,
                "day": today,
                "issued_at": at,
                "order_key": at,
                "status": "waiting",
                "recall_count": 0,
                "public_token": f"line-{n}",
                "source": "kiosk",
            }
        )
    if rows:
        with backend.db.write(None) as session:
            session.execute(insert(Ticket), rows)


def settle(backend: Backend) -> None:
    """Copy the filled history out of the WAL now, not in the first measured commits."""
    with backend.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def timed(operation: Callable[[], object], count: int) -> dict[str, float]:
    walls: list[float] = []
    cpu = time.process_time()
    for _ in range(count):
        started = time.perf_counter()
        operation()
        walls.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu
    return {
        "p50_ms": percentile(walls, 0.50) * 1000,
        "p99_ms": percentile(walls, 0.99) * 1000,
        "cpu_ms": cpu / count * 1000,
    }


def measure(history: int, args: argparse.Namespace) -> tuple[dict[str, float], dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/cherha.db"
        centre = make_centre(url, clerks=WINDOWS)
        backend = Backend.create(settings_for(url), passwords=TEST_PASSWORDS)
        try:
            fill_history(backend, history)
            fill_line(backend, args.waiting)
            settle(backend)
            kiosk = backend.accounts.resolve(centre.kiosk_key)
            counter = iter(range(10**9))

            def issue_one() -> None:
                n = next(counter)
                key = f"bench-tap-{n:08d}" if args.keyed else None
                backend.tickets.issue(kiosk, 1, 1 + n % 10, key=key)

            def issue() -> None:
                if args.group == 1:
                    issue_one()
                    return
                with backend.db.group():  # as the write lane runs them under load
                    for _ in range(args.group):
                        issue_one()

            issued = timed(issue, args.tickets // args.group)
            issued = {name: value / args.group for name, value in issued.items()}
            clerks: list[Principal] = []
            for window in range(1, WINDOWS + 1):
                clerk = backend.accounts.login(f"clerk{window}", CLERK_PASSWORD).principal
                backend.counters.open(clerk, window)
                clerks.append(clerk)
            turn = iter(range(10**9))

            def call_and_start() -> None:
                window = next(turn) % WINDOWS
                called = backend.tickets.call_next(clerks[window], window + 1)
                if called is None:
                    raise RuntimeError("the line ran out: raise --tickets")
                # A version before issue 19 answers with the row itself (for A/B runs).
                ticket: Any = getattr(called, "ticket", called)
                backend.tickets.act(clerks[window], ticket.id, "start")

            served = timed(call_and_start, args.visitors)
        finally:
            backend.db.dispose()
    return issued, served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--visitors", type=int, default=400)
    parser.add_argument(
        "--keyed", action="store_true", help="each ticket with a new Idempotency-Key, as a kiosk"
    )
    parser.add_argument(
        "--waiting", type=int, default=0, help="tickets waiting today before the issuing starts"
    )
    parser.add_argument(
        "--group",
        type=int,
        default=1,
        help="issue in group commits of this many (times then per ticket: the group's / size)",
    )
    args = parser.parse_args()
    print(
        "| tickets in history | issue p50 ms | p99 ms | CPU ms | call+start p50 ms | p99 ms | CPU ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for history in args.history:
        issued, served = measure(history, args)
        print(
            f"| {history:,} | {issued['p50_ms']:.2f} | {issued['p99_ms']:.2f} | {issued['cpu_ms']:.2f} "
            f"| {served['p50_ms']:.2f} | {served['p99_ms']:.2f} | {served['cpu_ms']:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
