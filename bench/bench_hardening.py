"""Hardening benchmarks, each against a baseline measured in the same run (report ratios):

1. What Idempotency-Key costs issuing: 10 kiosks issue tickets as fast as answered, without
   keys and with a fresh key per ticket, in rounds on one server (same database, same
   warm-up) ordered A B B A A B B A …, so drift on a shared machine hits both alike and the
   waiting line (which grows by a round's tickets each round, and people ahead are counted
   in it) is as long on average for both. Throughput, latency and the server's CPU time per
   ticket.
2. Issue latency under a wrong-login flood: kiosks offer a steady rate (open loop, latency
   from when each request was due); quiet and with 20 clients guessing passwords (in a
   process of their own), in alternating phases (quiet, flood, quiet, flood …), each side's
   latencies pooled.

    .venv/bin/python bench/bench_hardening.py              # SQLite
    .venv/bin/python bench/bench_hardening.py --postgres   # and a throwaway PostgreSQL
    .venv/bin/python bench/bench_hardening.py --no-sqlite  # only PostgreSQL
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile, server_cpu_seconds
from cherha.server.auth import Passwords
from tests.helpers.app import make_centre
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ServerProcess


async def closed_loop(url: str, key: str, clients: int, total: int, keyed: bool) -> list[float]:
    latencies: list[float] = []
    remaining = total

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            headers = {"Idempotency-Key": uuid.uuid4().hex} if keyed else {}
            started = time.perf_counter()
            r = await client.post(
                "/api/v1/tickets", json={"service_id": 1 + remaining % 10}, headers=headers
            )
            latencies.append(time.perf_counter() - started)
            if r.status_code != 201:
                raise RuntimeError(r.text)

    async with httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {key}"},
        limits=httpx.Limits(max_connections=clients),
        timeout=30,
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.append(-elapsed)  # the round's length rides along, taken out by the caller
    return latencies


def keyed_round(n: int) -> bool:
    """Round n's side in the order A B B A A B B A …: over every two pairs of rounds both
    sides have the same mean position, so a drift that grows with time (the waiting line)
    weighs on both alike."""
    return n % 4 in (1, 2)


async def idempotency_cost(
    url: str, key: str, pid: int, clients: int, per_round: int, pairs: int
) -> None:
    await closed_loop(url, key, clients, per_round, keyed=False)  # warm-up
    await closed_loop(url, key, clients, per_round, keyed=True)
    results: dict[bool, list[float]] = {False: [], True: []}
    seconds: dict[bool, float] = {False: 0.0, True: 0.0}
    cpu: dict[bool, float] = {False: 0.0, True: 0.0}
    for n in range(pairs * 2):
        keyed = keyed_round(n)
        cpu_before = server_cpu_seconds(pid)
        lat = await closed_loop(url, key, clients, per_round, keyed)
        cpu[keyed] += server_cpu_seconds(pid) - cpu_before
        seconds[keyed] += -lat.pop()
        results[keyed].extend(lat)
    for keyed in (False, True):
        lat = results[keyed]
        rate = len(lat) / seconds[keyed]
        print(
            f"  {'with key   ' if keyed else 'without key'}: {rate:6.0f} tickets/s  "
            f"p50 {percentile(lat, 0.5) * 1000:6.1f} ms  p99 {percentile(lat, 0.99) * 1000:6.1f} ms"
            f"  server CPU {cpu[keyed] / len(lat) * 1000:.2f} ms/ticket"
        )
    plain, keyed_ = results[False], results[True]
    print(
        f"  ratio with/without: throughput {seconds[False] / seconds[True]:.3f}, "
        f"p50 {percentile(keyed_, 0.5) / percentile(plain, 0.5):.3f}, "
        f"p99 {percentile(keyed_, 0.99) / percentile(plain, 0.99):.3f}, "
        f"CPU per ticket {cpu[True] / len(keyed_) / (cpu[False] / len(plain)):.3f}"
    )


async def paced(url: str, key: str, clients: int, rate: float, seconds: float) -> list[float]:
    latencies: list[float] = []
    interval = clients / rate
    count = int(rate * seconds / clients)

    async def worker(client: httpx.AsyncClient, offset: float, start: float) -> None:
        for n in range(count):
            due = start + offset + n * interval
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            r = await client.post("/api/v1/tickets", json={"service_id": 1 + n % 10})
            latencies.append(time.perf_counter() - due)
            if r.status_code != 201:
                raise RuntimeError(r.text)

    async with httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {key}"},
        limits=httpx.Limits(max_connections=clients),
        timeout=30,
    ) as client:
        start = time.perf_counter() + 0.1
        await asyncio.gather(
            *(worker(client, i * interval / clients, start) for i in range(clients))
        )
    return latencies


async def flood(url: str, clients: int, stop: asyncio.Event, counts: dict[int, int]) -> None:
    async def guesser(client: httpx.AsyncClient, n: int) -> None:
        while not stop.is_set():
            r = await client.post(
                "/api/v1/auth/login",
                json={"username": f"clerk{n % 3 + 1}", "password": f"guess-{n}-{time.time()}"},
            )
            counts[r.status_code] = counts.get(r.status_code, 0) + 1

    async with httpx.AsyncClient(
        base_url=url, limits=httpx.Limits(max_connections=clients), timeout=60
    ) as client:
        await asyncio.gather(*(guesser(client, n) for n in range(clients)))


def flood_process(url: str, clients: int, stop: Any, results: Any) -> None:
    """The guessers in a process of their own: in the kiosks' process their answers shared one
    event loop with the kiosks, which then sent their requests up to a second late."""

    async def until_stopped() -> dict[int, int]:
        counts: dict[int, int] = {}
        stopping = asyncio.Event()
        guessing = asyncio.create_task(flood(url, clients, stopping, counts))
        while not stop.is_set():
            await asyncio.sleep(0.05)
        stopping.set()
        await guessing
        return counts

    results.put(asyncio.run(until_stopped()))


async def flood_effect(url: str, key: str, args: argparse.Namespace) -> None:
    await paced(url, key, 5, args.rate, 2)  # warm-up
    quiet: list[float] = []
    loud: list[float] = []
    counts: dict[int, int] = {}
    for _ in range(args.flood_rounds):
        quiet += await paced(url, key, 5, args.rate, args.seconds)
        spawn = multiprocessing.get_context("spawn")
        stop, results = spawn.Event(), spawn.Queue()
        guessers = spawn.Process(target=flood_process, args=(url, args.flooders, stop, results))
        guessers.start()
        await asyncio.sleep(2.0)  # the new process's start-up, then a second of guessing
        loud += await paced(url, key, 5, args.rate, args.seconds)
        stop.set()
        for status, count in (await asyncio.to_thread(results.get)).items():
            counts[status] = counts.get(status, 0) + count
        guessers.join()
    q99, l99 = percentile(quiet, 0.99) * 1000, percentile(loud, 0.99) * 1000
    print(
        f"  quiet: p50 {percentile(quiet, 0.5) * 1000:.1f} ms  p99 {q99:.1f} ms; "
        f"{args.flooders} clients guessing passwords: p50 {percentile(loud, 0.5) * 1000:.1f} ms  "
        f"p99 {l99:.1f} ms; p99 +{l99 - q99:.1f} ms (ratio {l99 / q99:.2f}); "
        f"login answers {dict(sorted(counts.items()))}"
    )


def run(url: str, label: str, args: argparse.Namespace) -> None:
    print(f"{label}:")
    with tempfile.TemporaryDirectory() as tmp:
        # Production's argon2 for the clerks the guessers try: the test helpers' default
        # hasher is the cheapest, and a guess against it costs microseconds, not ~0.2 s of a core.
        passwords = Passwords()
        centre = make_centre(url, passwords=passwords)
        parameters = passwords.parameters
        print(
            f" clerks' passwords: argon2 m={parameters.memory_cost} KiB, "
            f"t={parameters.time_cost}, p={parameters.parallelism}"
        )
        with ServerProcess(url, log=Path(tmp) / "server.log") as server:
            gc.collect()
            gc.freeze()
            print(f" idempotency ({args.clients} kiosks, {args.pairs}×2 rounds of {args.tickets}):")
            asyncio.run(
                idempotency_cost(
                    server.url,
                    centre.kiosk_key,
                    server.pid,
                    args.clients,
                    args.tickets,
                    args.pairs,
                )
            )
            print(
                f" login flood (5 kiosks offering {args.rate:.0f} tickets/s, "
                f"{args.flood_rounds} × {args.seconds:.0f} s quiet and as long flooded):"
            )
            asyncio.run(flood_effect(server.url, centre.kiosk_key, args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--tickets", type=int, default=500, help="tickets per round")
    parser.add_argument(
        "--pairs", type=int, default=4, help="pairs of rounds (even: A B B A A B B A)"
    )
    parser.add_argument("--flood-rounds", type=int, default=2, help="quiet/flooded phases")
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--flooders", type=int, default=20)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    args = parser.parse_args()
    if args.pairs % 2:
        parser.error("--pairs must be even (the rounds go A B B A A B B A …)")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'h.db'}", "SQLite (WAL, synchronous=FULL)", args)
    if args.postgres or args.no_sqlite:
        cluster = ThrowawayPostgres().start()
        try:
            run(cluster.create_database(f"h_{uuid.uuid4().hex[:8]}"), "PostgreSQL", args)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
