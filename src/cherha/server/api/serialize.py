"""From store rows and views to response bodies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cherha.core.booking_rules import format_code

from ..store.issuing import Issued
from ..store.models import Booking, Branch, Counter, Service, Ticket
from ..store.views import BoardView, CallView, CounterView, ServiceView, TicketView
from . import schemas


def branch(b: Branch) -> schemas.BranchOut:
    return schemas.BranchOut(
        id=b.id,
        code=b.code,
        name_uk=b.name_uk,
        name_en=b.name_en,
        timezone=b.timezone,
        paused=b.paused,
        pause_reason=b.pause_reason,
        paused_at=b.paused_at,
    )


def service(v: ServiceView) -> schemas.ServiceOut:
    s = v.service
    return schemas.ServiceOut(
        id=s.id,
        code=s.code,
        prefix=s.prefix,
        name_uk=s.name_uk,
        name_en=s.name_en,
        group_uk=s.group_uk,
        group_en=s.group_en,
        active=s.active,
        open_now=v.open_now,
        allow_priority=s.allow_priority,
        bookable=s.bookable,
        waiting=v.waiting,
        estimated_wait_minutes=v.estimated_wait_minutes,
        average_service_minutes=round(s.average_seconds / 60, 1),
        counter_ids=v.counter_ids,
        longest_wait_seconds=v.longest_wait_seconds,
    )


def brief(t: Ticket) -> schemas.TicketBrief:
    return schemas.TicketBrief(
        id=t.id,
        number=t.number,
        service_id=t.service_id,
        lane=t.lane,
        status=t.status,
        counter_id=t.counter_id,
        recall_count=t.recall_count,
        issued_at=t.issued_at,
        called_at=t.called_at,
        started_at=t.started_at,
    )


def counter(v: CounterView) -> schemas.CounterOut:
    c = v.counter
    return schemas.CounterOut(
        id=c.id,
        number=c.number,
        name_uk=c.name_uk,
        name_en=c.name_en,
        state=c.state,
        clerk_id=c.clerk_id,
        opened_at=c.opened_at,
        service_ids=v.service_ids,
        current=brief(v.current) if v.current else None,
    )


def counter_row(c: Counter, service_ids: list[int], current: Ticket | None) -> schemas.CounterOut:
    return counter(CounterView(c, service_ids, current))


def issued(i: Issued, base_url: str, telegram_url: str | None = None) -> schemas.IssuedTicketOut:
    t = i.ticket
    return schemas.IssuedTicketOut(
        id=t.id,
        number=t.number,
        service_id=t.service_id,
        service_name_uk=i.service.name_uk,
        service_name_en=i.service.name_en,
        lane=t.lane,
        status=t.status,
        issued_at=t.issued_at,
        people_ahead=i.people_ahead,
        estimated_wait_minutes=i.estimated_wait_minutes,
        public_token=t.public_token,
        status_url=f"{base_url}/t/{t.public_token}",
        branch_name_uk=i.branch.name_uk,
        branch_name_en=i.branch.name_en,
        telegram_url=telegram_url,
    )


def clerk_booking(b: Booking | None, timezone: str) -> schemas.ClerkBookingOut | None:
    """What the desk shows about a booked visitor: code, slot (local time), name, on time."""
    if b is None:
        return None
    return schemas.ClerkBookingOut(
        code=format_code(b.code),
        start=b.slot_start.astimezone(ZoneInfo(timezone)),
        name=b.name,
        on_time=bool(b.on_time),
    )


def clerk_ticket(
    t: Ticket,
    s: Service,
    b: Branch,
    counter_number: int | None,
    now: datetime,
    booking: Booking | None = None,
) -> schemas.ClerkTicketOut:
    waited_until = t.called_at or now
    return schemas.ClerkTicketOut(
        **brief(t).model_dump(),
        counter_number=counter_number,
        service_name_uk=s.name_uk,
        service_name_en=s.name_en,
        waited_seconds=max(0, int((waited_until - t.issued_at).total_seconds())),
        recall_limit=b.recall_limit,
        booking=clerk_booking(booking, b.timezone),
    )


def ticket_status(v: TicketView) -> schemas.TicketStatusOut:
    t = v.ticket
    return schemas.TicketStatusOut(
        number=t.number,
        status=t.status,
        lane=t.lane,
        service_name_uk=v.service.name_uk,
        service_name_en=v.service.name_en,
        issued_at=t.issued_at,
        people_ahead=v.people_ahead,
        estimated_wait_minutes=v.estimated_wait_minutes,
        counter_number=v.counter_number,
        called_at=t.called_at,
        branch_name_uk=v.branch.name_uk,
        branch_name_en=v.branch.name_en,
        branch_paused=v.branch.paused,
    )


def call(c: CallView) -> schemas.CallOut:
    return schemas.CallOut(
        event_id=c.event_id,
        at=c.at,
        ticket_id=c.ticket_id,
        number=c.number,
        counter_id=c.counter_id,
        counter_number=c.counter_number,
        recall=c.recall,
    )


def board(v: BoardView) -> schemas.BoardOut:
    return schemas.BoardOut(
        branch=branch(v.branch),
        current=[call(c) for c in v.current],
        last_calls=[call(c) for c in v.last_calls],
        services=[
            schemas.BoardServiceOut(
                id=s.service.id,
                prefix=s.service.prefix,
                name_uk=s.service.name_uk,
                name_en=s.service.name_en,
                waiting=s.waiting,
                estimated_wait_minutes=s.estimated_wait_minutes,
                open_now=s.open_now,
            )
            for s in v.services
            if s.service.active
        ],
        last_event_id=v.last_event_id,
        generated_at=v.generated_at,
    )
