"""The kiosk's booking helpers on SQLite and PostgreSQL: a slot held while the visitor types
(others see it taken, the booking with the hold takes it, release and expiry give it back,
two kiosks never hold the last place both) and finding a visitor's bookings by phone and day
(no name or phone in the answer, limited per kiosk, kiosk key only)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from cherha.server.store.db import Database
from cherha.server.store.holds import HOLD_MINUTES
from cherha.server.store.models import Event
from tests.helpers.app import Api, FakeClock, api_for, make_centre

from .test_bookings import NAME, PHONE, TOMORROW_10, book, booked, booking_centre, slot_at


@pytest.fixture
def holds_api(database_url: str, clock: FakeClock) -> Iterator[Api]:
    """One window for «residence», 15-minute slots of capacity 1 (as tests/api/test_bookings)."""
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre) as client:
        yield client


def hold(api: Api, start: Any = TOMORROW_10, service_id: int = 1) -> Any:
    return api.client.post(
        "/api/v1/holds",
        json={"service_id": service_id, "start": start.isoformat()},
        headers=api.kiosk(),
    )


def book_held(api: Api, token: str, *, phone: str = PHONE, start: Any = TOMORROW_10) -> Any:
    return api.client.post(
        "/api/v1/bookings",
        json={
            "service_id": 1,
            "start": start.isoformat(),
            "name": NAME,
            "phone": phone,
            "hold": token,
        },
        headers=api.kiosk(),
    )


def lookup(api: Api, phone: str, day: str | None = None, headers: Any = None) -> Any:
    body: dict[str, str] = {"phone": phone}
    if day:
        body["date"] = day
    return api.client.post(
        "/api/v1/bookings/lookup", json=body, headers=api.kiosk() if headers is None else headers
    )


def test_a_held_place_is_taken_for_everyone_else_until_booked(
    holds_api: Api, clock: FakeClock, database_url: str
) -> None:
    r = hold(holds_api)
    assert r.status_code == 201, r.text
    held = r.json()
    assert held["start"] == TOMORROW_10.isoformat()  # the centre's offset
    assert held["expires_at"].endswith("+02:00")
    assert slot_at(holds_api, TOMORROW_10)["free"] == 0
    assert slot_at(holds_api, TOMORROW_10, channel="kiosk")["free"] == 0
    r = book(holds_api, phone="0501112233")  # someone online, while the visitor types
    assert r.status_code == 409
    assert r.json()["error"] == "slot_full"
    assert hold(holds_api).json()["error"] == "slot_full"  # another kiosk too
    made = book_held(holds_api, held["token"])
    assert made.status_code == 201, made.text
    assert made.json()["channel"] == "kiosk"
    # the hold became the booking: the place is taken once, not twice
    assert slot_at(holds_api, TOMORROW_10, channel="kiosk")["free"] == 0
    db = Database(database_url)
    try:
        with db.sessions() as session:
            types = [e.type for e in session.scalars(select(Event).order_by(Event.id))]
            data = [e.data for e in session.scalars(select(Event).where(Event.type == "slot_held"))]
    finally:
        db.dispose()
    assert types[-2:] == ["slot_held", "booking_created"]
    assert set(data[0]) == {"hold_id", "service_id", "slot_start"}  # no name, no phone


def test_a_released_or_expired_hold_gives_the_place_back(holds_api: Api, clock: FakeClock) -> None:
    token = hold(holds_api).json()["token"]
    r = holds_api.client.delete(f"/api/v1/holds/{token}", headers=holds_api.kiosk())
    assert r.status_code == 204
    assert slot_at(holds_api, TOMORROW_10)["free"] == 1
    again = holds_api.client.delete(f"/api/v1/holds/{token}", headers=holds_api.kiosk())
    assert again.status_code == 204  # already gone: nothing to do
    token = hold(holds_api).json()["token"]
    clock.advance(minutes=HOLD_MINUTES, seconds=1)
    assert slot_at(holds_api, TOMORROW_10)["free"] == 1
    booked(holds_api, phone="0501112233")  # the place went to someone else meanwhile
    late = book_held(holds_api, token)
    assert late.status_code == 409
    assert late.json()["error"] == "slot_full"


def test_an_expired_hold_still_books_while_the_place_is_free(
    holds_api: Api, clock: FakeClock
) -> None:
    token = hold(holds_api).json()["token"]
    clock.advance(minutes=HOLD_MINUTES + 2)
    r = book_held(holds_api, token)
    assert r.status_code == 201, r.text


def test_holds_need_a_kiosk_key_and_a_real_slot(holds_api: Api) -> None:
    r = holds_api.client.post(
        "/api/v1/holds", json={"service_id": 1, "start": TOMORROW_10.isoformat()}
    )
    assert r.status_code == 401
    r = holds_api.post(
        "/api/v1/holds", "clerk1", {"service_id": 1, "start": TOMORROW_10.isoformat()}
    )
    assert r.status_code == 403
    assert r.json()["error"] == "kiosk_only"
    r = hold(holds_api, TOMORROW_10 + timedelta(minutes=7))
    assert r.status_code == 409
    assert r.json()["error"] == "slot_closed"
    r = holds_api.client.post(
        "/api/v1/holds",
        json={"service_id": 1, "start": "2026-11-25T10:00:00"},  # no offset
        headers=holds_api.kiosk(),
    )
    assert r.status_code == 422
    assert r.json()["message"]
    assert r.json()["message_en"]


def test_a_hold_token_from_the_public_is_ignored(holds_api: Api) -> None:
    token = hold(holds_api).json()["token"]
    r = holds_api.client.post(
        "/api/v1/bookings",
        json={
            "service_id": 1,
            "start": TOMORROW_10.isoformat(),
            "name": NAME,
            "phone": "0501112233",
            "hold": token,
        },
    )
    assert r.status_code == 409  # a stolen token does not take the kiosk's place


def test_two_kiosks_racing_for_the_last_place_hold_it_once(
    database_url: str, clock: FakeClock
) -> None:
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre) as api:
        results: list[int] = []
        barrier = threading.Barrier(4)

        def race() -> None:
            barrier.wait()
            results.append(hold(api).status_code)

        threads = [threading.Thread(target=race) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [201, 409, 409, 409]


def test_find_bookings_by_phone_and_day(holds_api: Api, clock: FakeClock) -> None:
    today_13 = TOMORROW_10 - timedelta(hours=21)  # Tuesday 13:00; it is 12:00
    booked(holds_api, today_13)
    booked(holds_api, TOMORROW_10)
    booked(holds_api, TOMORROW_10 + timedelta(minutes=15), phone="0501112233")  # not theirs
    r = lookup(holds_api, "0671234567")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["date"] == body["today"] == "2026-11-24"
    [found] = body["bookings"]
    assert found["start"] == today_13.isoformat()
    assert found["status"] == "booked"
    assert found["can_check_in"] is False  # opens 15 min before
    assert set(found) == {
        "code",
        "service_id",
        "service_name_uk",
        "service_name_en",
        "start",
        "status",
        "can_check_in",
        "check_in_from",
    }
    clock.now = today_13 - timedelta(minutes=10)
    assert lookup(holds_api, "+380 67 123 45 67").json()["bookings"][0]["can_check_in"]
    tomorrow = lookup(holds_api, PHONE, "2026-11-25").json()
    assert [b["start"] for b in tomorrow["bookings"]] == [TOMORROW_10.isoformat()]
    assert tomorrow["bookings"][0]["can_check_in"] is False  # not today
    assert lookup(holds_api, "0931112233").json()["bookings"] == []
    assert "Олена" not in r.text


def test_find_bookings_is_for_kiosks_and_limited(holds_api: Api) -> None:
    r = lookup(holds_api, PHONE, headers={})
    assert r.status_code == 401
    bad = lookup(holds_api, "12")
    assert bad.status_code == 422
    assert bad.json()["error"] == "bad_phone"
    codes = [lookup(holds_api, PHONE).status_code for _ in range(12)]
    assert 429 in codes
    refused = lookup(holds_api, PHONE)
    assert refused.status_code == 429
    assert "кіоску" in refused.json()["message"]
