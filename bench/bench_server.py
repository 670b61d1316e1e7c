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

from bench.common import closed_loop_figures, percentile, server_cpu_seconds, server_memory_mb
from bench.raw_http import clerk_load_raw, issue_load_raw, sequential_issue_raw
from tests.helpers.app import make_centre
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import CLERK_PASSWORD, ServerProcess

CLERKS = 8


async def sequential_issue(url: str, key: str, count: int) -> float:
    """One kiosk, one ticket after another: the median latency in ms."""
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    ) as client:
        for n in range(count + 20):
            started = time.perf_counter()
            r = await client.post("/api/v1/tickets", json={"service_id": 1 + n % 10})
            if n >= 20:  # the first ones warm up
                latencies.append(time.perf_counter() - started)
            if r.status_code != 201:
                raise RuntimeError(r.text)
    return percentile(latencies, 0.5) * 1000


async def open_desks(url: str, key: str, visitors: int) -> list[str]:
    """Fill the line (`visitors` tickets and a few more, over ten services) and let eight
    clerks log in and open windows 1–8: their tokens (not timed)."""
    kiosk = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def fill(n: int) -> None:
            for i in range(n, visitors + 40, 10):
                r = await client.post(
                    "/api/v1/tickets", json={"service_id": 1 + i % 10}, headers=kiosk
                )
                if r.status_code != 201:
                    raise RuntimeError(r.text)

        await asyncio.gather(*(fill(n) for n in range(10)))
        tokens = []
        for window in range(1, CLERKS + 1):
            r = await client.post(
                "/api/v1/auth/login",
                json={"username": f"clerk{window}", "password": CLERK_PASSWORD},
            )
            token = r.json()["token"]
            opened = await client.post(
                f"/api/v1/counters/{window}/open", headers={"Authorization": f"Bearer {token}"}
            )
            if opened.status_code != 200:
                raise RuntimeError(opened.text)
            tokens.append(token)
    return tokens


async def clerk_load(url: str, tokens: list[str], pid: int, visitors: int) -> dict[str, float]:
    """Eight clerks (`open_desks`) call and start visitors as fast as answered, through one
    httpx client: each visitor costs a clerk two requests, call-next and start. Latency is
    the pair's; CPU is the server's per visitor."""
    async with httpx.AsyncClient(
        base_url=url, timeout=30, limits=httpx.Limits(max_connections=20)
    ) as client:
        latencies: list[float] = []
        remaining = visitors

        async def clerk(window: int) -> None:
            nonlocal remaining
            auth = {"Authorization": f"Bearer {tokens[window - 1]}"}
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                called = await client.post(f"/api/v1/counters/{window}/call-next", headers=auth)
                if called.status_code == 204:
                    return  # nobody left this window serves
                if called.status_code != 200:
                    raise RuntimeError(called.text)
                ticket_id = called.json()["id"]
                begun = await client.post(f"/api/v1/tickets/{ticket_id}/start", headers=auth)
                if begun.status_code != 200:
                    raise RuntimeError(begun.text)
                latencies.append(time.perf_counter() - started)

        cpu = server_cpu_seconds(pid)
        started = time.perf_counter()
        await asyncio.gather(*(clerk(window) for window in range(1, CLERKS + 1)))
        elapsed = time.perf_counter() - started
        cpu = server_cpu_seconds(pid) - cpu
    return {
        "visitors_per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "cpu_ms": cpu / len(latencies) * 1000,
    }


async def issue_load(url: str, key: str, pid: int, clients: int, total: int) -> dict[str, float]:
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
        cpu = server_cpu_seconds(pid)
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
        cpu = server_cpu_seconds(pid) - cpu
    return closed_loop_figures(latencies, total, elapsed, cpu)


