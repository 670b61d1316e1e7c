"""What the clerk's desk reads besides tickets: a window's waiting list, today's no-shows,
the outcomes to pick from, who is at work, the kiosks' printer faults (staff only)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from cherha.core.model import CounterState, Lane

from .base import Reply, in_language
from .tickets import ClerkBooking


class WaitingTicket(Reply):
    """One visitor in a window's waiting list, in calling order (a booking's name is shown)."""

    id: int
    number: str
    service_id: int
    lane: Lane
    issued_at: AwareDatetime
    waited_seconds: int
    handed_over: bool = Field(description="Handed over to this window or its clerk: called next")
    note: str = ""
    note_by: str = ""
    booking: ClerkBooking | None = None


class DueBooking(Reply):
    """A booking not yet checked in whose slot starts within the hour."""

    code: str
    service_id: int
    start: AwareDatetime = Field(description="The slot's start, with the centre's offset")
    name: str


class WaitingList(Reply):
    """Who waits for this window, in the order it will call them (the order call-next uses)."""

    counter_id: int
    counter_number: int
    generated_at: AwareDatetime
    tickets: tuple[WaitingTicket, ...]
    bookings_due: tuple[DueBooking, ...] = ()


class NoShow(Reply):
    """One of today's no-shows of a window's services, and until when it may be put back."""

    id: int
    number: str
    service_id: int
    service_name_uk: str
    service_name_en: str
    lane: Lane
    no_show_at: AwareDatetime
    counter_number: int | None
    return_until: AwareDatetime
    returnable: bool

    def service_name(self, language: str = "uk") -> str:
        return in_language(language, self.service_name_uk, self.service_name_en)


class Outcome(Reply):
    """What came of a visit, from the centre's short list."""

    code: str
    name_uk: str
    name_en: str

    def name(self, language: str = "uk") -> str:
        return in_language(language, self.name_uk, self.name_en)


class ClerkAtWork(Reply):
    """A clerk holding a window now (to hand a visitor over to)."""

    id: int
    name: str
    counter_id: int
    counter_number: int
    state: CounterState


class DeviceFault(Reply):
    """A kiosk whose printer needs a person (paper out, cover open …)."""

    name: str
    kind: str
    printer: str
    message: str
    since: AwareDatetime | None = None
