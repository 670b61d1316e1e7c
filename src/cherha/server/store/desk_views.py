"""What the clerk's desk reads: the waiting list in calling order, today's no-shows, the centre's
outcomes, the clerk's own day and the kiosks' printer faults.

The waiting list is `cherha.core.ordering.calling_order` over exactly the tickets call-next may
take (`lines.callable_by`): the list is the order the window will call in, by the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cherha.core.model import (
    BookingStatus,
    CounterState,
    EventType,
    Lane,
    TicketState,
    TicketStatus,
)
from cherha.core.numbering import local_day, start_of_local_day
from cherha.core.ordering import CallPolicy, calling_order
from cherha.core.tickets import return_deadline

from .clock import Clock, utcnow
from .db import Database
from .lines import callable_by
from .models import (
    Booking,
    Branch,
    Counter,
    Device,
    Event,
    Outcome,
    Service,
    Ticket,
    User,
)
from .outcomes import active_outcomes
from .records import get_branch, get_counter, served_service_ids, to_state
from .tickets import ticket_rules

DUE_WITHIN = timedelta(hours=1)
"""Bookings not yet checked in are listed when their slot starts within this time."""
HEALTHY_PRINTER = ("ok", "unknown")


class Waiting(NamedTuple):
    """The columns of a waiting ticket the list needs (a list of hundreds reads only these)."""

    id: int
    number: str
    service_id: int
    lane: str
    order_key: datetime
    issued_at: datetime
    booking_id: int | None
    note: str
    note_by: str
    target_counter_id: int | None
    target_clerk_id: int | None

    def state(self) -> TicketState:
        return TicketState(
            id=self.id,
            service_id=self.service_id,
            lane=Lane(self.lane),
            order_key=self.order_key,
            target_counter_id=self.target_counter_id,
            target_clerk_id=self.target_clerk_id,
        )


WAITING_COLUMNS = [getattr(Ticket, name) for name in Waiting._fields]


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    ticket: Waiting
    booking: Booking | None
    handed_over: bool
    """Handed over to this window or to its clerk (called here next)."""


@dataclass(frozen=True, slots=True)
class WaitingList:
    counter: Counter
    branch: Branch
    entries: list[WaitingEntry]
    due: list[Booking]
    """Bookings for this window's services due soon and not yet checked in."""
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class NoShowView:
    ticket: Ticket
    service_name_uk: str
    service_name_en: str
    counter_number: int | None
    return_until: datetime
    returnable: bool


@dataclass(frozen=True, slots=True)
class StaffDayView:
    """The clerk's day so far (the branch's local day). The line now is the waiting list's."""

    served: int
    average_service_seconds: float | None
    no_shows: int
    transferred: int
    cancelled: int
    break_seconds: int


