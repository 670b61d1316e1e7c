"""The centre as the API shows it: services, windows, the branch, the hall board, devices."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from cherha.core.model import CounterState

from .base import BIG_ID, Reply, Request, in_language
from .tickets import TicketBrief


class Service(Reply):
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
    bookable: bool = Field(description="May be booked ahead")
    waiting: int
    estimated_wait_minutes: int
    average_service_minutes: float
    counter_ids: tuple[int, ...]
    longest_wait_seconds: int

    def name(self, language: str = "uk") -> str:
        return in_language(language, self.name_uk, self.name_en)


class Counter(Reply):
    """A window (вікно) with its state and the ticket at it, if any."""

    id: int
    number: int
    name_uk: str
    name_en: str
    state: CounterState
    clerk_id: int | None
    opened_at: AwareDatetime | None
    service_ids: tuple[int, ...]
    current: TicketBrief | None


class Branch(Reply):
    id: int
    code: str
    name_uk: str
    name_en: str
    timezone: str
    paused: bool
    pause_reason: str
    paused_at: AwareDatetime | None


class PauseBranch(Request):
    reason: str = Field(default="", max_length=200)


class Call(Reply):
    """One call of a ticket to a window, as the hall display lists it."""

    event_id: int
    at: AwareDatetime
    ticket_id: int
    number: str
    counter_id: int
    counter_number: int
    recall: bool


class BoardService(Reply):
    id: int
    prefix: str
    name_uk: str
    name_en: str
    waiting: int
    estimated_wait_minutes: int
    open_now: bool


class Board(Reply):
    """What the hall display shows, with the event id to resume the stream from."""

    branch: Branch
    current: tuple[Call, ...]
    last_calls: tuple[Call, ...]
    services: tuple[BoardService, ...]
    last_event_id: int
    generated_at: AwareDatetime


class Health(Reply):
    status: str
    database: str
    version: str


class StaffToday(Reply):
    """The logged-in clerk's figures for today."""

    served: int
    average_service_minutes: float | None


PrinterState = Literal["ok", "paper_near_end", "paper_out", "cover_open", "offline", "error"]


class DeviceStatusReport(Request):
    """A kiosk tells the server its printer's state."""

    printer: PrinterState
    message: str = Field(default="", max_length=300)
    ticket_id: int | None = Field(default=None, ge=1, le=BIG_ID)


class Device(Reply):
    id: int
    name: str
    kind: str
    active: bool
    printer_status: str
    status_message: str
    status_at: AwareDatetime | None
