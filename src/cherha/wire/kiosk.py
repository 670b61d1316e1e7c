"""The kiosk's own booking helpers on the wire: a slot held while the visitor types, and a
visitor's bookings found by phone number and day (no name or phone comes back)."""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, Field

from cherha.core.model import BookingStatus

from .base import ID, Reply, Request, in_language

HOLD_TOKEN_LENGTH = 64
"""The longest hold token a client may send back (POST /bookings `hold`, DELETE /holds/…)."""


class NewHold(Request):
    service_id: int = Field(ge=1, le=ID)
    start: AwareDatetime = Field(description="A slot's `start`, with its offset")


class SlotHold(Reply):
    """A place in a slot kept for one kiosk's visitor until `expires_at`."""

    token: str
    service_id: int
    start: AwareDatetime = Field(description="With the centre's offset")
    expires_at: AwareDatetime = Field(description="With the centre's offset")


class FindBookings(Request):
    phone: str = Field(min_length=1, max_length=40)
    date: dt.date | None = Field(None, description="The centre's local date; default: today")


class FoundBooking(Reply):
    """One of the bookings of a phone number on a day, as a kiosk may show it."""

    code: str = Field(description="ABC-DEF")
    service_id: int
    service_name_uk: str
    service_name_en: str
    start: AwareDatetime = Field(description="With the centre's offset")
    status: BookingStatus
    can_check_in: bool = Field(description="Today, and check-in has opened")
    check_in_from: AwareDatetime

    def service_name(self, language: str = "uk") -> str:
        return in_language(language, self.service_name_uk, self.service_name_en)


class FoundBookings(Reply):
    date: dt.date = Field(description="The day asked about (the centre's today when none given)")
    today: dt.date = Field(description="The centre's date now")
    bookings: list[FoundBooking]


__all__ = [
    "HOLD_TOKEN_LENGTH",
    "FindBookings",
    "FoundBooking",
    "FoundBookings",
    "NewHold",
    "SlotHold",
]
