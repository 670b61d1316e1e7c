"""Typed results of the desk's reads (waiting list, no-shows, outcomes, who is at work, printer
faults), parsed with pydantic; field names as in the JSON (server: api/schemas.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict


class _Reply(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


def _in_language(language: str, uk: str, en: str) -> str:
    return en if language == "en" and en else uk


class WaitingBooking(_Reply):
    code: str
    start: AwareDatetime
    """The slot's start, with the centre's offset."""
    name: str
    on_time: bool


class WaitingTicket(_Reply):
    """One visitor in a window's waiting list, in calling order."""

    id: int
    number: str
    service_id: int
    lane: str
    issued_at: AwareDatetime
    waited_seconds: int
    handed_over: bool
    """Handed over to this window or its clerk: called here next."""
    note: str = ""
    note_by: str = ""
    booking: WaitingBooking | None = None


class DueBooking(_Reply):
    code: str
    service_id: int
    start: AwareDatetime
    name: str


class WaitingList(_Reply):
    counter_id: int
    counter_number: int
    generated_at: AwareDatetime
    tickets: tuple[WaitingTicket, ...]
    bookings_due: tuple[DueBooking, ...] = ()


class NoShow(_Reply):
    id: int
    number: str
    service_id: int
    service_name_uk: str
    service_name_en: str
    lane: str
    no_show_at: AwareDatetime
    counter_number: int | None
    return_until: AwareDatetime
    returnable: bool

    def service_name(self, language: str = "uk") -> str:
        return _in_language(language, self.service_name_uk, self.service_name_en)


class Outcome(_Reply):
    code: str
    name_uk: str
    name_en: str

    def name(self, language: str = "uk") -> str:
        return _in_language(language, self.name_uk, self.name_en)


class ClerkAtWork(_Reply):
    id: int
    name: str
    counter_id: int
    counter_number: int
    state: str


class DeviceFault(_Reply):
    name: str
    kind: str
    printer: str
    message: str
    since: datetime | None = None


__all__ = [
    "ClerkAtWork",
    "DeviceFault",
    "DueBooking",
    "NoShow",
    "Outcome",
    "WaitingBooking",
    "WaitingList",
    "WaitingTicket",
]
