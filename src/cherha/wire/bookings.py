"""Appointments on the wire: slots and days, booking, cancelling, checking in at the kiosk."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field, field_validator

from cherha.core.model import BookingStatus

from .base import ID, Reply, Request, in_language
from .tickets import IssuedTicket


class Slot(Reply):
    start: AwareDatetime = Field(description="ISO 8601 with the centre's offset")
    end: AwareDatetime
    free: int = Field(description="Places left for the asking channel")
    capacity: int


class BookingDay(Reply):
    date: date
    free: int = Field(description="Places left that day; 0: closed or full")
    slots: int


class BookingRules(Reply):
    """The centre's booking rules for one service (horizon, quotas, the check-in window)."""

    timezone: str
    slot_minutes: int
    horizon_days: int
    opens_hour: int
    kiosk_share: float
    min_lead_minutes: int
    monthly_quota: int
    no_show_block: int
    no_show_window_days: int
    check_in_early_minutes: int
    check_in_late_minutes: int
    personal_data_days: int


class NewBooking(Request):
    service_id: int = Field(ge=1, le=ID)
    start: AwareDatetime = Field(description="A slot's `start`, with its offset")
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(min_length=1, max_length=40)

    @field_validator("start")
    @classmethod
    def _representable(cls, value: datetime) -> datetime:
        try:
            moment = value.astimezone(UTC)
        except OverflowError:
            raise ValueError("date out of range") from None
        if not 2000 <= moment.year <= 9000:
            raise ValueError("date out of range")
        return moment


class CancelBooking(Request):
    phone: str | None = Field(default=None, max_length=40)


class Booking(Reply):
    code: str = Field(description="ABC-DEF; accepted back in any case, with or without the dash")
    status: BookingStatus
    channel: str = Field(description="online | kiosk | desk")
    service_id: int
    service_name_uk: str
    service_name_en: str
    branch_name_uk: str
    branch_name_en: str
    start: AwareDatetime
    end: AwareDatetime
    name: str
    phone_masked: str
    created_at: AwareDatetime
    check_in_from: AwareDatetime
    check_in_until: AwareDatetime
    ticket_number: str | None
    on_time: bool | None
    qr_url: str
    cancel_url: str
    cancel_reason: str = Field(default="", description="Why the centre cancelled it, if it did")

    def service_name(self, language: str = "uk") -> str:
        return in_language(language, self.service_name_uk, self.service_name_en)

    @property
    def early_minutes(self) -> int:
        """How long before its start check-in opens."""
        return round((self.start - self.check_in_from).total_seconds() / 60)

    @property
    def late_minutes(self) -> int:
        """How long after its start the booking still keeps its place."""
        return round((self.check_in_until - self.start).total_seconds() / 60)


class CheckInBooking(Reply):
    code: str = Field(description="ABC-DEF")
    start: AwareDatetime = Field(description="The slot's start, with the centre's offset")
    on_time: bool = Field(description="False: came late, the ticket joined the queue as of now")


class CheckIn(IssuedTicket):
    """The ticket of a checked-in booking (as POST /tickets) with the booking and a message."""

    booking: CheckInBooking
    message: str
    message_en: str

    def message_in(self, language: str = "uk") -> str:
        return in_language(language, self.message, self.message_en)


class RequestOutcome(Reply):
    """What a request sent with an Idempotency-Key made today (one of the three is set)."""

    action: Literal["ticket", "booking", "check_in"]
    ticket: IssuedTicket | None = None
    booking: Booking | None = None
    check_in: CheckIn | None = None

    @property
    def issued(self) -> IssuedTicket | None:
        """The ticket to print, whether the key issued one or checked a booking in."""
        return self.ticket if self.ticket is not None else self.check_in
