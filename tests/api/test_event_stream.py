"""The event stream over real HTTP: resume from Last-Event-ID, keep-alives, disconnects noticed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.app import Centre, ThreadedServer, live_server

pytestmark = pytest.mark.slow


@pytest.fixture
def served(sqlite_url: str) -> Iterator[tuple[ThreadedServer, Centre]]:
    with live_server(sqlite_url, sse_keepalive_seconds=0.3) as running:
        yield running


def read_events(lines: Iterator[str], count: int) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for line in lines:
        if line.startswith("data: "):
            events.append(json.loads(line[6:]))
            if len(events) == count:
                break
    return events


def issue(server: ThreadedServer, centre: Centre) -> None:
    r = httpx.post(
        f"{server.url}/api/v1/tickets",
        json={"service_id": 1},
        headers={"Authorization": f"Bearer {centre.kiosk_key}"},
    )
    assert r.status_code == 201


def test_resume_from_last_event_id_misses_nothing(served: tuple[ThreadedServer, Centre]) -> None:
    server, centre = served
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", f"{server.url}/api/v1/events") as r:
            assert r.headers["content-type"].startswith("text/event-stream")
            issue(server, centre)
            (first,) = read_events(r.iter_lines(), 1)
        assert first["type"] == "ticket_issued"
        for _ in range(3):  # made while nobody listened
            issue(server, centre)
        headers = {"Last-Event-ID": str(first["id"])}
        with client.stream("GET", f"{server.url}/api/v1/events", headers=headers) as r:
            missed = read_events(r.iter_lines(), 3)
    assert [e["data"]["number"] for e in missed] == ["А002", "А003", "А004"]  # type: ignore[index]
    ids = [int(str(e["id"])) for e in missed]
    assert ids == sorted(ids)
    assert ids[0] > int(str(first["id"]))


def test_keep_alives_flow_and_disconnected_clients_are_dropped(
    served: tuple[ThreadedServer, Centre],
) -> None:
    server, _centre = served

    def clients() -> float:
        for line in httpx.get(f"{server.url}/metrics").text.splitlines():
            if line.startswith("cherha_event_stream_clients "):
                return float(line.split()[1])
        raise AssertionError("gauge missing")

    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", f"{server.url}/api/v1/events") as r,
    ):
        lines = r.iter_lines()
        assert any(line == ": keep-alive" for _, line in zip(range(20), lines, strict=False))
        assert clients() == 1
    deadline = time.monotonic() + 10
    while clients() != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert clients() == 0


def test_display_key_required_where_the_centre_wants_it(sqlite_url: str) -> None:
    with live_server(sqlite_url, require_display_key=True) as (server, centre):
        r = httpx.get(f"{server.url}/api/v1/board")
        assert r.status_code == 401
        assert (
            httpx.get(f"{server.url}/api/v1/board", params={"key": centre.display_key}).status_code
            == 200
        )
        with httpx.stream("GET", f"{server.url}/api/v1/events", params={"key": "wrong"}) as wrong:
            assert wrong.status_code == 401
