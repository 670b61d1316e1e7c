"""What the console lists: a day's bookings, and the audit of a day (queue events that show
first-come order was kept, with the audit log's logins, accounts, devices and set-up changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from cherha.core.booking_rules import mask_phone
from cherha.core.model import BookingStatus, EventType

from .booking_slots import local_midnight_utc
from .db import Database
from .models import AuditEntry, Booking, Branch, Event, Service, Ticket

AUDITED_EVENTS = (EventType.BRANCH_PAUSED, EventType.BRANCH_RESUMED, EventType.TICKET_CALLED)
"""Queue events the audit shows (calls only when out of order: see `audit_day`)."""


@dataclass(frozen=True, slots=True)
class BookingRow:
    id: int
    code: str
    service: Service
    slot_start: datetime
    name: str
    phone_masked: str
    state: str
    """booked, checked_in, late, no_show, cancelled, expired"""
    cancel_reason: str
    ticket_number: str | None


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    address: str


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return local_midnight_utc(day, tz), local_midnight_utc(day + timedelta(days=1), tz)


def bookings_of_day(
    db: Database,
    branch: Branch,
    day: date,
    service_id: int | None,
    now: datetime,
) -> list[BookingRow]:
    start, end = day_bounds(day, branch.timezone)
    query = select(Booking).where(
        Booking.branch_id == branch.id, Booking.slot_start >= start, Booking.slot_start < end
    )
    if service_id is not None:
        query = query.where(Booking.service_id == service_id)
    return _rows(db, branch, query.order_by(Booking.slot_start, Booking.id), now)


def bookings_found(
    db: Database,
    branch: Branch,
    code: str | None,
    phone_hash: str | None,
    now: datetime,
) -> list[BookingRow]:
    """Bookings with this code, or of this phone (by its keyed hash), newest first."""
    conditions = []
    if code:
        conditions.append(Booking.code == code)
    if phone_hash:
        conditions.append(Booking.phone_hash == phone_hash)
    if not conditions:
        return []
    query = (
        select(Booking)
        .where(Booking.branch_id == branch.id, or_(*conditions))
        .order_by(Booking.slot_start.desc())
        .limit(100)
    )
    return _rows(db, branch, query, now)


def _rows(db: Database, branch: Branch, query: Any, now: datetime) -> list[BookingRow]:
    with db.read() as session:
        bookings = list(session.scalars(query))
        services = {
            s.id: s for s in session.scalars(select(Service).where(Service.branch_id == branch.id))
        }
        ticket_ids = [b.ticket_id for b in bookings if b.ticket_id]
        numbers = (
            dict(
                session.execute(
                    select(Ticket.id, Ticket.number).where(Ticket.id.in_(ticket_ids))
                ).all()
            )
            if ticket_ids
            else {}
        )
    late_after = timedelta(minutes=branch.check_in_late_minutes)
    return [
        BookingRow(
            id=b.id,
            code=b.code,
            service=services[b.service_id],
            slot_start=b.slot_start,
            name=b.name,
            phone_masked=mask_phone(b.phone),
            state=_state(b, now, late_after),
            cancel_reason=b.cancel_reason,
            ticket_number=numbers.get(b.ticket_id) if b.ticket_id else None,
        )
        for b in bookings
    ]


def _state(b: Booking, now: datetime, late_after: timedelta) -> str:
    if b.status == BookingStatus.CHECKED_IN and b.on_time is False:
        return "late"
    if b.status == BookingStatus.BOOKED and now > b.slot_start + late_after:
        return "late"
    return b.status


def audit_day(
    db: Database, branch: Branch, day: date, person: str | None, limit: int = 1000
) -> list[AuditRow]:
    """The day's audit, newest first: out-of-order calls with their reason, pauses, logins and
    failed logins, accounts, devices and set-up changes with before and after."""
    start, end = day_bounds(day, branch.timezone)
    actor = f"user:{person}" if person else None
    with db.read() as session:
        events = select(Event).where(
            Event.branch_id == branch.id,
            Event.at >= start,
            Event.at < end,
            Event.type.in_(AUDITED_EVENTS),
        )
        entries = select(AuditEntry).where(
            or_(AuditEntry.branch_id == branch.id, AuditEntry.branch_id.is_(None)),
            AuditEntry.at >= start,
            AuditEntry.at < end,
        )
        if actor:
            events = events.where(Event.actor == actor)
            entries = entries.where(or_(AuditEntry.actor == actor, AuditEntry.target == person))
        rows = [
            AuditRow(e.at, e.actor, e.type, _event_target(e), dict(e.data), "")
            for e in session.scalars(events.order_by(Event.id.desc()).limit(limit))
            if e.type != "ticket_called" or e.data.get("out_of_order")
        ]
        rows += [
            AuditRow(a.at, a.actor, a.action, a.target, dict(a.data), a.address)
            for a in session.scalars(entries.order_by(AuditEntry.id.desc()).limit(limit))
        ]
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:limit]


def _event_target(e: Event) -> str:
    if e.type == EventType.TICKET_CALLED:
        return f"{e.data.get('number', '')} → {e.data.get('counter_number', '')}"
    return str(e.data.get("reason", ""))
