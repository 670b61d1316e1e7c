"""The kiosk's screens and print states (the controller's state machine names them)."""

from __future__ import annotations

from enum import StrEnum


class Screen(StrEnum):
    START = "start"
    GROUPS = "groups"
    SERVICES = "services"
    PRIORITY = "priority"
    ISSUING = "issuing"
    TICKET = "ticket"
    REFUSED = "refused"
    OUTAGE = "outage"
    PAUSED = "paused"
    # bookings (kiosk/appointments.py)
    CODE = "code"
    CHECKING = "checking"
    CHECKIN_REFUSED = "checkin_refused"
    BOOK_SERVICES = "book_services"
    BOOK_DAYS = "book_days"
    BOOK_TIMES = "book_times"
    BOOK_PHONE = "book_phone"
    BOOK_NAME = "book_name"
    BOOK_CONFIRM = "book_confirm"
    BOOKING = "booking"
    BOOKED = "booked"
    BOOK_REFUSED = "book_refused"
    # a booking found by phone number and day (the code was lost)
    FIND_PHONE = "find_phone"
    FIND_DAYS = "find_days"
    FOUND = "found"


HELD = (Screen.TICKET, Screen.ISSUING, Screen.CHECKING, Screen.BOOKING, Screen.BOOKED)
"""Never covered by an outage or pause: a number or code on show, or due any second."""
SHOWN_RESULT = (Screen.TICKET, Screen.BOOKED)
"""Screens that return to the start by themselves after printing, or with Done."""
CHOOSING = frozenset(Screen) - {*HELD, Screen.START, Screen.OUTAGE, Screen.PAUSED}
"""Screens with Back and Start over."""
BOOKING_STEPS = CHOOSING - {Screen.GROUPS, Screen.SERVICES, Screen.PRIORITY, Screen.REFUSED}
"""The choosing screens of check-in and booking (their Back is the appointments')."""


class PrintState(StrEnum):
    NONE = "none"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


__all__ = ["BOOKING_STEPS", "CHOOSING", "HELD", "SHOWN_RESULT", "PrintState", "Screen"]
