"""Issuing beside the reports' fold: kiosks offer a steady rate of tickets (open loop, latency
from when each request was due) to a server that folds the new events into the reports'
tables every `--refresh` seconds, against the same server with the fold off (the floor), and,
with `--compare-src`, against another tree's code (the same run's baseline). Rounds alternate
the modes, each on a fresh database, so drift on a shared machine hits all alike.

    .venv/bin/python bench/bench_fold_beside.py                      # PostgreSQL
    .venv/bin/python bench/bench_fold_beside.py --sqlite
    git archive <commit> src | tar -x -C /tmp/base
    .venv/bin/python bench/bench_fold_beside.py --compare-src /tmp/base/src
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_hardening import paced
from bench.common import percentile
from tests.helpers.app import make_centre
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ServerProcess


@contextmanager
def databases(sqlite: bool) -> Iterator[Iterator[str]]:
    """Fresh database URLs, one per round and mode."""
    with tempfile.TemporaryDirectory() as tmp:
        if sqlite:
            yield (f"sqlite:///{tmp}/fold-{n}.db" for n in range(10**6))
            return
        cluster = ThrowawayPostgres().start()
        try:
            yield (cluster.create_database(f"f_{uuid.uuid4().hex[:8]}") for _ in range(10**6))
        finally:
            cluster.stop()


def one_run(url: str, refresh: float, src: str | None, args: argparse.Namespace) -> list[float]:
    centre = make_centre(url)
    env = {"CHERHA_REPORT_REFRESH_SECONDS": str(refresh)}
    if src is not None:
        env["PYTHONPATH"] = src
    with (
        tempfile.TemporaryDirectory() as tmp,
        ServerProcess(url, log=Path(tmp) / "server.log", extra_env=env) as server,
    ):
        return asyncio.run(paced(server.url, centre.kiosk_key, 5, args.rate, args.seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--rate", type=float, default=40.0, help="tickets a second offered")
    parser.add_argument("--seconds", type=float, default=95.0, help="each run's length")
    parser.add_argument("--refresh", type=float, default=30.0, help="the fold's interval")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--compare-src", metavar="DIR", help="the baseline's src/")
    args = parser.parse_args()
    modes: dict[str, tuple[float, str | None]] = {
        "fold": (args.refresh, None),  # None: the tree under test (the environment's path)
        "no fold": (0.0, None),
    }
    if args.compare_src:
        modes["fold, base"] = (args.refresh, str(Path(args.compare_src).resolve()))
    print(
        f"{'SQLite' if args.sqlite else 'PostgreSQL'}: {args.rate:g} tickets/s from 5 kiosks "
        f"for {args.seconds:g} s per run, the fold every {args.refresh:g} s"
    )
    pooled: dict[str, list[float]] = {mode: [] for mode in modes}
    with databases(args.sqlite) as urls:
        for round_ in range(args.rounds):
            order = list(modes) if round_ % 2 == 0 else list(reversed(modes))
            for mode in order:
                latencies = one_run(next(urls), *modes[mode], args)
                pooled[mode] += latencies
                print(f"  round {round_ + 1} {mode:>10}: {summary(latencies)}", flush=True)
    print("pooled:")
    floor = percentile(pooled["no fold"], 0.99)
    for mode, latencies in pooled.items():
        ratio = percentile(latencies, 0.99) / floor
        print(f"  {mode:>10}: {summary(latencies)}; p99 {ratio:.2f}× the floor's")


def summary(latencies: list[float]) -> str:
    def ms(share: float) -> str:
        return f"{percentile(latencies, share) * 1000:.1f}"

    slow = sum(latency > 0.25 for latency in latencies)
    return (
        f"p50 {ms(0.5)} ms  p99 {ms(0.99)} ms  p99.9 {ms(0.999)} ms  "
        f"max {max(latencies) * 1000:.0f} ms  over 250 ms: {slow} of {len(latencies)}"
    )


if __name__ == "__main__":
    main()
