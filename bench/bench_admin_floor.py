"""Benchmark: the console's live floor of a big centre — 40 windows, 500 waiting tickets.

A real server process (``cherha-server serve`` on SQLite) with the sample centre's services
and 40 windows serving all of them, 40 clerks at their windows and 500 waiting tickets. Then:

1. **render** — ``--renders`` requests of the whole floor page ``GET /admin`` and of the
   fragment the page fetches after each event ``GET /admin/floor/live``, timed to the last byte;
   baseline in the same run: the hall display's ``GET /api/v1/board`` (the board of the same
   centre).
2. **follow** — the floor open in headless Chromium (logged in); ``--calls`` calls, one every
   ``--interval`` s; for each, the time from the start of the clerk's call-next request to the
   window's new ticket number painted on the floor (MutationObserver, then the next animation
   frame). Baseline in the same run: the hall display ``/display`` open beside it, following
   the same calls.

Targets (issue 16): render < 300 ms, follow < 500 ms.
Run: ``.venv/bin/python bench/bench_admin_floor.py [--renders 30] [--calls 40]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import OBSERVE_HALL, paint_observer, percentile  # noqa: E402
from cherha.server.auth import Passwords, Role  # noqa: E402
from cherha.server.store.accounts import Accounts  # noqa: E402
from cherha.server.store.centre import load_centre  # noqa: E402
from cherha.server.store.centre_file import (  # noqa: E402
    SAMPLE_CENTRE,
    WindowSpec,
    always_open,
    read_centre_file,
)
from cherha.server.store.db import Database  # noqa: E402
from tests.helpers.server import (  # noqa: E402
    ADMIN_PASSWORD,
    ServerProcess,
    login,
    prepare_database,
)

WINDOWS = 40
CLERK_PASSWORD = "clerk-pass-1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
OBSERVE_FLOOR = paint_observer("floor", ".ticket", "ticket", subtree=True)


def describe(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms  "
        f"max {max(values):6.1f} ms  (n={len(values)})"
    )


def prepare(database_url: str) -> tuple[str, list[str]]:
    prepared = prepare_database(database_url, clerks=0)
    spec = always_open(read_centre_file(SAMPLE_CENTRE))
    codes = [s.code for s in spec.services]
    spec = spec.model_copy(
        update={"windows": [WindowSpec(number=n, services=codes) for n in range(1, WINDOWS + 1)]}
    )
    clerks = [f"clerk{n}" for n in range(1, WINDOWS + 1)]
    db = Database(database_url)
    try:
        load_centre(db, spec)
        # The cheapest argon2 parameters: forty accounts made in seconds, not minutes.
        accounts = Accounts(db, timedelta(hours=12), passwords=Passwords.cheapest())
        for name in clerks:
            accounts.add_user(name, CLERK_PASSWORD, Role.CLERK)
    finally:
        db.dispose()
    return prepared.kiosk_key, clerks


def timed_get(http: httpx.Client, path: str, count: int) -> list[float]:
    out = []
    for _ in range(count):
        started = time.perf_counter()
        r = http.get(path)
        r.raise_for_status()
        _ = r.content
        out.append((time.perf_counter() - started) * 1000)
    return out


def run(renders: int, calls: int, interval: float, tickets: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        kiosk_key, clerks = prepare(url)
        with ServerProcess(url, log=Path(tmp) / "server.log") as server:
            http = httpx.Client(base_url=server.url, timeout=30)
            kiosk = {"Authorization": f"Bearer {kiosk_key}"}
            for i in range(tickets):
                r = http.post("/api/v1/tickets", json={"service_id": 1 + i % 10}, headers=kiosk)
                assert r.status_code == 201, r.text
            tokens = {c: login(server.url, c, CLERK_PASSWORD) for c in clerks}
            for n, clerk in enumerate(clerks, start=1):
                auth = {"Authorization": f"Bearer {tokens[clerk]}"}
                assert http.post(f"/api/v1/counters/{n}/open", headers=auth).status_code == 200
            form = http.get("/admin")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token is not None
            r = http.post(
                "/admin/login",
                data={
                    "csrf_token": token.group(1),
                    "username": "admin",
                    "password": ADMIN_PASSWORD,
                },
            )
            assert r.status_code == 303, r.text[:300]
            live = http.get("/admin/floor/live")
            assert f'<dd id="t-waiting">{tickets}</dd>' in live.text, "the floor shows the waiting"

            for path in ("/admin", "/admin/floor/live", "/api/v1/board"):
                timed_get(http, path, 3)  # warm up
            page_ms = timed_get(http, "/admin", renders)
            fragment_ms = timed_get(http, "/admin/floor/live", renders)
            board_ms = timed_get(http, "/api/v1/board", renders)

            follow_ms: list[float] = []
            hall_ms: list[float] = []
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
                )
                context = browser.new_context(viewport={"width": 1600, "height": 1000})
                context.add_cookies(
                    [
                        {"name": c.name, "value": c.value or "", "url": f"{server.url}/admin"}
                        for c in http.cookies.jar
                        if c.name == "cherha_console"
                    ]
                )
                floor = context.new_page()
                floor.goto(f"{server.url}/admin")
                floor.wait_for_selector("#live-state[data-state=online]")
                floor.evaluate(OBSERVE_FLOOR)
                hall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                hall.goto(f"{server.url}/display")
                hall.wait_for_selector("body[data-connection=online]")
                hall.evaluate(OBSERVE_HALL)
                at_window: dict[int, int] = {}
                for i in range(calls):
                    n = 1 + i % WINDOWS
                    auth = {"Authorization": f"Bearer {tokens[clerks[n - 1]]}"}
                    previous = at_window.pop(n, None)
                    if previous is not None:
                        for step in ("start", "finish"):
                            http.post(f"/api/v1/tickets/{previous}/{step}", headers=auth)
                    started = time.time() * 1000
                    r = http.post(f"/api/v1/counters/{n}/call-next", headers=auth)
                    assert r.status_code == 200, r.text
                    number = r.json()["number"]
                    at_window[n] = r.json()["id"]
                    for pg, out in ((floor, follow_ms), (hall, hall_ms)):
                        pg.wait_for_function(
                            "n => (window.__seen[n] || -1) > 0", arg=number, timeout=15000
                        )
                        out.append(pg.evaluate("n => window.__seen[n]", number) - started)
                    time.sleep(interval)
                browser.close()
    return {
        "page": page_ms,
        "fragment": fragment_ms,
        "board": board_ms,
        "follow": follow_ms,
        "hall": hall_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args()
    result = run(args.renders, args.calls, args.interval, args.tickets)
    if args.json:
        print(json.dumps(result))
    print(f"# {platform.node()} {os.cpu_count()} cores, {WINDOWS} windows, {args.tickets} waiting")
    print(f"render  GET /admin            {describe(result['page'])}")  # type: ignore[arg-type]
    print(f"render  GET /admin/floor/live {describe(result['fragment'])}")  # type: ignore[arg-type]
    print(f"baseline GET /api/v1/board    {describe(result['board'])}")  # type: ignore[arg-type]
    print(f"follow  call → floor painted  {describe(result['follow'])}")  # type: ignore[arg-type]
    print(f"baseline call → hall painted  {describe(result['hall'])}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