class DeskViews:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def waiting_list(self, counter_id: int) -> WaitingList:
        with self.db.read() as session:
            counter = get_counter(session, counter_id)
            branch = get_branch(session, counter.branch_id)
            now = self.clock()
            served = served_service_ids(session, counter.id)
            entries = _entries(session, counter, branch, served)
            due = list(
                session.scalars(
                    select(Booking)
                    .where(
                        Booking.branch_id == branch.id,
                        Booking.service_id.in_(served),
                        Booking.status == BookingStatus.BOOKED,
                        Booking.slot_start >= now - timedelta(minutes=branch.check_in_late_minutes),
                        Booking.slot_start <= now + DUE_WITHIN,
                    )
                    .order_by(Booking.slot_start, Booking.id)
                )
            )
            return WaitingList(counter, branch, entries, due, now)

    def no_shows(self, counter_id: int) -> list[NoShowView]:
        """Today's no-shows of this window's services or called here, newest first."""
        with self.db.read() as session:
            counter = get_counter(session, counter_id)
            branch = get_branch(session, counter.branch_id)
            now = self.clock()
            served = served_service_ids(session, counter.id)
            rows = session.scalars(
                select(Ticket)
                .where(
                    Ticket.branch_id == branch.id,
                    Ticket.day == local_day(now, branch.timezone),
                    Ticket.status == TicketStatus.NO_SHOW,
                    or_(Ticket.service_id.in_(served), Ticket.counter_id == counter.id),
                )
                .order_by(Ticket.no_show_at.desc(), Ticket.id.desc())
            ).all()
            numbers = {c.id: c.number for c in session.scalars(select(Counter))}
            names = {
                s.id: (s.name_uk, s.name_en)
                for s in session.scalars(select(Service).where(Service.branch_id == branch.id))
            }
            rules = ticket_rules(branch)
            views = []
            for row in rows:
                until = return_deadline(to_state(row), rules)
                assert until is not None
                views.append(
                    NoShowView(
                        row,
                        *names[row.service_id],
                        numbers.get(row.counter_id) if row.counter_id else None,
                        until,
                        now <= until,
                    )
                )
            return views

    def outcomes(self, branch_id: int) -> list[Outcome]:
        with self.db.read() as session:
            return active_outcomes(session, get_branch(session, branch_id).id)

    def staff_day(self, username: str, branch_id: int) -> StaffDayView:
        with self.db.read() as session:
            branch = get_branch(session, branch_id)
            now = self.clock()
            since = start_of_local_day(now, branch.timezone)
            actor = f"user:{username}"
            served, average = _served(session, branch, local_day(now, branch.timezone), actor)
            counts: dict[str, int] = {
                row.type: row.n
                for row in session.execute(
                    select(Event.type, func.count(Event.id).label("n"))
                    .where(
                        Event.branch_id == branch.id,
                        Event.at >= since,
                        Event.actor == actor,
                        Event.type.in_(
                            [
                                EventType.TICKET_NO_SHOW,
                                EventType.TICKET_TRANSFERRED,
                                EventType.TICKET_CANCELLED,
                            ]
                        ),
                    )
                    .group_by(Event.type)
                )
            }
            return StaffDayView(
                served=served,
                average_service_seconds=average,
                no_shows=counts.get(EventType.TICKET_NO_SHOW, 0),
                transferred=counts.get(EventType.TICKET_TRANSFERRED, 0),
                cancelled=counts.get(EventType.TICKET_CANCELLED, 0),
                break_seconds=_break_seconds(session, branch.id, actor, since, now),
            )

    def clerks_at_work(self, branch_id: int) -> list[tuple[User, Counter]]:
        """Who holds which window now (open or on a break): the desk hands visitors over."""
        with self.db.read() as session:
            return [
                (user, counter)
                for user, counter in session.execute(
                    select(User, Counter)
                    .join(Counter, Counter.clerk_id == User.id)
                    .where(
                        Counter.branch_id == get_branch(session, branch_id).id,
                        Counter.active.is_(True),
                        Counter.state != CounterState.CLOSED,
                    )
                    .order_by(Counter.number)
                )
            ]

    def device_faults(self, branch_id: int) -> list[Device]:
        """Kiosks whose printer is not fine (out of paper, cover open …): staff should know."""
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(Device)
                    .where(
                        Device.branch_id == get_branch(session, branch_id).id,
                        Device.active.is_(True),
                        Device.printer_status.not_in(HEALTHY_PRINTER),
                    )
                    .order_by(Device.name)
                )
            )


def _entries(
    session: Session, counter: Counter, branch: Branch, served: list[int]
) -> list[WaitingEntry]:
    rows = {
        row[0]: Waiting(*row)
        for row in session.execute(select(*WAITING_COLUMNS).where(*callable_by(counter, served)))
    }
    order = calling_order(
        [t.state() for t in rows.values()],
        served,
        counter.priority_streak,
        CallPolicy(priority_cap=branch.priority_cap),
        counter_id=counter.id,
        clerk_id=counter.clerk_id,
    )
    booking_ids = [t.booking_id for t in rows.values() if t.booking_id is not None]
    bookings = (
        {b.id: b for b in session.scalars(select(Booking).where(Booking.id.in_(booking_ids)))}
        if booking_ids
        else {}
    )
    return [
        WaitingEntry(
            rows[state.id],
            bookings.get(rows[state.id].booking_id or 0),
            state.reserved_for(counter.id, counter.clerk_id),
        )
        for state in order
    ]


def _served(session: Session, branch: Branch, day: date, actor: str) -> tuple[int, float | None]:
    rows = session.execute(
        select(Ticket.started_at, Ticket.finished_at)
        .join(Event, Event.ticket_id == Ticket.id)
        .where(
            Ticket.branch_id == branch.id,
            Ticket.day == day,
            Ticket.status == TicketStatus.DONE,
            Event.type == EventType.TICKET_FINISHED,
            Event.actor == actor,
        )
    ).all()
    durations = [(f - s).total_seconds() for s, f in rows if s is not None and f is not None]
    return len(rows), (sum(durations) / len(durations) if durations else None)


def _break_seconds(
    session: Session, branch_id: int, actor: str, since: datetime, now: datetime
) -> int:
    """Time today on breaks the clerk took: from their pause to the window's next change."""
    started: dict[int, datetime] = {}
    total = timedelta()
    for counter_id, type_, who, at in session.execute(
        select(Event.counter_id, Event.type, Event.actor, Event.at)
        .where(
            Event.branch_id == branch_id,
            Event.at >= since,
            Event.type.in_(
                [EventType.COUNTER_OPEN, EventType.COUNTER_PAUSED, EventType.COUNTER_CLOSED]
            ),
        )
        .order_by(Event.id)
    ):
        if counter_id is None:
            continue
        if counter_id in started:
            total += at - started.pop(counter_id)
        if type_ == EventType.COUNTER_PAUSED and who == actor:
            started[counter_id] = at
    for began in started.values():
        total += now - began
    return _seconds(total)


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))
