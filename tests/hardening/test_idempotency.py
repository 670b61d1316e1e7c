"""A tap sent twice is one ticket: Idempotency-Key on issuing, booking and check-in, and the
outcome of a key for a kiosk that gave up waiting (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from cherha.server.store.db import Database
from cherha.server.store.models import Booking, Ticket
from tests.api.test_bookings import TOMORROW_10, book, booking_centre
from tests.helpers.app import Api, FakeClock, api_for, live_server, make_centre

KEY = "tap-0001-aaaa"


def issue(api: Api, key: str | None, service_id: int = 1, **headers: str) -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return api.client.post(
        "/api/v1/tickets",
        json={"service_id": service_id},
        headers={**api.kiosk(), **extra, **headers},
    )


def count(database_url: str, model: type[Ticket] | type[Booking]) -> int:
    db = Database(database_url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count(model.id))) or 0)
    finally:
        db.dispose()


def test_the_same_key_twice_is_the_same_ticket(api: Api) -> None:
    first = issue(api, KEY)
    second = issue(api, KEY)
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["number"] == first.json()["number"] == "А001"
    assert count(api.centre.database_url, Ticket) == 1
    assert issue(api, "tap-0002-bbbb").json()["number"] == "А002"  # a new tap, a new ticket
    assert issue(api, None).json()["number"] == "А003"  # no key: every request is a ticket


def test_a_key_sent_with_another_request_is_refused(api: Api) -> None:
    assert issue(api, KEY, 1).status_code == 201
    r = issue(api, KEY, 2)
    assert r.status_code == 409
    assert r.json()["error"] == "idempotency_key_reused"
    assert count(api.centre.database_url, Ticket) == 1


def test_a_malformed_key_is_refused_and_changes_nothing(api: Api) -> None:
    for bad in ("short", "x" * 101, "with space here"):
        r = issue(api, bad)
        assert r.status_code == 422, bad
    assert count(api.centre.database_url, Ticket) == 0


def test_keys_are_per_device_and_per_day(api: Api, clock: FakeClock) -> None:
    first = issue(api, KEY).json()
    clerk_ticket = api.client.post(
        "/api/v1/tickets",
        json={"service_id": 1},
        headers={**api.as_user("clerk1"), "Idempotency-Key": KEY},
    ).json()
    assert clerk_ticket["id"] != first["id"]  # another sender, another ticket
    clock.advance(days=1)
    next_day = issue(api, KEY).json()
    assert next_day["id"] != first["id"]
    assert next_day["number"] == "А001"


def test_the_outcome_of_a_key_gives_the_ticket_it_made(api: Api) -> None:
    made = issue(api, KEY).json()
    r = api.post(f"/api/v1/requests/{KEY}/outcome", "kiosk")
    assert r.status_code == 200, r.text
    assert r.json()["action"] == "ticket"
    assert r.json()["ticket"]["id"] == made["id"]
    assert r.json()["ticket"]["status_url"] == made["status_url"]


def test_a_key_that_made_nothing_makes_nothing_after_it_was_asked_about(api: Api) -> None:
    r = api.post(f"/api/v1/requests/{KEY}/outcome", "kiosk")
    assert r.status_code == 404
    assert r.json()["error"] == "nothing_made"
    late = issue(api, KEY)  # the copy the kiosk gave up on arrives after all
    assert late.status_code == 409
    assert late.json()["error"] == "request_abandoned"
    assert count(api.centre.database_url, Ticket) == 0
    assert api.post(f"/api/v1/requests/{KEY}/outcome", "kiosk").status_code == 404


def test_a_display_cannot_ask_for_outcomes(api: Api) -> None:
    display = {"Authorization": f"Bearer {api.centre.display_key}"}
    r = api.client.post(f"/api/v1/requests/{KEY}/outcome", headers=display)
    assert r.status_code == 403


def test_booking_and_check_in_with_the_same_key_answer_the_same(
    database_url: str, clock: FakeClock
) -> None:
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre) as api:
        first = book(api, headers={"Idempotency-Key": KEY})
        again = book(api, headers={"Idempotency-Key": KEY})
        assert first.status_code == again.status_code == 201
        assert again.json()["code"] == first.json()["code"]
        assert count(database_url, Booking) == 1
        other_time = book(api, TOMORROW_10 + timedelta(hours=1), headers={"Idempotency-Key": KEY})
        assert other_time.status_code == 409
        assert other_time.json()["error"] == "idempotency_key_reused"

        code = first.json()["code"]
        clock.now = TOMORROW_10 - timedelta(minutes=10)
        tap = {**api.kiosk(), "Idempotency-Key": "check-in-tap-1"}
        checked = api.client.post(f"/api/v1/bookings/{code}/check-in", headers=tap)
        repeat = api.client.post(f"/api/v1/bookings/{code}/check-in", headers=tap)
        assert checked.status_code == repeat.status_code == 201, repeat.text
        assert repeat.json()["id"] == checked.json()["id"]
        assert repeat.json()["booking"]["on_time"] is True
        assert count(database_url, Ticket) == 1
        outcome = api.post("/api/v1/requests/check-in-tap-1/outcome", "kiosk").json()
        assert outcome["action"] == "check_in"
        assert outcome["check_in"]["number"] == checked.json()["number"]


def test_copies_of_one_tap_arriving_together_make_one_ticket(database_url: str) -> None:
    """Ten copies of one request at once, over real HTTP: one ticket, ten equal answers."""
    with live_server(database_url) as (server, centre):
        headers = {"Authorization": f"Bearer {centre.kiosk_key}", "Idempotency-Key": KEY}
        answers: list[int] = []
        start = threading.Barrier(10)

        def tap() -> None:
            start.wait()
            r = httpx.post(
                f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=headers, timeout=30
            )
            assert r.status_code == 201, r.text
            answers.append(r.json()["id"])

        threads = [threading.Thread(target=tap) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 10
        assert len(set(answers)) == 1
        assert count(database_url, Ticket) == 1
