"""The booking methods of QueueClient against a real server on a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from cherha.client import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFoundError,
    QueueClient,
    Unauthorized,
)
from cherha.client.errors import error_for
from cherha.server.app import create_app
from cherha.wire import Booking, BookingDay, BookingRules, CheckIn, IssuedTicket, Slot
from tests.api.test_bookings import KYIV, NAME, PHONE, TOMORROW_10, booking_centre
from tests.helpers.app import FakeClock, ThreadedServer, make_centre, settings_for
from tests.helpers.ports import free_port


@dataclass
class BookingServer:
    url: str
    kiosk_key: str
    clock: FakeClock


@pytest.fixture
def booking_server(sqlite_url: str) -> Iterator[BookingServer]:
    """«residence» (service 1): one window, 15-minute slots of one place, open 24/7."""
    clock = FakeClock()  # Tuesday 24.11.2026, 12:00 in Kyiv
    centre = make_centre(sqlite_url, spec=booking_centre())
    port = free_port()
    app = create_app(settings_for(sqlite_url, port=port), clock=clock)
    server = ThreadedServer(app, port).start()
    try:
        yield BookingServer(server.url, centre.kiosk_key, clock)
    finally:
        server.stop()


@pytest.fixture
def public(booking_server: BookingServer) -> Iterator[QueueClient]:
    with QueueClient(booking_server.url) as client:
        yield client


@pytest.fixture
def kiosk(booking_server: BookingServer) -> Iterator[QueueClient]:
    with QueueClient(booking_server.url, booking_server.kiosk_key) as client:
        yield client


def test_days_slots_and_rules_are_typed(public: QueueClient, kiosk: QueueClient) -> None:
    days = kiosk.booking_days(1, channel="kiosk")
    assert all(isinstance(d, BookingDay) for d in days)
    assert days[0].date == date(2026, 11, 24)
    assert days[1].free == days[1].slots == 96
    assert public.booking_days(1) == days  # nothing is kept for the kiosk in this centre
    slots = public.slots(1, date(2026, 11, 25))
    assert all(isinstance(s, Slot) for s in slots)
    assert slots[40].start == TOMORROW_10
    assert slots[40].start.utcoffset() == timedelta(hours=2)
    assert (slots[40].end - slots[40].start) == timedelta(minutes=15)
    assert (slots[40].free, slots[40].capacity) == (1, 1)
    assert kiosk.slots(1, date(2026, 11, 25), channel="kiosk") == slots
    with pytest.raises(Forbidden) as refused:
        public.slots(1, date(2026, 11, 25), channel="kiosk")
    assert refused.value.code == "kiosk_only"
    rules = public.booking_rules(1)
    assert isinstance(rules, BookingRules)
    assert (rules.check_in_early_minutes, rules.check_in_late_minutes) == (15, 5)
    assert rules.timezone == "Europe/Kyiv"
    assert rules.slot_minutes == 15


def test_book_look_up_and_cancel(public: QueueClient, kiosk: QueueClient) -> None:
    booking = public.book(1, TOMORROW_10, PHONE, name=NAME)
    assert isinstance(booking, Booking)
    assert len(booking.code) == 7
    assert booking.code[3] == "-"
    assert booking.start == TOMORROW_10
    assert booking.status == "booked"
    assert booking.channel == "online"
    assert booking.phone_masked == "+380 ** *** 45 67"
    assert (booking.early_minutes, booking.late_minutes) == (15, 5)
    assert booking.service_name("en").startswith("Registration")
    assert public.booking(booking.code.lower().replace("-", ""), phone=PHONE) == booking
    assert kiosk.booking(booking.code).code == booking.code  # a kiosk needs no phone
    with pytest.raises(InvalidRequest) as no_phone:
        public.booking(booking.code)
    assert no_phone.value.code == "phone_required"
    with pytest.raises(NotFoundError) as wrong:
        public.booking(booking.code, phone="0991112233")
    assert wrong.value.code == "booking_not_found"
    with pytest.raises(NotFoundError):
        kiosk.booking("")
    cancelled = public.cancel_booking(booking.code, PHONE)
    assert cancelled.status == "cancelled"
    with pytest.raises(Conflict) as again:
        kiosk.check_in(booking.code)
    assert again.value.code == "booking_cancelled"
    assert again.value.message_uk == "Цей запис скасовано"


def test_a_full_slot_refusal_carries_the_next_free_starts(
    public: QueueClient, kiosk: QueueClient
) -> None:
    public.book(1, TOMORROW_10, PHONE, name=NAME)
    with pytest.raises(Conflict) as full:
        kiosk.book(1, TOMORROW_10, "0501112233", name="Петро Іваненко")
    assert full.value.code == "slot_full"
    assert full.value.next_free == [TOMORROW_10 + timedelta(minutes=15 * i) for i in range(1, 6)]
    assert full.value.next_free[0].utcoffset() == timedelta(hours=2)
    assert "next_free" in full.value.details
    with pytest.raises(ValueError, match="aware"):
        kiosk.book(1, TOMORROW_10.replace(tzinfo=None), PHONE, name=NAME)


def test_refusals_of_bad_phone_and_not_bookable(public: QueueClient) -> None:
    with pytest.raises(InvalidRequest) as bad:
        public.book(1, TOMORROW_10, "+48 601 234 567", name=NAME)
    assert bad.value.code == "bad_phone"
    assert "+380" in bad.value.message_uk
    assert bad.value.next_free == []


def test_check_in_too_early_on_time_and_twice(
    booking_server: BookingServer, public: QueueClient, kiosk: QueueClient
) -> None:
    code = public.book(1, TOMORROW_10, PHONE, name=NAME).code
    with pytest.raises(Conflict) as early:
        kiosk.check_in(code)
    assert early.value.code == "too_early"
    assert early.value.message_uk == "Реєстрація на цей запис відкриється 25.11.2026 о 09:45"
    assert early.value.opens_at == datetime(2026, 11, 25, 9, 45, tzinfo=KYIV)
    booking_server.clock.now = TOMORROW_10 - timedelta(minutes=10)
    done = kiosk.check_in(code.lower())
    assert isinstance(done, CheckIn)
    assert isinstance(done, IssuedTicket)  # the ticket, as POST /tickets, with the booking
    assert done.number == "А001"
    assert done.booking.code == code
    assert done.booking.start == TOMORROW_10
    assert done.booking.on_time is True
    assert "вчасно" in done.message_in("uk")
    assert done.message_in("en").startswith("You are on time")
    with pytest.raises(Conflict) as twice:
        kiosk.check_in(code)
    assert twice.value.code == "booking_checked_in"
    with pytest.raises(Unauthorized):
        public.check_in(code)  # the public cannot check in: no kiosk key


def test_error_details_are_kept_and_bad_times_are_skipped() -> None:
    error = error_for(409, {"error": "slot_full", "message": "x", "next_free": ["bad", 3]})
    assert isinstance(error, Conflict)
    assert error.next_free == []
    assert error.opens_at is None
    plain = ApiError(409, "x", "a", "b")
    assert plain.details == {}
