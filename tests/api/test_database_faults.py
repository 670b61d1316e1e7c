"""The database busy or gone: 503 with a message, nothing half-done, recovery by itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.helpers.app import FakeClock, api_for, live_server
from tests.helpers.postgres import ThrowawayPostgres

pytestmark = pytest.mark.slow


def test_sqlite_busy_is_503_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    with api_for(f"sqlite:///{path}", FakeClock(), db_timeout_seconds=0.3) as api:
        before = api.client.get("/api/v1/board").json()["last_event_id"]
        blocker = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holding the database
        try:
            r = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk())
            assert r.status_code == 503
            assert r.json()["error"] == "database_unavailable"
            assert "нічого не змінено" in r.json()["message"]
            assert r.headers["retry-after"] == "5"
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert api.client.get("/api/v1/board").json()["last_event_id"] == before
        assert api.issue(1)["number"] == "А001"


@pytest.mark.postgres
def test_postgres_gone_is_503_and_the_server_recovers_when_it_is_back() -> None:
    cluster = ThrowawayPostgres().start()
    try:
        url = cluster.create_database("faults")
        with live_server(url, db_timeout_seconds=2) as (server, centre):
            kiosk = {"Authorization": f"Bearer {centre.kiosk_key}"}
            assert (
                httpx.post(
                    f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk
                ).status_code
                == 201
            )
            cluster.halt()
            r = httpx.post(
                f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk, timeout=30
            )
            assert r.status_code == 503
            assert r.json()["message_en"].startswith("The database is unavailable")
            health = httpx.get(f"{server.url}/api/v1/health", timeout=30)
            assert health.status_code == 503
            cluster.restart()
            r = httpx.post(
                f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk, timeout=30
            )
            assert r.status_code == 201
            assert r.json()["number"] == "А002"
    finally:
        cluster.stop()
