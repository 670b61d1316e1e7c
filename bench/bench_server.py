"""Queue server benchmarks: ticket issuing under concurrency, and call fan-out to event streams.

Run by hand (not in the test suite; this machine is shared and noisy):

    .venv/bin/python bench/bench_server.py                 # SQLite
    .venv/bin/python bench/bench_server.py --postgres      # a throwaway PostgreSQL too

Starts a real server process (one uvicorn worker) on a fresh database with the sample centre.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile
from tests.helpers.app import make_centre
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import CLERK_PASSWORD, ServerProcess


async def issue_load(url: str, key: str, clients: int, total: int) -> dict[str, float]:
    latencies: list[float] = []
    remaining = total

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            r = await client.post("/api/v1/tickets", json={"service_id": 1 + remaining % 10})
            latencies.append(time.perf_counter() - started)
            if r.status_code != 201:
                raise RuntimeError(r.text)

    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=30
    ) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))  # warm-up
        remaining = total
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return {
        "tickets_per_second": total / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def paced_load(
    url: str, key: str, clients: int, rate: float, seconds: float
) -> dict[str, float]:
    """Open loop: `clients` kiosks together offer `rate` tickets/s, each waiting for its answer.

    Latency counts from when a request was due, not when it went out, so a slow answer that
    delays the next request is not hidden (no coordinated omission).
    """
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

    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=httpx.Limits(max_connections=clients), timeout=30
    ) as client:
        for service in range(1, 11):  # warm-up: connections open, statements cached
            await client.post("/api/v1/tickets", json={"service_id": service})
        start = time.perf_counter() + 0.1
        await asyncio.gather(
            *(worker(client, i * interval / clients, start) for i in range(clients))
        )
        elapsed = time.perf_counter() - start
    return {
        "tickets_per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def fan_out(url: str, key: str, listeners: int, calls: int) -> dict[str, float]:
    """`listeners` event-stream clients; a clerk calls `calls` times; time until each one sees it."""
    delays: list[float] = []
    sent: dict[str, float] = {}
    ready = asyncio.Event()
    connected = 0

    async def listen(client: httpx.AsyncClient) -> None:
        nonlocal connected
        async with client.stream("GET", "/api/v1/events") as r:
            connected += 1
            if connected == listeners:
                ready.set()
            seen = 0
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    if event["type"] == "ticket_called":
                        delays.append(time.perf_counter() - sent[event["data"]["number"]])
                        seen += 1
                        if seen == calls:
                            return

    kiosk = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        base_url=url, timeout=60, limits=httpx.Limits(max_connections=listeners + 10)
    ) as client:
        numbers = []
        for _ in range(calls):
            r = await client.post("/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
            numbers.append(r.json()["number"])
        token = (
            await client.post(
                "/api/v1/auth/login", json={"username": "clerk1", "password": CLERK_PASSWORD}
            )
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        await client.post("/api/v1/counters/1/open", headers=auth)
        tasks = [asyncio.create_task(listen(client)) for _ in range(listeners)]
        await asyncio.wait_for(ready.wait(), 60)
        await asyncio.sleep(1.0)
        for number in numbers:
            sent[number] = time.perf_counter()
            called = await client.post("/api/v1/counters/1/call-next", headers=auth)
            assert called.json()["number"] == number
            await client.post(f"/api/v1/tickets/{called.json()['id']}/finish", headers=auth)
            await asyncio.sleep(0.1)
        await asyncio.wait_for(asyncio.gather(*tasks), 120)
    return {
        "p50_ms": percentile(delays, 0.5) * 1000,
        "p99_ms": percentile(delays, 0.99) * 1000,
        "deliveries": len(delays),
    }


def quiet_collector() -> None:
    """Keep this process's own garbage collection out of the figures.

    The clients share the machine with the server. Run after the issue load, with the heap it
    left behind, the fan-out p99 was 86 ms against 18 ms when run alone; collecting and freezing
    that heap first gave 18–29 ms again.
    """
    gc.collect()
    gc.freeze()


def run(database_urls: tuple[str, str, str], label: str, args: argparse.Namespace) -> None:
    """Each measurement on a fresh database of its own."""
    with tempfile.TemporaryDirectory() as tmp:
        centre = make_centre(database_urls[0])
        with ServerProcess(database_urls[0], log=Path(tmp) / "server.log") as server:
            quiet_collector()
            issue = asyncio.run(
                issue_load(server.url, centre.kiosk_key, args.clients, args.tickets)
            )
        centre = make_centre(database_urls[1])
        with ServerProcess(database_urls[1], log=Path(tmp) / "server.log") as server:
            quiet_collector()
            fan = asyncio.run(fan_out(server.url, centre.kiosk_key, args.listeners, args.calls))
        centre = make_centre(database_urls[2])
        with ServerProcess(database_urls[2], log=Path(tmp) / "server.log") as server:
            quiet_collector()
            paced = asyncio.run(
                paced_load(server.url, centre.kiosk_key, args.clients, args.rate, args.seconds)
            )
    print(
        f"| {label} | {issue['tickets_per_second']:.0f} | {issue['p50_ms']:.1f} | {issue['p99_ms']:.1f} "
        f"| {paced['tickets_per_second']:.0f} | {paced['p50_ms']:.1f} | {paced['p99_ms']:.1f} "
        f"| {fan['p50_ms']:.1f} | {fan['p99_ms']:.1f} | {fan['deliveries']:.0f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--listeners", type=int, default=100)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--rate", type=float, default=300.0, help="offered tickets/s, paced run")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the paced run")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"issue: {args.clients} clients × {args.tickets} tickets as fast as answered, then "
        f"{args.rate:.0f}/s offered for {args.seconds:.0f} s; "
        f"fan-out: {args.listeners} streams × {args.calls} calls"
    )
    print(
        "| database | tickets/s | issue p50 ms | issue p99 ms "
        "| paced tickets/s | paced p50 ms | paced p99 ms "
        "| call→stream p50 ms | call→stream p99 ms | deliveries |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        issue_db, fan_db, paced_db = (Path(tmp) / name for name in ("i.db", "f.db", "p.db"))
        sqlite = (f"sqlite:///{issue_db}", f"sqlite:///{fan_db}", f"sqlite:///{paced_db}")
        run(sqlite, "SQLite (WAL, synchronous=FULL)", args)
    if args.postgres:
        cluster = ThrowawayPostgres().start()
        try:
            urls = (
                cluster.create_database(f"i_{uuid.uuid4().hex[:8]}"),
                cluster.create_database(f"f_{uuid.uuid4().hex[:8]}"),
                cluster.create_database(f"p_{uuid.uuid4().hex[:8]}"),
            )
            run(urls, "PostgreSQL 15 (throwaway cluster, fsync=off)", args)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
