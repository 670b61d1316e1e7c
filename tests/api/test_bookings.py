"""Bookings through the API on SQLite and PostgreSQL: slots, taking a place, the full slot,
the kiosk share, quotas, no-show blocks, the horizon, cancelling, rate limits, events, purge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cherha.server.store.centre_file import (
    SAMPLE_CENTRE,
    BookingSpec,
    CentreFile,
    WindowSpec,
    always_open,
    read_centre_file,
)
from cherha.server.store.db import Database
from cherha.server.store.models import Booking, Event
from tests.helpers.app import Api, FakeClock, api_for, make_centre

KYIV = ZoneInfo("Europe/Kyiv")
RESIDENCE = 1
TOMORROW_10 = datetime(2026, 11, 25, 10, 0, tzinfo=KYIV)
PHONE = "067 123 45 67"
NAME = "Олена Коваль"


def booking_centre(*, windows: int = 1, average: float = 15, **booking: Any) -> CentreFile:
    """The sample centre open 24/7; `windows` windows serve only «residence» (service 1), whose
    average is `average` minutes; window 9 serves the rest. Booking rules from `booking`."""
    spec = always_open(read_centre_file(SAMPLE_CENTRE))
    services = [
        s.model_copy(update={"average_minutes": average}) if s.code == "residence" else s
        for s in spec.services
    ]
    others = [s.code for s in spec.services if s.code != "residence"]
    return spec.model_copy(
        update={
            "services": services,
            "windows": [
                *(WindowSpec(number=n, services=["residence"]) for n in range(1, windows + 1)),
                WindowSpec(number=9, services=others),
            ],
            "booking": BookingSpec(**{"kiosk_share": 0.0, **booking}),
        }
    )


@pytest.fixture
def booking_api(database_url: str, clock: FakeClock) -> Iterator[Api]:
    """One window for «residence», 15-minute slots of capacity 1, nothing kept for the kiosk."""
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre) as client:
        yield client


def book(
    api: Api,
    start: datetime = TOMORROW_10,
    *,
    phone: str = PHONE,
    name: str = NAME,
    service_id: int = RESIDENCE,
    headers: dict[str, str] | None = None,
) -> Any:
    return api.client.post(
        "/api/v1/bookings",
        json={"service_id": service_id, "start": start.isoformat(), "name": name, "phone": phone},
        headers=headers or {},
    )


def booked(api: Api, start: datetime = TOMORROW_10, **kwargs: Any) -> dict[str, Any]:
    r = book(api, start, **kwargs)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def slots(api: Api, day: str = "2026-11-25", **params: str) -> list[dict[str, Any]]:
    r = api.client.get(
        f"/api/v1/services/{RESIDENCE}/slots",
        params={"date": day, **params},
        headers=api.kiosk() if params.get("channel") == "kiosk" else {},
    )
    assert r.status_code == 200, r.text
    body: list[dict[str, Any]] = r.json()
    return body


def slot_at(api: Api, start: datetime, **params: str) -> dict[str, Any]:
    day = start.astimezone(KYIV).date().isoformat()
    return next(s for s in slots(api, day, **params) if datetime.fromisoformat(s["start"]) == start)


def events(database_url: str) -> list[Event]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(Event).order_by(Event.id)))
    finally:
        db.dispose()


def booking_rows(database_url: str) -> list[Booking]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(Booking).order_by(Booking.id)))
    finally:
        db.dispose()


# -- slots ----------------------------------------------------------------------------------------


def test_a_day_s_slots_have_a_start_with_offset_and_free_places(api: Api) -> None:
    """The sample centre: two windows serve «residence», 12 minutes each → 2 per 15 minutes."""
    day = slots(api, "2026-11-25")
    assert len(day) == 96  # open around the clock in the test centre
    first = day[0]
    assert first["start"] == "2026-11-25T00:00:00+02:00"
    assert first["capacity"] == 2
    # A third is kept for the kiosk: spread over the day, online gets 1, 1, 2, 1, 1, 2 …
    assert [s["free"] for s in day[:6]] == [1, 1, 2, 1, 1, 2]
    kiosk = slots(api, "2026-11-25", channel="kiosk")
    assert {s["free"] for s in kiosk} == {2}


def test_slots_too_soon_or_past_have_no_free_places(booking_api: Api) -> None:
    today = slots(booking_api, "2026-11-24")  # it is 12:00 in Kyiv; 30 minutes' lead
    by_time = {s["start"][11:16]: s["free"] for s in today}
    assert by_time["11:45"] == 0
    assert by_time["12:15"] == 0
    assert by_time["12:30"] == 1


def test_the_horizon_and_its_opening_hour(booking_api: Api, clock: FakeClock) -> None:
    r = booking_api.client.get(f"/api/v1/services/{RESIDENCE}/slots", params={"date": "2026-12-09"})
    assert r.status_code == 409
    assert r.json()["error"] == "date_not_bookable"
    assert "25.11.2026 о 06:00" in r.json()["message"]
    assert slots(booking_api, "2026-12-08")  # today + 14 days is open (it is past 06:00)
    r = booking_api.client.get(f"/api/v1/services/{RESIDENCE}/slots", params={"date": "2026-11-23"})
    assert r.status_code == 409
    clock.now = datetime(2026, 11, 25, 5, 59, tzinfo=KYIV)
    r = booking_api.client.get(f"/api/v1/services/{RESIDENCE}/slots", params={"date": "2026-12-09"})
    assert r.status_code == 409  # the new day opens at 06:00
    clock.now = datetime(2026, 11, 25, 6, 0, tzinfo=KYIV)
    assert slots(booking_api, "2026-12-09")


def test_booking_days_lists_the_horizon_with_free_places(booking_api: Api) -> None:
    r = booking_api.client.get(f"/api/v1/services/{RESIDENCE}/booking-days")
    assert r.status_code == 200
    days = r.json()
    assert days[0]["date"] == "2026-11-24"
    assert days[-1]["date"] == "2026-12-08"
    assert days[1] == {"date": "2026-11-25", "free": 96, "slots": 96}


def test_bad_slot_requests_are_refused_clearly(booking_api: Api) -> None:
    c = booking_api.client
    assert c.get("/api/v1/services/1/slots", params={"date": "25.11.2026"}).status_code == 422
    assert c.get("/api/v1/services/1/slots").status_code == 422
    assert c.get("/api/v1/services/999/slots", params={"date": "2026-11-25"}).status_code == 404
    r = c.get("/api/v1/services/1/slots", params={"date": "2026-11-25", "channel": "kiosk"})
    assert r.status_code == 403
    assert r.json()["error"] == "kiosk_only"


# -- taking a place -------------------------------------------------------------------------------


def test_booking_a_slot_gives_a_code_and_takes_the_place(booking_api: Api) -> None:
    body = booked(booking_api)
    assert len(body["code"]) == 7
    assert body["code"][3] == "-"
    assert body["start"] == "2026-11-25T10:00:00+02:00"
    assert body["status"] == "booked"
    assert body["channel"] == "online"
    assert body["name"] == NAME
    assert body["phone_masked"] == "+380 ** *** 45 67"
    assert body["check_in_from"] == "2026-11-25T09:45:00+02:00"
    assert body["check_in_until"] == "2026-11-25T10:05:00+02:00"
    assert body["qr_url"].endswith(f"/book/qr/{body['code']}.png")
    assert slot_at(booking_api, TOMORROW_10)["free"] == 0

    code = body["code"].replace("-", "").lower()
    r = booking_api.client.get(f"/api/v1/bookings/{code}", params={"phone": "+380671234567"})
    assert r.status_code == 200
    assert r.json()["code"] == body["code"]


def test_a_booking_is_only_shown_with_its_phone(booking_api: Api) -> None:
    code = booked(booking_api)["code"]
    c = booking_api.client
    r = c.get(f"/api/v1/bookings/{code}", params={"phone": "0991112233"})
    assert r.status_code == 404
    assert r.json()["error"] == "booking_not_found"
    assert c.get(f"/api/v1/bookings/{code}").json()["error"] == "phone_required"
    assert c.get(f"/api/v1/bookings/{code}", headers=booking_api.kiosk()).status_code == 200
    assert c.get("/api/v1/bookings/ZZZ-ZZZ", params={"phone": PHONE}).status_code == 404
    assert c.get("/api/v1/bookings/not-a-code", params={"phone": PHONE}).status_code == 404


def test_the_full_slot_is_refused_with_the_next_free_ones(booking_api: Api) -> None:
    booked(booking_api)
    r = book(booking_api, phone="0501112233", name="Петро Іваненко")
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "slot_full"
    assert body["message"]
    assert body["message_en"]
    assert body["next_free"] == [
        (TOMORROW_10 + timedelta(minutes=15 * i)).isoformat() for i in range(1, 6)
    ]
    assert len(booking_rows(booking_api.centre.database_url)) == 1


def test_the_kiosk_share_is_kept_from_the_public(database_url: str, clock: FakeClock) -> None:
    centre = make_centre(database_url, spec=booking_centre(windows=2, kiosk_share=0.5))
    with api_for(database_url, clock, centre=centre) as api:
        assert slot_at(api, TOMORROW_10)["free"] == 1
        assert slot_at(api, TOMORROW_10, channel="kiosk")["free"] == 2
        booked(api)
        r = book(api, phone="0501112233")
        assert r.status_code == 409
        assert r.json()["error"] == "slot_full"
        by_kiosk = booked(api, phone="0501112233", headers=api.kiosk())
        assert by_kiosk["channel"] == "kiosk"
        assert slot_at(api, TOMORROW_10, channel="kiosk")["free"] == 0
        r = book(api, phone="0661112233", headers=api.kiosk())
        assert r.status_code == 409


def test_a_start_that_is_not_a_slot_or_has_no_offset_is_refused(booking_api: Api) -> None:
    r = book(booking_api, TOMORROW_10 + timedelta(minutes=7))
    assert r.status_code == 422
    assert r.json()["error"] == "no_such_slot"
    r = booking_api.client.post(
        "/api/v1/bookings",
        json={"service_id": 1, "start": "2026-11-25T10:00:00", "name": NAME, "phone": PHONE},
    )
    assert r.status_code == 422
    r = book(booking_api, datetime(2026, 11, 24, 12, 15, tzinfo=KYIV))
    assert r.status_code == 409
    assert r.json()["error"] == "slot_closed"
    r = book(booking_api, datetime(2027, 1, 5, 10, 0, tzinfo=KYIV))
    assert r.json()["error"] == "date_not_bookable"
    r = booking_api.client.post(
        "/api/v1/bookings",
        json={"service_id": 1, "start": "0001-01-01T00:00:00+14:00", "name": NAME, "phone": PHONE},
    )
    assert r.status_code == 422


def test_bad_names_and_phones_change_nothing(booking_api: Api) -> None:
    r = book(booking_api, phone="+48 601 234 567")
    assert r.status_code == 422
    assert r.json()["error"] == "bad_phone"
    assert "+380" in r.json()["message"]
    r = book(booking_api, name=" x ")
    assert r.json()["error"] == "bad_name"
    r = book(booking_api, name="Ім\x00я")
    assert r.status_code == 422
    assert booking_rows(booking_api.centre.database_url) == []


def test_a_service_that_is_not_bookable_says_so(database_url: str, clock: FakeClock) -> None:
    spec = booking_centre()
    spec = spec.model_copy(
        update={
            "services": [
                s.model_copy(update={"bookable": False}) if s.code == "residence" else s
                for s in spec.services
            ]
        }
    )
    with api_for(database_url, clock, centre=make_centre(database_url, spec=spec)) as api:
        r = api.client.get("/api/v1/services/1/slots", params={"date": "2026-11-25"})
        assert r.status_code == 422
        assert r.json()["error"] == "not_bookable"


# -- quotas and blocks ----------------------------------------------------------------------------


def test_a_phone_may_book_four_times_a_month_and_cancelled_ones_count(booking_api: Api) -> None:
    codes = [booked(booking_api, TOMORROW_10 + timedelta(days=i))["code"] for i in range(4)]
    r = booking_api.client.post(f"/api/v1/bookings/{codes[0]}/cancel", json={"phone": PHONE})
    assert r.status_code == 200
    r = book(booking_api, TOMORROW_10 + timedelta(days=5), phone="+380 67 123-45-67")
    assert r.status_code == 409
    assert r.json()["error"] == "quota_exceeded"
    assert "скасовані теж рахуються" in r.json()["message"]
    booked(booking_api, TOMORROW_10 + timedelta(days=5), phone="0501112233")  # another number


def test_the_quota_starts_again_with_the_next_calendar_month(
    booking_api: Api, clock: FakeClock
) -> None:
    for i in range(4):
        booked(booking_api, datetime(2026, 12, 3, 10, tzinfo=KYIV) + timedelta(days=i))
    assert book(booking_api, datetime(2026, 12, 8, 10, tzinfo=KYIV)).status_code == 409
    clock.now = datetime(2026, 12, 1, 0, 5, tzinfo=KYIV)
    booked(booking_api, datetime(2026, 12, 8, 10, tzinfo=KYIV))


def test_one_booking_per_service_and_day_per_phone(booking_api: Api) -> None:
    booked(booking_api)
    r = book(booking_api, TOMORROW_10 + timedelta(hours=2))
    assert r.status_code == 409
    assert r.json()["error"] == "already_booked"
    assert "10:00" in r.json()["message"]


def test_no_shows_block_online_booking_until_a_visit(database_url: str, clock: FakeClock) -> None:
    spec = booking_centre(monthly_quota=0, no_show_block=2, no_show_window_days=90)
    with api_for(database_url, clock, centre=make_centre(database_url, spec=spec)) as api:
        booked(api, TOMORROW_10)
        booked(api, TOMORROW_10 + timedelta(days=1))
        clock.now = TOMORROW_10 + timedelta(days=1, minutes=6)
        r = book(api, TOMORROW_10 + timedelta(days=3))
        assert r.status_code == 409
        assert r.json()["error"] == "booking_blocked"
        assert [b.status for b in booking_rows(database_url)] == ["no_show", "no_show"]
        # At the centre the kiosk may still book for the visitor.
        visit = booked(api, TOMORROW_10 + timedelta(days=2), headers=api.kiosk())
        # A visit in person lifts the block.
        clock.now = TOMORROW_10 + timedelta(days=2, minutes=-5)
        assert api.post(f"/api/v1/bookings/{visit['code']}/check-in", "kiosk").status_code == 201
        booked(api, TOMORROW_10 + timedelta(days=3))


def test_no_shows_older_than_the_window_do_not_count(database_url: str, clock: FakeClock) -> None:
    spec = booking_centre(monthly_quota=0, no_show_block=1, no_show_window_days=7)
    with api_for(database_url, clock, centre=make_centre(database_url, spec=spec)) as api:
        booked(api, TOMORROW_10)
        clock.now = TOMORROW_10 + timedelta(hours=1)
        assert book(api, TOMORROW_10 + timedelta(days=2)).json()["error"] == "booking_blocked"
        clock.now = TOMORROW_10 + timedelta(days=7, hours=1)
        booked(api, TOMORROW_10 + timedelta(days=9))


# -- no-shows -------------------------------------------------------------------------------------


def test_a_booking_nobody_checks_in_for_is_a_no_show_after_its_window(
    booking_api: Api, clock: FakeClock
) -> None:
    booked(booking_api)
    clock.now = TOMORROW_10 + timedelta(minutes=5)
    slots(booking_api)
    assert booking_rows(booking_api.centre.database_url)[0].status == "booked"
    clock.now = TOMORROW_10 + timedelta(minutes=5, seconds=1)
    slots(booking_api)  # reads of the branch mark no-shows lazily
    rows = booking_rows(booking_api.centre.database_url)
    assert rows[0].status == "no_show"
    assert [e.type for e in events(booking_api.centre.database_url)] == [
        "booking_created",
        "booking_no_show",
    ]
    # The place stays taken: a no-show does not reopen a past slot.
    assert slot_at(booking_api, TOMORROW_10, channel="kiosk")["free"] == 0


# -- cancelling -----------------------------------------------------------------------------------


def test_cancel_with_code_and_phone_frees_the_place(booking_api: Api) -> None:
    code = booked(booking_api)["code"]
    c = booking_api.client
    r = c.post(f"/api/v1/bookings/{code}/cancel", json={"phone": "0991112233"})
    assert r.status_code == 404
    r = c.post(f"/api/v1/bookings/{code}/cancel", json={})
    assert r.json()["error"] == "phone_required"
    r = c.post(f"/api/v1/bookings/{code.lower()}/cancel", json={"phone": "+380671234567"})
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    assert slot_at(booking_api, TOMORROW_10)["free"] == 1
    r = c.post(f"/api/v1/bookings/{code}/cancel", json={"phone": PHONE})
    assert r.status_code == 409
    assert r.json()["error"] == "booking_cancelled"
    booked(booking_api, phone="0501112233")


def test_a_booking_whose_time_has_come_cannot_be_cancelled(
    booking_api: Api, clock: FakeClock
) -> None:
    code = booked(booking_api)["code"]
    clock.now = TOMORROW_10
    r = booking_api.client.post(f"/api/v1/bookings/{code}/cancel", json={"phone": PHONE})
    assert r.status_code == 409
    assert r.json()["error"] == "booking_started"


def test_an_old_database_row_gets_the_default_booking_rules() -> None:
    assert BookingSpec().model_dump() == {
        "slot_minutes": 15,
        "horizon_days": 14,
        "opens_hour": 6,
        "kiosk_share": 0.33,
        "min_lead_minutes": 30,
        "monthly_quota": 4,
        "no_show_block": 4,
        "no_show_window_days": 90,
        "check_in_early_minutes": 15,
        "check_in_late_minutes": 5,
        "personal_data_days": 30,
    }


def test_the_booking_rules_are_public(booking_api: Api) -> None:
    r = booking_api.client.get("/api/v1/services/1/booking-rules")
    assert r.status_code == 200
    assert r.json()["check_in_early_minutes"] == 15
    assert r.json()["timezone"] == "Europe/Kyiv"
