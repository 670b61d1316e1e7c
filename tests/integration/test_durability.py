"""The server killed with SIGKILL under load: every answered ticket survives, numbering goes on."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from tests.helpers.app import make_centre
from tests.helpers.server import ServerProcess

# A hall hammering its server: one such test at a time (xdist group), see tests/README.md.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("whole_machine")]


def _issue_until_stopped(
    url: str, key: str, answered: list[dict[str, object]], stop: threading.Event
) -> None:
    with httpx.Client(
        base_url=url, timeout=5, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        while not stop.is_set():
            try:
                r = client.post("/api/v1/tickets", json={"service_id": 1})
            except httpx.HTTPError:
                return  # the server is gone: whatever had no answer is not counted
            if r.status_code == 201:
                answered.append(r.json())


def test_sigkill_under_load_loses_no_answered_ticket(database_url: str, tmp_path: Path) -> None:
    centre = make_centre(database_url)
    server = ServerProcess(database_url, log=tmp_path / "server.log").start()
    answered: list[dict[str, object]] = []
    stop = threading.Event()
    workers = [
        threading.Thread(
            target=_issue_until_stopped, args=(server.url, centre.kiosk_key, answered, stop)
        )
        for _ in range(8)
    ]
    for w in workers:
        w.start()
    try:
        # Kill mid-stream once a good number of tickets were answered.
        deadline = threading.Event()
        while len(answered) < 150 and not deadline.wait(0.02):
            pass
        server.kill()
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=30)
    assert len(answered) >= 150

    restarted = ServerProcess(database_url, log=tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=restarted.url, timeout=10) as client:
            for ticket in answered:
                status = client.get(f"/api/v1/tickets/{ticket['public_token']}")
                assert status.status_code == 200, ticket["number"]
                assert status.json()["number"] == ticket["number"]
            after = client.post(
                "/api/v1/tickets",
                json={"service_id": 1},
                headers={"Authorization": f"Bearer {centre.kiosk_key}"},
            )
            assert after.status_code == 201
            numbers = {str(t["number"]) for t in answered}
            assert after.json()["number"] not in numbers
            highest = max(int(n[1:]) for n in numbers)
            assert int(after.json()["number"][1:]) > highest
    finally:
        restarted.stop()
