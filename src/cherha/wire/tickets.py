"""Tickets on the wire: taking one, the clerk's view of one, its live status on a phone."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from cherha.core.model import AT_COUNTER_STATUSES, Lane, TicketStatus

from .base import BIG_ID, ID, Reply, Request, in_language


class IssueTicket(Request):
    service_id: int = Field(ge=1, le=ID)
    priority: bool = Field(default=False, description="Пільгова черга / priority lane")


class Transfer(Request):
    service_id: int = Field(ge=1, le=ID)


class CallTicket(Request):
    """Calling one ticket out of order: needs the permission and a reason."""

    ticket_id: int = Field(ge=1, le=BIG_ID)
    reason: str = Field(min_length=3, max_length=300)


class TicketBrief(Reply):
    id: int
    number: str
    service_id: int
    lane: Lane
    status: TicketStatus
    counter_id: int | None
    recall_count: int
    issued_at: AwareDatetime
    called_at: AwareDatetime | None
    started_at: AwareDatetime | None


class IssuedTicket(Reply):
    """A ticket just taken, with where it stands and the address of its phone page."""

    id: int
    number: str = Field(examples=["A015"])
    service_id: int
    service_name_uk: str
    service_name_en: str
    lane: Lane
    status: TicketStatus
    issued_at: AwareDatetime
    people_ahead: int
    estimated_wait_minutes: int
    public_token: str
    status_url: str
    branch_name_uk: str
    branch_name_en: str

    def service_name(self, language: str = "uk") -> str:
        return in_language(language, self.service_name_uk, self.service_name_en)


class ClerkBooking(Reply):
    """The booking a ticket was checked in for (only staff see the name).

    `on_time` is False when the visitor came after the check-in window and joined as a walk-in.
    """

    code: str = Field(description="ABC-DEF")
    start: AwareDatetime = Field(description="The slot's start, with the centre's offset")
    name: str
    on_time: bool


class ClerkTicket(TicketBrief):
    """A ticket as the clerk's desk sees it."""

    counter_number: int | None
    service_name_uk: str
    service_name_en: str
    waited_seconds: int
    recall_limit: int
    booking: ClerkBooking | None = None

    def service_name(self, language: str = "uk") -> str:
        return in_language(language, self.service_name_uk, self.service_name_en)

    @property
    def at_counter(self) -> bool:
        """Called to a window or being served there."""
        return self.status in AT_COUNTER_STATUSES


class PublicTicket(Reply):
    """A ticket's live status for the phone page: numbers and windows only, no personal data."""

    number: str
    status: TicketStatus
    lane: Lane
    service_name_uk: str
    service_name_en: str
    issued_at: AwareDatetime
    people_ahead: int | None
    estimated_wait_minutes: int | None
    counter_number: int | None
    called_at: AwareDatetime | None
    branch_name_uk: str
    branch_name_en: str
    branch_paused: bool