async def paced_load(
    url: str,
    key: str,
    clients: int,
    rate: float,
    seconds: float,
    samples: list[float] | None = None,
) -> dict[str, float]:
    """Open loop: `clients` kiosks together offer `rate` tickets/s, each waiting for its answer.

    Latency counts from when a request was due, not when it went out, so a slow answer that
    delays the next request is not hidden (no coordinated omission). `samples`, if given, gets
    every latency (seconds) too, to pool several runs; the figures returned are this run's alone
    (until 2026-11-29 they were of `samples`, every run so far).
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
    if samples is not None:
        samples.extend(latencies)
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


def run(database_urls: list[str], label: str, args: argparse.Namespace) -> None:
    """Each measurement on a fresh database of its own (`database_urls`: five of them)."""
    issue_db, fan_db, paced_db, clerk_db, raw_clerk_db = database_urls
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        centre = make_centre(issue_db)
        with ServerProcess(issue_db, log=log, python=args.server_python) as server:
            quiet_collector()
            started_rss, _peak = server_memory_mb(server.pid)
            one_by_one = asyncio.run(sequential_issue(server.url, centre.kiosk_key, 200))
            issue = asyncio.run(
                issue_load(server.url, centre.kiosk_key, server.pid, args.clients, args.tickets)
            )
            issue_rss, issue_peak = server_memory_mb(server.pid)
            # The raw sockets' after the httpx load, so that one's figures are as before.
            one_by_one_raw = sequential_issue_raw(server.url, centre.kiosk_key, 200)
            raw = issue_load_raw(
                server.url, centre.kiosk_key, server.pid, args.clients, args.tickets
            )
        centre = make_centre(fan_db)
        with ServerProcess(fan_db, log=log, python=args.server_python) as server:
            quiet_collector()
            fan = asyncio.run(fan_out(server.url, centre.kiosk_key, args.listeners, args.calls))
        centre = make_centre(paced_db)
        with ServerProcess(paced_db, log=log, python=args.server_python) as server:
            quiet_collector()
            paced = asyncio.run(
                paced_load(server.url, centre.kiosk_key, args.clients, args.rate, args.seconds)
            )
        centre = make_centre(clerk_db, clerks=CLERKS)
        with ServerProcess(clerk_db, log=log, python=args.server_python) as server:
            quiet_collector()
            tokens = asyncio.run(open_desks(server.url, centre.kiosk_key, args.visitors))
            clerks = asyncio.run(clerk_load(server.url, tokens, server.pid, args.visitors))
            clerk_rss, clerk_peak = server_memory_mb(server.pid)
        centre = make_centre(raw_clerk_db, clerks=CLERKS)
        with ServerProcess(raw_clerk_db, log=log, python=args.server_python) as server:
            quiet_collector()
            tokens = asyncio.run(open_desks(server.url, centre.kiosk_key, args.visitors))
            raw_clerks = clerk_load_raw(server.url, tokens, server.pid, args.visitors)
    print(
        f"| {label} | {one_by_one:.1f} | {issue['tickets_per_second']:.0f} | {issue['p50_ms']:.1f} "
        f"| {issue['p99_ms']:.1f} | {issue['cpu_ms']:.2f} "
        f"| {paced['tickets_per_second']:.0f} | {paced['p50_ms']:.1f} | {paced['p99_ms']:.1f} "
        f"| {clerks['visitors_per_second']:.0f} | {clerks['p50_ms']:.1f} | {clerks['p99_ms']:.1f} "
        f"| {clerks['cpu_ms']:.2f} "
        f"| {fan['p50_ms']:.1f} | {fan['p99_ms']:.1f} | {fan['deliveries']:.0f} |",
        flush=True,
    )
    print(
        f"{label}, the kiosks through raw sockets (`RawKiosk`: the server's part): one by one "
        f"p50 {one_by_one_raw:.1f} ms; {args.clients} kiosks × {args.tickets} tickets "
        f"{raw['tickets_per_second']:.0f}/s, p50 {raw['p50_ms']:.1f} ms, p99 "
        f"{raw['p99_ms']:.1f} ms, CPU {raw['cpu_ms']:.2f} ms/ticket",
        flush=True,
    )
    print(
        f"{label}, the clerks through raw sockets (the server's part): {CLERKS} clerks "
        f"{raw_clerks['visitors_per_second']:.0f} visitors/s, call+start p50 "
        f"{raw_clerks['p50_ms']:.1f} ms, p99 {raw_clerks['p99_ms']:.1f} ms, CPU "
        f"{raw_clerks['cpu_ms']:.2f} ms/visitor",
        flush=True,
    )
    print(
        f"{label}: server memory (RSS / peak, MB) just started: {started_rss:.0f}; "
        f"after {2 * args.tickets + 220} tickets issued: "
        f"{issue_rss:.0f} / {issue_peak:.0f}; after {args.visitors} visitors issued, called and "
        f"started: {clerk_rss:.0f} / {clerk_peak:.0f}",
        flush=True,
    )


def one_by_one(servers: int, label: str) -> None:
    """The median of 300 tickets issued one after another, three times on each fresh server."""
    for _ in range(servers):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'one.db'}"
            centre = make_centre(url)
            with ServerProcess(url, log=Path(tmp) / "server.log") as server:
                medians = [
                    asyncio.run(sequential_issue(server.url, centre.kiosk_key, 300))
                    for _ in range(3)
                ]
                raw = [sequential_issue_raw(server.url, centre.kiosk_key, 300) for _ in range(3)]
        print(
            f"SQLite{label}: issue one by one, p50 ms: "
            + ", ".join(f"{m:.1f}" for m in medians)
            + "; through a raw socket: "
            + ", ".join(f"{m:.1f}" for m in raw)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--visitors", type=int, default=2000, help="called and started")
    parser.add_argument("--listeners", type=int, default=100)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--rate", type=float, default=300.0, help="offered tickets/s, paced run")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the paced run")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--label", default="", help="added to the database's name in the table")
    parser.add_argument(
        "--server-python",
        default=sys.executable,
        help="the interpreter the server runs with, e.g. a server-only install's "
        "(`pip install 'cherha[server]'` in a venv of its own: no test or Qt libraries in memory)",
    )
    parser.add_argument(
        "--one-by-one",
        type=int,
        default=0,
        metavar="SERVERS",
        help="only issuing one ticket after another: 3 × 300 tickets on each of SERVERS servers",
    )
    args = parser.parse_args()
    if args.one_by_one:
        one_by_one(args.one_by_one, args.label)
        return
    print(
        f"issue: 200 one after another; {args.clients} clients × {args.tickets} tickets as fast "
        f"as answered; {args.rate:.0f}/s offered for {args.seconds:.0f} s. "
        f"clerks: {CLERKS} call and start {args.visitors} visitors. "
        f"fan-out: {args.listeners} streams × {args.calls} calls. CPU: the server's, per ticket "
        "or per visitor"
    )
    print(
        "| database | issue one by one p50 ms | tickets/s | issue p50 ms | issue p99 ms "
        "| CPU ms/ticket | paced tickets/s | paced p50 ms | paced p99 ms "
        "| visitors/s | call+start p50 ms | call+start p99 ms | CPU ms/visitor "
        "| call→stream p50 ms | call→stream p99 ms | deliveries |"
    )
    print("| --- |" + " ---: |" * 16)
    with tempfile.TemporaryDirectory() as tmp:
        names = ("issue", "fan", "paced", "clerks", "raw_clerks")
        run([f"sqlite:///{Path(tmp) / name}.db" for name in names], "SQLite" + args.label, args)
    if args.postgres:
        cluster = ThrowawayPostgres().start()
        try:
            urls = [cluster.create_database(f"b_{uuid.uuid4().hex[:8]}") for _ in range(5)]
            run(urls, "PostgreSQL 15 (throwaway cluster, fsync=off)" + args.label, args)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
