"""Typed results of the API, mirroring cherha/server/api/schemas.py (datetimes parsed, aware)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self

Json = dict[str, Any]


def _dt(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _opt_dt(value: Any) -> datetime | None:
    return None if value is None else _dt(value)


def _opt_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    may_call_out_of_order: bool = False

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            int(d["id"]),
            str(d["username"]),
            str(d["role"]),
            bool(d.get("may_call_out_of_order", False)),
        )


@dataclass(frozen=True, slots=True)
class LoginResult:
    token: str
    expires_at: datetime
    user: User

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(str(d["token"]), _dt(d["expires_at"]), User.from_json(d["user"]))


@dataclass(frozen=True, slots=True)
class Service:
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
    waiting: int
    estimated_wait_minutes: int
    average_service_minutes: float
    counter_ids: tuple[int, ...]
    longest_wait_seconds: int
    bookable: bool = True  # may be booked ahead (servers before appointments: always)

    def name(self, language: str = "uk") -> str:
        return self.name_en if language == "en" and self.name_en else self.name_uk

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            id=int(d["id"]),
            code=str(d["code"]),
            prefix=str(d["prefix"]),
            name_uk=str(d["name_uk"]),
            name_en=str(d["name_en"]),
            group_uk=str(d.get("group_uk", "")),
            group_en=str(d.get("group_en", "")),
            active=bool(d["active"]),
            open_now=bool(d["open_now"]),
            allow_priority=bool(d["allow_priority"]),
            waiting=int(d["waiting"]),
            estimated_wait_minutes=int(d["estimated_wait_minutes"]),
            average_service_minutes=float(d["average_service_minutes"]),
            counter_ids=tuple(int(c) for c in d.get("counter_ids", ())),
            longest_wait_seconds=int(d.get("longest_wait_seconds", 0)),
            bookable=bool(d.get("bookable", True)),
        )


@dataclass(frozen=True, slots=True)
class TicketBrief:
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

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            id=int(d["id"]),
            number=str(d["number"]),
            service_id=int(d["service_id"]),
            lane=str(d["lane"]),
            status=str(d["status"]),
            counter_id=_opt_int(d.get("counter_id")),
            recall_count=int(d.get("recall_count", 0)),
            issued_at=_dt(d["issued_at"]),
            called_at=_opt_dt(d.get("called_at")),
            started_at=_opt_dt(d.get("started_at")),
        )


@dataclass(frozen=True, slots=True)
class BookingInfo:
    """Booking details of a ticket that came from a booking (staff views only).

    `on_time` is False when the visitor checked in after the window and joined as a walk-in;
    None when the server did not say.
    """

    code: str
    slot_start: datetime
    name: str = ""
    on_time: bool | None = None

    @classmethod
    def from_json(cls, d: Json) -> Self:
        on_time = d.get("on_time")
        return cls(
            str(d["code"]),
            _dt(d["start"]),
            str(d.get("name") or ""),
            None if on_time is None else bool(on_time),
        )


@dataclass(frozen=True, slots=True)
class ClerkTicket:
    """A ticket as the clerk's desk sees it."""

    id: int
    number: str
    service_id: int
    service_name_uk: str
    service_name_en: str
    lane: str
    status: str
    counter_id: int | None
    counter_number: int | None
    recall_count: int
    recall_limit: int
    waited_seconds: int
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    booking: BookingInfo | None = None

    def service_name(self, language: str = "uk") -> str:
        return (
            self.service_name_en
            if language == "en" and self.service_name_en
            else self.service_name_uk
        )

    @property
    def at_counter(self) -> bool:
        return self.status in ("called", "serving")

    @classmethod
    def from_json(cls, d: Json) -> Self:
        booking = d.get("booking")
        return cls(
            id=int(d["id"]),
            number=str(d["number"]),
            service_id=int(d["service_id"]),
            service_name_uk=str(d["service_name_uk"]),
            service_name_en=str(d["service_name_en"]),
            lane=str(d["lane"]),
            status=str(d["status"]),
            counter_id=_opt_int(d.get("counter_id")),
            counter_number=_opt_int(d.get("counter_number")),
            recall_count=int(d.get("recall_count", 0)),
            recall_limit=int(d.get("recall_limit", 0)),
            waited_seconds=int(d.get("waited_seconds", 0)),
            issued_at=_dt(d["issued_at"]),
            called_at=_opt_dt(d.get("called_at")),
            started_at=_opt_dt(d.get("started_at")),
            booking=BookingInfo.from_json(booking) if isinstance(booking, dict) else None,
        )


@dataclass(frozen=True, slots=True)
class Counter:
    """A window (вікно) with its state and the ticket at it, if any."""

    id: int
    number: int
    name_uk: str
    name_en: str
    state: str
    clerk_id: int | None
    opened_at: datetime | None
    service_ids: tuple[int, ...]
    current: TicketBrief | None

    @classmethod
    def from_json(cls, d: Json) -> Self:
        current = d.get("current")
        return cls(
            id=int(d["id"]),
            number=int(d["number"]),
            name_uk=str(d.get("name_uk", "")),
            name_en=str(d.get("name_en", "")),
            state=str(d["state"]),
            clerk_id=_opt_int(d.get("clerk_id")),
            opened_at=_opt_dt(d.get("opened_at")),
            service_ids=tuple(int(s) for s in d.get("service_ids", ())),
            current=TicketBrief.from_json(current) if isinstance(current, dict) else None,
        )


