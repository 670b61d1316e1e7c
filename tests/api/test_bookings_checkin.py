"""Checking in for a booking at the kiosk: the ticket's place in line, lateness, refusals,
and what the clerk's desk sees about a booked visitor."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cherha.wire import ClerkTicket
from tests.api.test_bookings import NAME, PHONE, TOMORROW_10, booked, booking_api, booking_rows
from tests.helpers.app import Api, FakeClock

__all__ = ["booking_api"]  # the fixture, shared with test_bookings.py


def check_in(api: Api, code: str) -> Any:
    return api.post(f"/api/v1/bookings/{code}/check-in", "kiosk")


def at(clock: FakeClock, moment: datetime) -> None:
    clock.now = moment


def test_on_time_the_ticket_takes_the_slot_s_place_in_line(
    booking_api: Api, clock: FakeClock
) -> None:
    code = booked(booking_api)["code"]
    at(clock, TOMORROW_10 - timedelta(minutes=12))
    early_walk_in = booking_api.issue(1)
    at(clock, TOMORROW_10 - timedelta(minutes=10))
    r = check_in(booking_api, code)
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["number"] == "А002"
    assert ticket["booking"] == {"code": code, "start": TOMORROW_10.isoformat(), "on_time": True}
    assert "вчасно" in ticket["message"]
    assert ticket["message_en"]
    assert ticket["status_url"].endswith(ticket["public_token"])
    assert ticket["people_ahead"] == 1
    at(clock, TOMORROW_10 - timedelta(minutes=5))
    before_slot = booking_api.issue(1)  # issued before the slot start: ahead of the booking
    at(clock, TOMORROW_10 + timedelta(minutes=2))
    after_slot = booking_api.issue(1)  # after the slot start: behind it
    assert after_slot["people_ahead"] == 3

    booking_api.open("clerk1", 1)
    order = []
    for _ in range(4):
        called = booking_api.call_next("clerk1", 1)
        assert called is not None
        order.append(called["number"])
        booking_api.post(f"/api/v1/tickets/{called['id']}/start", "clerk1")
    assert order == [early_walk_in["number"], before_slot["number"], "А002", after_slot["number"]]
    rows = booking_rows(booking_api.centre.database_url)
    assert rows[0].status == "checked_in"
    assert rows[0].on_time is True
    assert rows[0].ticket_id == ticket["id"]


def test_the_clerk_sees_the_booking_of_a_called_ticket(booking_api: Api, clock: FakeClock) -> None:
    code = booked(booking_api)["code"]
    at(clock, TOMORROW_10 - timedelta(minutes=3))
    ticket = check_in(booking_api, code).json()
    booking_api.open("clerk1", 1)
    called = booking_api.call_next("clerk1", 1)
    assert called is not None
    assert called["booking"] == {
        "code": code,
        "start": "2026-11-25T10:00:00+02:00",
        "name": NAME,
        "on_time": True,
    }
    r = booking_api.client.get(
        f"/api/v1/staff/tickets/{ticket['id']}", headers=booking_api.as_user("clerk1")
    )
    assert r.json()["booking"]["name"] == NAME
    desk = ClerkTicket.model_validate(called)
    assert desk.booking is not None
    assert desk.booking.code == code
    assert desk.booking.start == TOMORROW_10
    assert desk.booking.name == NAME
    # A walk-in has no booking.
    walk_in = booking_api.issue(1)
    r = booking_api.client.get(
        f"/api/v1/staff/tickets/{walk_in['id']}", headers=booking_api.as_user("clerk1")
    )
    assert r.json()["booking"] is None
    # The public status page shows no name.
    status = booking_api.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert NAME not in str(status)


def test_late_the_ticket_joins_the_general_queue_and_says_so(
    booking_api: Api, clock: FakeClock
) -> None:
    code = booked(booking_api)["code"]
    at(clock, TOMORROW_10 + timedelta(minutes=1))
    walk_in = booking_api.issue(1)
    at(clock, TOMORROW_10 + timedelta(minutes=4))
    on_time = check_in(booking_api, code)  # 4 minutes late: still within the window
    assert on_time.status_code == 201
    assert on_time.json()["booking"]["on_time"] is True

    second = booked(booking_api, TOMORROW_10 + timedelta(hours=1), phone="0501112233")["code"]
    at(clock, TOMORROW_10 + timedelta(hours=1, minutes=6))
    r = check_in(booking_api, second)
    assert r.status_code == 201
    late = r.json()
    assert late["booking"]["on_time"] is False
    assert "запізнилися більш ніж на 5 хв" in late["message"]
    assert "general queue" in late["message_en"]
    assert late["people_ahead"] == 2  # behind the walk-in and the first booking
    booking_api.open("clerk1", 1)
    order = []
    for _ in range(3):
        called = booking_api.call_next("clerk1", 1)
        assert called is not None
        order.append(called["number"])
        booking_api.post(f"/api/v1/tickets/{called['id']}/start", "clerk1")
    # The on-time booking keeps 10:00 (ahead of the 10:01 walk-in); the late one is last.
    assert order == [on_time.json()["number"], walk_in["number"], late["number"]]
    rows = booking_rows(booking_api.centre.database_url)
    assert rows[1].on_time is False


def test_a_late_visitor_marked_no_show_still_gets_a_walk_in_ticket_that_day(
    booking_api: Api, clock: FakeClock
) -> None:
    code = booked(booking_api)["code"]
    at(clock, TOMORROW_10 + timedelta(minutes=40))
    booking_api.client.get("/api/v1/services/1/slots", params={"date": "2026-11-25"})
    assert booking_rows(booking_api.centre.database_url)[0].status == "no_show"
    r = check_in(booking_api, code)
    assert r.status_code == 201
    assert r.json()["booking"]["on_time"] is False
    row = booking_rows(booking_api.centre.database_url)[0]
    assert row.status == "checked_in"
    assert row.no_show_at is None


def test_too_early_says_when_check_in_opens(booking_api: Api, clock: FakeClock) -> None:
    code = booked(booking_api)["code"]
    r = check_in(booking_api, code)  # the day before
    assert r.status_code == 409
    assert r.json()["error"] == "too_early"
    assert r.json()["message"] == "Реєстрація на цей запис відкриється 25.11.2026 о 09:45"
    assert r.json()["opens_at"] == "2026-11-25T09:45:00+02:00"
    at(clock, TOMORROW_10 - timedelta(minutes=16))
    r = check_in(booking_api, code)
    assert r.json()["message"] == "Реєстрація на цей запис відкриється о 09:45"
    at(clock, TOMORROW_10 - timedelta(minutes=15))
    assert check_in(booking_api, code).status_code == 201


def test_wrong_used_cancelled_and_old_codes_are_refused_clearly(
    booking_api: Api, clock: FakeClock
) -> None:
    used = booked(booking_api)["code"]
    cancelled = booked(booking_api, TOMORROW_10 + timedelta(days=1), phone="0501112233")["code"]
    old = booked(booking_api, TOMORROW_10 + timedelta(hours=2), phone="0661112233")["code"]
    booking_api.client.post(f"/api/v1/bookings/{cancelled}/cancel", json={"phone": "0501112233"})
    at(clock, TOMORROW_10)
    assert check_in(booking_api, used).status_code == 201

    r = check_in(booking_api, used)
    assert (r.status_code, r.json()["error"]) == (409, "booking_checked_in")
    assert "уже зареєструвалися" in r.json()["message"]
    r = check_in(booking_api, cancelled)
    assert (r.status_code, r.json()["error"]) == (409, "booking_cancelled")
    for wrong in ("ZZZ-ZZZ", "hello", "000000", "A" * 40):
        r = check_in(booking_api, wrong)
        assert (r.status_code, r.json()["error"]) == (404, "booking_not_found"), wrong
    at(clock, TOMORROW_10 + timedelta(days=1))
    r = check_in(booking_api, old)
    assert (r.status_code, r.json()["error"]) == (409, "booking_expired")
    assert "25.11.2026 о 12:00" in r.json()["message"]


def test_only_a_kiosk_or_staff_checks_in(booking_api: Api, clock: FakeClock) -> None:
    code = booked(booking_api)["code"]
    at(clock, TOMORROW_10)
    r = booking_api.client.post(f"/api/v1/bookings/{code}/check-in")
    assert r.status_code == 401
    display = {"Authorization": f"Bearer {booking_api.centre.display_key}"}
    r = booking_api.client.post(f"/api/v1/bookings/{code}/check-in", headers=display)
    assert r.status_code == 403
    assert booking_rows(booking_api.centre.database_url)[0].status == "booked"


def test_check_in_before_opening_time_is_allowed_for_a_booking(
    booking_api: Api, clock: FakeClock
) -> None:
    """The ticket is issued even if the service opens only at the slot's start (hours are
    checked for walk-ins, not for a booked visitor who is on time)."""
    code = booked(booking_api)["code"]
    at(clock, TOMORROW_10 - timedelta(minutes=14))
    r = check_in(booking_api, code)
    assert r.status_code == 201
    assert r.json()["booking"]["on_time"] is True
    assert PHONE not in r.text
