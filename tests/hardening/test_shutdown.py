"""SIGTERM with 200 event streams open: the server is gone in under 3 s, and a display that
reconnects to the new process misses nothing (Last-Event-ID)."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ServerProcess, prepare_database

pytestmark = pytest.mark.slow

STREAMS = 200


async def open_streams(url: str, count: int, opened: asyncio.Event, ended: list[float]) -> None:
    limits = httpx.Limits(max_connections=count + 5)
    async with httpx.AsyncClient(base_url=url, timeout=None, limits=limits) as client:
        ready = 0

        async def one() -> None:
            nonlocal ready
            try:
                async with client.stream("GET", "/api/v1/events") as r:
                    assert r.status_code == 200
                    ready += 1
                    if ready == count:
                        opened.set()
                    async for _chunk in r.aiter_raw():
                        pass
            except httpx.HTTPError:
                pass
            ended.append(time.monotonic())

        await asyncio.gather(*(one() for _ in range(count)))


def stop_with_streams(server: ServerProcess) -> tuple[float, list[float]]:
    """Open the streams, SIGTERM the server; seconds until it exited, and when streams ended."""
    ended: list[float] = []

    async def scenario() -> float:
        opened = asyncio.Event()
        streams = asyncio.create_task(open_streams(server.url, STREAMS, opened, ended))
        await asyncio.wait_for(opened.wait(), 120)
        await asyncio.sleep(0.5)
        assert server.process is not None
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        while server.process.poll() is None and time.monotonic() - started < 30:
            await asyncio.sleep(0.02)
        took = time.monotonic() - started
        await asyncio.wait_for(streams, 30)
        return took

    return asyncio.run(scenario()), ended


def run(url: str, log: Path) -> None:
    prepared = prepare_database(url)
    server = ServerProcess(url, log=log).start(120)
    try:
        kiosk = {"Authorization": f"Bearer {prepared.kiosk_key}"}
        httpx.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
        took, ended = stop_with_streams(server)
        assert server.process is not None
        # uvicorn ends by re-raising the signal it handled: a clean stop shows as -SIGTERM.
        assert server.process.returncode in (0, -signal.SIGTERM), log.read_text()
        assert took < 3.0, f"stop took {took:.2f} s"
        print(f"stopped in {took:.2f} s with {STREAMS} streams")
        assert len(ended) == STREAMS
        assert "Traceback" not in log.read_text()
    finally:
        server.stop()
    # The new process: a display resuming after the last event it saw gets what came since.
    again = ServerProcess(url, port=server.port, log=log).start(120)
    try:
        with httpx.Client(base_url=again.url, timeout=30) as client:
            board = client.get("/api/v1/board").json()
            last_seen = board["last_event_id"]
            r = client.post("/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
            assert r.status_code == 201
            with client.stream(
                "GET", "/api/v1/events", headers={"Last-Event-ID": str(last_seen)}
            ) as stream:
                for line in stream.iter_lines():
                    if line.startswith("data: "):
                        assert '"ticket_issued"' in line
                        assert r.json()["number"] in line
                        break
    finally:
        again.stop()


def test_sqlite_stops_in_under_3_s_with_200_streams(tmp_path: Path) -> None:
    run(f"sqlite:///{tmp_path / 'stop.db'}", tmp_path / "server.log")


@pytest.mark.postgres
def test_postgres_stops_in_under_3_s_with_200_streams(
    postgres_cluster: ThrowawayPostgres, tmp_path: Path
) -> None:
    run(postgres_cluster.create_database("stop_streams"), tmp_path / "server.log")
