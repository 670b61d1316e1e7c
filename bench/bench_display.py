"""Benchmark: from a clerk's call to the displays showing it, with 50 displays connected.

A real server process (``cherha-server serve`` on SQLite, the sample centre) gets 50 display
connections: ``--sse`` event-stream clients (httpx, asyncio, each parsing the stream as a
browser's EventSource does) and ``--browsers`` real hall pages in headless Chromium. Eight clerks
then call ``--calls`` tickets, one every ``--interval`` seconds across the windows (finishing the
previous visitor first, as at a real window). For every call: the time from the start of the
clerk's call-next request to

- each stream client receiving its ticket_called event, and
- each browser page painting the new row (MutationObserver, then the next animation frame).

Run: ``.venv/bin/python bench/bench_display.py [--calls 120] [--sse 48] [--browsers 2]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import OBSERVE_HALL, percentile  # noqa: E402
from tests.helpers.server import ServerProcess, login, prepare_database  # noqa: E402

# window → a service it serves (the sample centre), so every window always has someone waiting
WINDOW_SERVICE = {1: 1, 2: 8, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 9}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


class StreamClients:
    """N event-stream clients in one asyncio thread; received[number] = [epoch seconds, …]."""

    def __init__(self, base_url: str, count: int) -> None:
        self.base_url = base_url
        self.count = count
        self.received: dict[str, list[float]] = {}
        self.connected = 0
        self.errors = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sse-clients")
        self._stop: asyncio.Event | None = None

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 60
        while self.connected < self.count and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.connected < self.count:
            raise RuntimeError(f"only {self.connected} of {self.count} stream clients connected")

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=15)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        limits = httpx.Limits(max_connections=self.count + 5)
        async with httpx.AsyncClient(base_url=self.base_url, timeout=None, limits=limits) as http:
            tasks = [asyncio.create_task(self._client(http)) for _ in range(self.count)]
            await self._stop.wait()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _client(self, http: httpx.AsyncClient) -> None:
        board = (await http.get("/api/v1/board", params={"last": 8})).json()
        since = board["last_event_id"]
        try:
            async with http.stream("GET", "/api/v1/events", params={"since": since}) as response:
                with self._lock:
                    self.connected += 1
                event_type = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        event_type = line[7:]
                    elif line.startswith("data: ") and event_type == "ticket_called":
                        at = time.time()
                        number = json.loads(line[6:])["data"]["number"]
                        with self._lock:
                            self.received.setdefault(number, []).append(at)
                    elif not line:
                        event_type = ""
        except httpx.HTTPError:
            with self._lock:
                self.errors += 1


def run(calls: int, sse: int, browsers: int, interval: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        prepared = prepare_database(url, clerks=8)
        env = {"CHERHA_SPEECH_CACHE_DIR": str(Path(tmp) / "cache")}
        server = ServerProcess(url, extra_env=env).start()
        clients = StreamClients(server.url, sse)
        pages = []
        playwright = browser = None
        try:
            http = httpx.Client(base_url=server.url, timeout=30)
            kiosk = {"Authorization": f"Bearer {prepared.kiosk_key}"}
            per_window = calls // len(WINDOW_SERVICE) + 3
            for _ in range(per_window):
                for service in WINDOW_SERVICE.values():
                    r = http.post("/api/v1/tickets", json={"service_id": service}, headers=kiosk)
                    r.raise_for_status()
            clerks = {
                w: {"Authorization": f"Bearer {login(server.url, f'clerk{w}')}"}
                for w in WINDOW_SERVICE
            }
            for w, headers in clerks.items():
                http.post(f"/api/v1/counters/{w}/open", headers=headers).raise_for_status()

            if browsers:
                from playwright.sync_api import sync_playwright

                playwright = sync_playwright().start()
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
                )
                for _ in range(browsers):
                    page = browser.new_page(viewport={"width": 1920, "height": 1080})
                    page.goto(f"{server.url}/display")
                    page.wait_for_selector('body[data-connection="online"]', timeout=30_000)
                    page.evaluate(OBSERVE_HALL)
                    pages.append(page)
            clients.start()
            time.sleep(1.0)

            started: dict[str, float] = {}
            at_window: dict[int, int] = {}
            windows = list(WINDOW_SERVICE)
            for i in range(calls):
                w = windows[i % len(windows)]
                headers = clerks[w]
                previous = at_window.pop(w, None)
                if previous is not None:
                    http.post(f"/api/v1/tickets/{previous}/start", headers=headers)
                    http.post(f"/api/v1/tickets/{previous}/finish", headers=headers)
                t0 = time.time()
                r = http.post(f"/api/v1/counters/{w}/call-next", headers=headers)
                r.raise_for_status()
                ticket = r.json()
                started[ticket["number"]] = t0
                at_window[w] = ticket["id"]
                time.sleep(interval)
            time.sleep(3.0)

            stream_ms = [
                (at - started[number]) * 1000
                for number, times in clients.received.items()
                if number in started
                for at in times
            ]
            browser_ms: list[float] = []
            for page in pages:
                seen: dict[str, float] = page.evaluate("() => window.__seen")
                browser_ms += [seen[n] - started[n] * 1000 for n in started if seen.get(n, -1) > 0]
            expected_stream = calls * sse
            return {
                "calls": calls,
                "sse": sse,
                "browsers": browsers,
                "stream_ms": stream_ms,
                "browser_ms": browser_ms,
                "stream_missing": expected_stream - len(stream_ms),
                "browser_missing": calls * browsers - len(browser_ms),
                "errors": clients.errors,
            }
        finally:
            clients.stop()
            if browser is not None:
                browser.close()
            if playwright is not None:
                playwright.stop()
            server.stop()


def describe(name: str, values: list[float]) -> str:
    if not values:
        return f"| {name} | 0 | – | – | – | – |"
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.1f} | "
        f"{percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} | {max(values):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=120)
    parser.add_argument("--sse", type=int, default=48, help="event-stream clients")
    parser.add_argument("--browsers", type=int, default=2, help="real hall pages in Chromium")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between calls")
    args = parser.parse_args()
    result = run(args.calls, args.sse, args.browsers, args.interval)
    stream_ms: list[float] = result["stream_ms"]  # type: ignore[assignment]
    browser_ms: list[float] = result["browser_ms"]  # type: ignore[assignment]
    print(
        f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs; "
        f"{args.calls} calls, {args.sse} stream clients + {args.browsers} browser pages"
    )
    print("| from call-next start to … | samples | p50, ms | p95, ms | p99, ms | max, ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(describe("event received by a stream client", stream_ms))
    print(describe("row painted on a hall page (Chromium)", browser_ms))
    print(
        f"missing: {result['stream_missing']} stream events, {result['browser_missing']} rows; "
        f"stream errors: {result['errors']}"
    )
    p99 = percentile(stream_ms + browser_ms, 0.99) if stream_ms or browser_ms else float("inf")
    print(f"p99 over all displays: {p99:.1f} ms — {'PASS' if p99 < 200 else 'FAIL'} (< 200 ms)")


if __name__ == "__main__":
    main()
