"""Typed results of the booking API (slots, days, rules, bookings, check-in), datetimes aware.

Mirrors SlotOut, BookingDayOut, BookingRulesOut, BookingOut and CheckInOut of
cherha/server/api/schemas.py. Booking codes travel as «ABC-DEF»; `booking_code` finds one in
whatever a visitor typed or a scanner read (the plain code or a link ending with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from .models import IssuedTicket, Json

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""The server's alphabet (cherha.core.booking_rules): no 0/O, 1/I/L."""
CODE_LENGTH = 6

# The code at the very end of a payload: «ABC-DEF», «abcdef», «…/book/qr/ABC-DEF.png»,
# «…/book/cancel?code=ABC-DEF»; preceded by nothing or by a character that is not part of it.
_TAIL = re.compile(r"(?:^|[^0-9A-Z])([0-9A-Z]{3})[\s\-–—_.]?([0-9A-Z]{3})$")


def _dt(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def normalise_code(text: str) -> str | None:
    """Any case, with or without the dash → «ABCDEF»; None when it cannot be a booking code."""
    code = re.sub(r"[\s\-–—_.]+", "", text.strip()).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def format_code(code: str) -> str:
    """«ABCDEF» → «ABC-DEF»; a shorter, partly typed code keeps its dash after three."""
    return code if len(code) <= 3 else f"{code[:3]}-{code[3:]}"


def booking_code(payload: str) -> str | None:
    """The booking code («ABCDEF») a QR code or a typed text holds, or None.

    Accepts the plain code in any case, with or without the dash, and links that end with it
    (the booking page's QR picture `/book/qr/ABC-DEF.png`, `/book/cancel?code=ABC-DEF`).
    """
    text = payload.strip().rstrip("/").upper().removesuffix(".PNG")
    direct = normalise_code(text)
    if direct is not None:
        return direct
    match = _TAIL.search(text)
    if match is None:
        return None
    return normalise_code(match.group(1) + match.group(2))


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # with the centre's offset
    end: datetime
    free: int  # places left for the asking channel
    capacity: int

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(_dt(d["start"]), _dt(d["end"]), int(d["free"]), int(d["capacity"]))


@dataclass(frozen=True, slots=True)
class BookingDay:
    date: date
    free: int  # 0: closed or full
    slots: int

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(date.fromisoformat(str(d["date"])), int(d["free"]), int(d["slots"]))


@dataclass(frozen=True, slots=True)
class BookingRules:
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

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            timezone=str(d["timezone"]),
            slot_minutes=int(d["slot_minutes"]),
            horizon_days=int(d["horizon_days"]),
            opens_hour=int(d["opens_hour"]),
            kiosk_share=float(d["kiosk_share"]),
            min_lead_minutes=int(d["min_lead_minutes"]),
            monthly_quota=int(d["monthly_quota"]),
            no_show_block=int(d["no_show_block"]),
            no_show_window_days=int(d["no_show_window_days"]),
            check_in_early_minutes=int(d["check_in_early_minutes"]),
            check_in_late_minutes=int(d["check_in_late_minutes"]),
            personal_data_days=int(d["personal_data_days"]),
        )


@dataclass(frozen=True, slots=True)
class Booking:
    code: str  # «ABC-DEF»
    status: str  # booked | checked_in | cancelled | no_show | expired
    channel: str  # online | kiosk | desk
    service_id: int
    service_name_uk: str
    service_name_en: str
    branch_name_uk: str
    branch_name_en: str
    start: datetime
    end: datetime
    name: str
    phone_masked: str
    created_at: datetime
    check_in_from: datetime
    check_in_until: datetime
    ticket_number: str | None
    on_time: bool | None
    qr_url: str
    cancel_url: str
    telegram_url: str | None = None  # the bot's link: confirmation, reminders, cancel

    def service_name(self, language: str = "uk") -> str:
        return (
            self.service_name_en
            if language == "en" and self.service_name_en
            else self.service_name_uk
        )

    @property
    def early_minutes(self) -> int:
        """How long before its start check-in opens."""
        return round((self.start - self.check_in_from).total_seconds() / 60)

    @property
    def late_minutes(self) -> int:
        """How long after its start the booking still keeps its place."""
        return round((self.check_in_until - self.start).total_seconds() / 60)

    @classmethod
    def from_json(cls, d: Json) -> Self:
        on_time = d.get("on_time")
        number = d.get("ticket_number")
        return cls(
            code=str(d["code"]),
            status=str(d["status"]),
            channel=str(d["channel"]),
            service_id=int(d["service_id"]),
            service_name_uk=str(d["service_name_uk"]),
            service_name_en=str(d.get("service_name_en") or ""),
            branch_name_uk=str(d["branch_name_uk"]),
            branch_name_en=str(d.get("branch_name_en") or ""),
            start=_dt(d["start"]),
            end=_dt(d["end"]),
            name=str(d.get("name") or ""),
            phone_masked=str(d.get("phone_masked") or ""),
            created_at=_dt(d["created_at"]),
            check_in_from=_dt(d["check_in_from"]),
            check_in_until=_dt(d["check_in_until"]),
            ticket_number=None if number is None else str(number),
            on_time=None if on_time is None else bool(on_time),
            qr_url=str(d.get("qr_url") or ""),
            cancel_url=str(d.get("cancel_url") or ""),
            telegram_url=str(d["telegram_url"]) if d.get("telegram_url") else None,
        )


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A checked-in booking: its ticket (as from POST /tickets) and where it stands."""

    ticket: IssuedTicket
    code: str  # «ABC-DEF»
    slot_start: datetime  # with the centre's offset
    on_time: bool  # False: came late, the ticket joined the general queue as of now
    message_uk: str
    message_en: str

    def message(self, language: str = "uk") -> str:
        return self.message_en if language == "en" and self.message_en else self.message_uk

    @classmethod
    def from_json(cls, d: Json) -> Self:
        booking = d["booking"]
        return cls(
            ticket=IssuedTicket.from_json(d),
            code=str(booking["code"]),
            slot_start=_dt(booking["start"]),
            on_time=bool(booking["on_time"]),
            message_uk=str(d.get("message") or ""),
            message_en=str(d.get("message_en") or ""),
        )


__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "Booking",
    "BookingDay",
    "BookingRules",
    "CheckIn",
    "Slot",
    "booking_code",
    "format_code",
    "normalise_code",
]