@dataclass(frozen=True, slots=True)
class IssuedTicket:
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
    telegram_url: str | None = None  # the bot's link, when the centre has a Telegram bot

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            id=int(d["id"]),
            number=str(d["number"]),
            service_id=int(d["service_id"]),
            service_name_uk=str(d["service_name_uk"]),
            service_name_en=str(d["service_name_en"]),
            lane=str(d["lane"]),
            status=str(d["status"]),
            issued_at=_dt(d["issued_at"]),
            people_ahead=int(d["people_ahead"]),
            estimated_wait_minutes=int(d["estimated_wait_minutes"]),
            public_token=str(d["public_token"]),
            status_url=str(d["status_url"]),
            branch_name_uk=str(d["branch_name_uk"]),
            branch_name_en=str(d["branch_name_en"]),
            telegram_url=_opt_str(d.get("telegram_url")),
        )


@dataclass(frozen=True, slots=True)
class TicketStatus:
    """A ticket's live status for a phone page: numbers and windows only."""

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

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            number=str(d["number"]),
            status=str(d["status"]),
            lane=str(d["lane"]),
            service_name_uk=str(d["service_name_uk"]),
            service_name_en=str(d["service_name_en"]),
            issued_at=_dt(d["issued_at"]),
            people_ahead=_opt_int(d.get("people_ahead")),
            estimated_wait_minutes=_opt_int(d.get("estimated_wait_minutes")),
            counter_number=_opt_int(d.get("counter_number")),
            called_at=_opt_dt(d.get("called_at")),
            branch_name_uk=str(d["branch_name_uk"]),
            branch_name_en=str(d["branch_name_en"]),
            branch_paused=bool(d["branch_paused"]),
        )


@dataclass(frozen=True, slots=True)
class Branch:
    id: int
    code: str
    name_uk: str
    name_en: str
    timezone: str
    paused: bool
    pause_reason: str
    paused_at: datetime | None

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            id=int(d["id"]),
            code=str(d["code"]),
            name_uk=str(d["name_uk"]),
            name_en=str(d["name_en"]),
            timezone=str(d["timezone"]),
            paused=bool(d["paused"]),
            pause_reason=str(d.get("pause_reason") or ""),
            paused_at=_opt_dt(d.get("paused_at")),
        )


@dataclass(frozen=True, slots=True)
class Call:
    event_id: int
    at: datetime
    ticket_id: int
    number: str
    counter_id: int
    counter_number: int
    recall: bool

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            event_id=int(d["event_id"]),
            at=_dt(d["at"]),
            ticket_id=int(d["ticket_id"]),
            number=str(d["number"]),
            counter_id=int(d["counter_id"]),
            counter_number=int(d["counter_number"]),
            recall=bool(d["recall"]),
        )


@dataclass(frozen=True, slots=True)
class BoardService:
    id: int
    prefix: str
    name_uk: str
    name_en: str
    waiting: int
    estimated_wait_minutes: int
    open_now: bool

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            id=int(d["id"]),
            prefix=str(d["prefix"]),
            name_uk=str(d["name_uk"]),
            name_en=str(d["name_en"]),
            waiting=int(d["waiting"]),
            estimated_wait_minutes=int(d["estimated_wait_minutes"]),
            open_now=bool(d["open_now"]),
        )


@dataclass(frozen=True, slots=True)
class Board:
    """What the hall display shows, with the event id to resume the stream from."""

    branch: Branch
    current: tuple[Call, ...]
    last_calls: tuple[Call, ...]
    services: tuple[BoardService, ...]
    last_event_id: int
    generated_at: datetime

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            branch=Branch.from_json(d["branch"]),
            current=tuple(Call.from_json(c) for c in d["current"]),
            last_calls=tuple(Call.from_json(c) for c in d["last_calls"]),
            services=tuple(BoardService.from_json(s) for s in d["services"]),
            last_event_id=int(d["last_event_id"]),
            generated_at=_dt(d["generated_at"]),
        )


@dataclass(frozen=True, slots=True)
class Health:
    status: str
    database: str
    version: str

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(str(d["status"]), str(d["database"]), str(d["version"]))


@dataclass(frozen=True, slots=True)
class StaffToday:
    """The logged-in clerk's figures for today."""

    served: int
    average_service_minutes: float | None

    @classmethod
    def from_json(cls, d: Json) -> Self:
        avg = d.get("average_service_minutes")
        return cls(int(d["served"]), None if avg is None else float(avg))


@dataclass(frozen=True, slots=True)
class Event:
    """One event of the stream: `data` is the event's own data (number, service_id, …)."""

    id: int
    type: str
    data: Json = field(default_factory=dict)
    at: datetime | None = None
    ticket_id: int | None = None
    counter_id: int | None = None

    @classmethod
    def from_payload(cls, event_id: int, event_type: str, payload: Json) -> Self:
        inner = payload.get("data")
        return cls(
            id=int(payload.get("id", event_id)),
            type=str(payload.get("type") or event_type),
            data=inner if isinstance(inner, dict) else {},
            at=_opt_dt(payload.get("at")),
            ticket_id=_opt_int(payload.get("ticket_id")),
            counter_id=_opt_int(payload.get("counter_id")),
        )


__all__ = [
    "Board",
    "BoardService",
    "BookingInfo",
    "Branch",
    "Call",
    "ClerkTicket",
    "Counter",
    "Event",
    "Health",
    "IssuedTicket",
    "LoginResult",
    "Service",
    "StaffToday",
    "TicketBrief",
    "TicketStatus",
    "User",
]
