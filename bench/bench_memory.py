"""A server's resident memory under a day's kind of load: kiosks issuing tickets while the
hall's boards are read, as `cherha-server serve` runs it (a real process, SQLite).

Run by hand (not in the test suite); compare versions in one run by pointing PYTHONPATH at
another checkout's `src` (the server process inherits it):

    .venv/bin/python bench/bench_memory.py
    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_memory.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import server_memory_mb
from tests.helpers.app import make_centre
from tests.helpers.server import ServerProcess


async def issue_and_read(url: str, key: str, clients: int, tickets: int) -> None:
    """`clients` kiosks each issuing a ticket and reading the board, until `tickets`."""
    left = tickets
    async with httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {key}"},
        limits=httpx.Limits(max_connections=clients),
        timeout=60,
    ) as client:

        async def kiosk() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                r = await client.post("/api/v1/tickets", json={"service_id": 1 + left % 10})
                if r.status_code != 201:
                    raise RuntimeError(r.text)
                (await client.get("/api/v1/board")).raise_for_status()

        await asyncio.gather(*(kiosk() for _ in range(clients)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--tickets", type=int, default=1000, help="per step")
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'memory.db'}"
        centre = make_centre(url)
        with ServerProcess(url, log=Path(tmp) / "server.log") as server:
            time.sleep(1)
            print(f"just started: RSS {server_memory_mb(server.pid)[0]:.0f} MB")
            for step in range(1, args.steps + 1):
                asyncio.run(
                    issue_and_read(server.url, centre.kiosk_key, args.clients, args.tickets)
                )
                rss, peak = server_memory_mb(server.pid)
                connections = sum(
                    os.readlink(f"/proc/{server.pid}/fd/{fd}").endswith("memory.db")
                    for fd in os.listdir(f"/proc/{server.pid}/fd")
                )
                print(
                    f"after {step * args.tickets} tickets and as many board reads: RSS {rss:.0f} MB "
                    f"(peak {peak:.0f}), {connections} database connections open"
                )


if __name__ == "__main__":
    main()
