"""Twenty visitors race for the last place of a slot on a real server: exactly one wins."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from cherha.server.store.db import Database
from cherha.server.store.models import Booking
from tests.api.test_bookings import booking_centre
from tests.helpers.app import make_centre
from tests.helpers.server import ServerProcess

# A hall hammering its server: one such test at a time (xdist group), see tests/README.md.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("whole_machine")]

KYIV = ZoneInfo("Europe/Kyiv")
RACERS = 20


def test_twenty_visitors_race_for_a_one_place_slot(database_url: str, tmp_path: Path) -> None:
    # One window, 15-minute slots, 15 minutes per visitor: every slot holds exactly one.
    make_centre(database_url, spec=booking_centre(windows=1, average=15))
    tomorrow = datetime.now(KYIV).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(10, 0), tzinfo=KYIV)
    # The public write limit is per address and every racer comes from 127.0.0.1.
    env = {"CHERHA_BOOKING_WRITES_PER_HOUR": "0"}
    with ServerProcess(database_url, extra_env=env, log=tmp_path / "server.log") as server:
        slots = httpx.get(
            f"{server.url}/api/v1/services/1/slots",
            params={"date": tomorrow.isoformat()},
            timeout=10,
        ).json()
        slot = next(s for s in slots if datetime.fromisoformat(s["start"]) == start)
        assert (slot["capacity"], slot["free"]) == (1, 1)

        barrier = threading.Barrier(RACERS, timeout=60)
        results: list[tuple[int, dict[str, Any]]] = []
        lock = threading.Lock()

        def race(i: int) -> None:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                barrier.wait()
                r = http.post(
                    "/api/v1/bookings",
                    json={
                        "service_id": 1,
                        "start": start.isoformat(),
                        "name": f"Відвідувач {i}",
                        "phone": f"067 000 00 {i:02d}",
                    },
                )
                with lock:
                    results.append((r.status_code, r.json()))

        threads = [threading.Thread(target=race, args=(i,)) for i in range(RACERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)

        after = httpx.get(
            f"{server.url}/api/v1/services/1/slots",
            params={"date": tomorrow.isoformat()},
            timeout=10,
        ).json()

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (RACERS - 1), results
    winner = next(body for status, body in results if status == 201)
    assert winner["start"] == start.isoformat()
    for status, body in results:
        if status == 409:
            assert body["error"] == "slot_full"
            assert body["message"]
            assert body["message_en"]
            assert body["next_free"][0] == (start + timedelta(minutes=15)).isoformat()
            assert len(body["next_free"]) == 5
    assert next(s for s in after if s["start"] == start.isoformat())["free"] == 0

    db = Database(database_url)
    try:
        with db.read() as session:
            taken = session.query(Booking).filter(Booking.slot_start == start.astimezone(UTC)).all()
        assert len(taken) == 1
        assert taken[0].code == winner["code"].replace("-", "")
    finally:
        db.dispose()
