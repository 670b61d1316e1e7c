"""Two server processes on one PostgreSQL behave as one."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.app import make_centre
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import CLERK_PASSWORD, ServerProcess

from .hall import calls_in_commit_order, run_hall, wide_centre

# A hall hammering its servers: one such test at a time (xdist group), see tests/README.md.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("whole_machine")]


@pytest.fixture
def pg_url(postgres_cluster: ThrowawayPostgres) -> str:
    import uuid

    return postgres_cluster.create_database(f"m_{uuid.uuid4().hex[:12]}")


def test_two_instances_never_call_a_ticket_twice(pg_url: str, tmp_path: Path) -> None:
    centre = make_centre(pg_url, clerks=10, spec=wide_centre(10))
    with (
        ServerProcess(pg_url, log=tmp_path / "a.log") as a,
        ServerProcess(pg_url, log=tmp_path / "b.log") as b,
    ):
        outcome = run_hall(
            [a.url, b.url], centre.kiosk_key, centre.clerks, tickets_per_kiosk=10, kiosks=10
        )
    assert outcome.errors == []
    called = [c["id"] for c in outcome.calls]
    assert len(called) == len(set(called)) == len(outcome.issued) == 100
    in_call_order, first_come = calls_in_commit_order(pg_url)
    assert in_call_order == first_come


def test_a_call_on_one_instance_reaches_the_stream_of_the_other(
    pg_url: str, tmp_path: Path
) -> None:
    centre = make_centre(pg_url)
    # A long poll interval: the event can only arrive in time through LISTEN/NOTIFY.
    slow_poll = {"CHERHA_SSE_POLL_SECONDS": "60"}
    with (
        ServerProcess(pg_url, log=tmp_path / "a.log", extra_env=slow_poll) as a,
        ServerProcess(pg_url, log=tmp_path / "b.log", extra_env=slow_poll) as b,
    ):
        received: list[dict[str, object]] = []
        connected = threading.Event()

        def listen() -> None:
            with (
                httpx.Client(timeout=httpx.Timeout(30, read=30)) as client,
                client.stream("GET", f"{b.url}/api/v1/events") as r,
            ):
                connected.set()
                for line in r.iter_lines():
                    if line.startswith("data: "):
                        event = json.loads(line[6:])
                        received.append({**event, "received": time.monotonic()})
                        if event["type"] == "ticket_called":
                            return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        assert connected.wait(10)
        time.sleep(0.5)  # let the subscription settle before the call
        with httpx.Client(base_url=a.url, timeout=10) as client:
            client.post(
                "/api/v1/tickets",
                json={"service_id": 1},
                headers={"Authorization": f"Bearer {centre.kiosk_key}"},
            )
            token = client.post(
                "/api/v1/auth/login", json={"username": "clerk1", "password": CLERK_PASSWORD}
            ).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            client.post("/api/v1/counters/1/open", headers=auth)
            called_at = time.monotonic()
            assert client.post("/api/v1/counters/1/call-next", headers=auth).status_code == 200
        listener.join(timeout=20)
        calls = [e for e in received if e["type"] == "ticket_called"]
        assert calls, f"the call never reached instance B: {received}"
        latency = float(str(calls[0]["received"])) - called_at
        print(f"cross-instance call latency: {latency * 1000:.0f} ms")
        assert latency < 60, (
            "arrived by polling, not by NOTIFY"
        )  # the poll interval, not a speed target
