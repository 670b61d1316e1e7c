"""Request and response bodies. Public ones never carry names or phone numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    error: str = Field(examples=["branch_paused"])
    message: str = Field(description="Для людини, українською")
    message_en: str = Field(description="For a person, in English")


class LoginIn(_In):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    may_call_out_of_order: bool


class LoginOut(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: UserOut


class IssueIn(_In):
    service_id: int = Field(ge=1, le=2**31 - 1)
    priority: bool = Field(default=False, description="Пільгова черга / priority lane")


class TransferIn(_In):
    service_id: int = Field(ge=1, le=2**31 - 1)


class CallTicketIn(_In):
    ticket_id: int = Field(ge=1, le=2**63 - 1)
    reason: str = Field(min_length=3, max_length=300)


class PauseIn(_In):
    reason: str = Field(default="", max_length=200)


class ServiceOut(BaseModel):
    id: int
    code: str
    prefix: str
    name_uk: str
    name_en: str
    group_uk: str
    group_en: str
    active: bool
    open_now: bool
    allow_priority: bool
    bookable: bool
    waiting: int
    estimated_wait_minutes: int
    average_service_minutes: float
    counter_ids: list[int]
    longest_wait_seconds: int


class TicketBrief(BaseModel):
    id: int
    number: str
    service_id: int
    lane: str
    status: str
    counter_id: int | None
    recall_count: int
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None


class CounterOut(BaseModel):
    id: int
    number: int
    name_uk: str
    name_en: str
    state: str
    clerk_id: int | None
    opened_at: datetime | None
    service_ids: list[int]
    current: TicketBrief | None


class IssuedTicketOut(BaseModel):
    id: int
    number: str
    service_id: int
    service_name_uk: str
    service_name_en: str
    lane: str
    status: str
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int
    public_token: str
    status_url: str
    branch_name_uk: str
    branch_name_en: str


class ClerkBookingOut(BaseModel):
    """The booking a ticket was checked in for (only staff see the name)."""

    code: str
    start: datetime
    name: str
    on_time: bool


class ClerkTicketOut(TicketBrief):
    """A ticket as the clerk's desk sees it."""

    counter_number: int | None
    service_name_uk: str
    service_name_en: str
    waited_seconds: int
    recall_limit: int
    booking: ClerkBookingOut | None = None


class TicketStatusOut(BaseModel):
    """A ticket's live status for the phone page: numbers and windows only."""

    number: str
    status: str
    lane: str
    service_name_uk: str
    service_name_en: str
    issued_at: datetime
    people_ahead: int | None
    estimated_wait_minutes: int | None
    counter_number: int | None
    called_at: datetime | None
    branch_name_uk: str
    branch_name_en: str
    branch_paused: bool


class BranchOut(BaseModel):
    id: int
    code: str
    name_uk: str
    name_en: str
    timezone: str
    paused: bool
    pause_reason: str
    paused_at: datetime | None


class CallOut(BaseModel):
    event_id: int
    at: datetime
    ticket_id: int
    number: str
    counter_id: int
    counter_number: int
    recall: bool


class BoardServiceOut(BaseModel):
    id: int
    prefix: str
    name_uk: str
    name_en: str
    waiting: int
    estimated_wait_minutes: int
    open_now: bool


class BoardOut(BaseModel):
    branch: BranchOut
    current: list[CallOut]
    last_calls: list[CallOut]
    services: list[BoardServiceOut]
    last_event_id: int
    generated_at: datetime


class HealthOut(BaseModel):
    status: str
    database: str
    version: str


class StaffTodayOut(BaseModel):
    served: int
    average_service_minutes: float | None


class DeviceStatusIn(_In):
    printer: Literal["ok", "paper_near_end", "paper_out", "cover_open", "offline", "error"]
    message: str = Field(default="", max_length=300)
    ticket_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


class DeviceOut(BaseModel):
    id: int
    name: str
    kind: str
    active: bool
    printer_status: str
    status_message: str
    status_at: datetime | None


# -- bookings ----------------------------------------------------------------------------------


class SlotOut(BaseModel):
    start: datetime = Field(description="ISO 8601 with the centre's offset")
    end: datetime
    free: int = Field(description="Places left for the asking channel")
    capacity: int


class BookingDayOut(BaseModel):
    date: date
    free: int
    slots: int


class BookingIn(_In):
    service_id: int = Field(ge=1, le=2**31 - 1)
    start: AwareDatetime = Field(description="A slot's `start`, with its offset")
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(min_length=1, max_length=40)
    hold: str | None = Field(
        None, max_length=64, description="A kiosk's slot hold for this visitor (POST /holds)"
    )

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


class CancelIn(_In):
    phone: str | None = Field(default=None, max_length=40)


class BookingOut(BaseModel):
    code: str = Field(description="ABC-DEF; accepted back in any case, with or without the dash")
    status: str
    channel: str
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
    cancel_reason: str = Field(default="", description="Why the centre cancelled it, if it did")


class CheckInBookingOut(BaseModel):
    code: str
    start: datetime
    on_time: bool


class CheckInOut(IssuedTicketOut):
    """The ticket of a checked-in booking (as POST /tickets) with the booking and a message."""

    booking: CheckInBookingOut
    message: str
    message_en: str


class BookingRulesOut(BaseModel):
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


class RequestOutcomeOut(BaseModel):
    """What a request sent with an Idempotency-Key made today (one of the three is set)."""

    action: Literal["ticket", "booking", "check_in"]
    ticket: IssuedTicketOut | None = None
    booking: BookingOut | None = None
    check_in: CheckInOut | None = None
