"""Making a ticket: the next number of the day, leftovers closed out, people ahead, the event.

`issue_in` is the one place tickets are made, inside a caller's write transaction: walk-ins
(`TicketOps.issue`) and booked visitors checking in (`store.bookings`) both come through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, bindparam, func, insert, inspect, or_, select, tuple_, update
from sqlalchemy.orm import Session

from cherha.core import tickets as rules
from cherha.core.estimates import EstimateInputs, estimate_minutes
from cherha.core.model import EventType, Lane, TicketStatus
from cherha.core.numbering import format_number, local_day, next_sequence

from ..auth import Principal, new_public_token
from .estimating import FLOOR, estimate_inputs
from .group_reads import KEEPS
from .models import Branch, NumberSeries, Service, Ticket
from .records import (
    record_event,
    service_labels,
    store_state,
    ticket_event_data,
    to_state,
)
from .schedules import ScheduleCache, load_schedule
from .statements import attach, connection, stored


@dataclass(frozen=True, slots=True)
class Issued:
    ticket: Ticket
    service: Service
    branch: Branch
    people_ahead: int
    estimated_wait_minutes: int
    inputs: EstimateInputs | None = None
    """What the estimate rested on (the simulation compares rules with it)."""


def _people_ahead_query(lane: Lane) -> Select[int]:
    """SQL form of `core.ordering.people_ahead` (tests check the two agree).

    Parameters: branch_id, service_id, ticket_id and order_key of the ticket asked about.
    """
    waiting = select(func.count(Ticket.id)).where(
        Ticket.branch_id == bindparam("branch_id"),
        Ticket.service_id == bindparam("service_id"),
        Ticket.status == TicketStatus.WAITING,
        Ticket.id != bindparam("ticket_id"),
    )
    earlier = tuple_(Ticket.order_key, Ticket.id) < tuple_(
        bindparam("order_key", type_=Ticket.order_key.type), bindparam("ticket_id")
    )
    if lane == Lane.PRIORITY:
        return waiting.where(Ticket.lane == Lane.PRIORITY, earlier)
    return waiting.where(or_(Ticket.lane == Lane.PRIORITY, earlier))


# Built once: it runs for every ticket, and building the statement (and its cache key) cost
# more than running it.
_PEOPLE_AHEAD = {lane: _people_ahead_query(lane) for lane in Lane}


def _ticket_params(ticket: Ticket) -> dict[str, object]:
    return {
        "branch_id": ticket.branch_id,
        "service_id": ticket.service_id,
        "ticket_id": ticket.id,
        "order_key": ticket.order_key,
    }


def count_people_ahead(session: Session, ticket: Ticket) -> int:
    return session.scalar(_PEOPLE_AHEAD[Lane(ticket.lane)], _ticket_params(ticket)) or 0


def estimate_for(
    session: Session, ticket: Ticket, now: datetime, average: float | None = None
) -> tuple[int, int, EstimateInputs]:
    """People ahead, the wait estimate in minutes, and what it rests on (kept for comparing
    rules: `cherha-server simulate`). `average`: the ticket's service's average time, if known."""
    inputs = estimate_inputs(session, ticket, now, average)
    return inputs.people_ahead, estimate_minutes(inputs), inputs


_NEXT_IN_SERIES = (
    update(NumberSeries)
    .where(
        NumberSeries.branch_id == bindparam("of_branch"),
        NumberSeries.prefix == bindparam("of_prefix"),
        NumberSeries.lane == bindparam("of_lane", type_=NumberSeries.lane.type),
        NumberSeries.day == bindparam("of_day", type_=NumberSeries.day.type),
    )
    .values(last=NumberSeries.last + 1)
    .returning(NumberSeries.last)
)
_START_SERIES = insert(NumberSeries)


def _next_number(session: Session, branch_id: int, prefix: str, lane: Lane, day: date) -> int:
    """The series' next number, in one statement once the day's series exists.

    Under the branch's write lock (held by the caller), so the UPDATE that finds no row and
    the INSERT of the day's first number cannot race another writer of this branch.
    """
    conn = connection(session)
    key = {"of_branch": branch_id, "of_prefix": prefix, "of_lane": lane, "of_day": day}
    last = conn.execute(_NEXT_IN_SERIES, key).scalar_one_or_none()
    if last is not None:
        return int(last)
    sequence = next_sequence(None)
    conn.execute(
        _START_SERIES,
        {"branch_id": branch_id, "prefix": prefix, "lane": lane, "day": day, "last": sequence},
    )
    return sequence


_INSERT_WAITING = (
    insert(Ticket)
    .returning(Ticket.id)
    # A waiting ticket is at no window: the floor a group's writes share stays as read.
    .execution_options(**{KEEPS: (FLOOR,)})
)
_TICKET_FIELDS = [field.key for field in inspect(Ticket).column_attrs if field.key != "id"]


_LEFT_OVER = [TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.NO_SHOW]


def expire_before(session: Session, branch: Branch, day: date, now: datetime, actor: str) -> int:
    """Close out tickets left from earlier days, each with its event: none is silently lost.

    Found by their status through the waiting-line index, the day checked after: with the day
    in the query, SQLite ranged over every ticket of earlier days by (branch_id, day) instead —
    half a second with a million tickets in the history, at each series' first ticket of a day.
    """
    open_ids = sorted(
        ticket_id
        for ticket_id, ticket_day in session.execute(
            select(Ticket.id, Ticket.day).where(
                Ticket.branch_id == branch.id, Ticket.status.in_(_LEFT_OVER)
            )
        )
        if ticket_day < day
    )
    leftovers = [
        row
        for first in range(0, len(open_ids), 500)  # bound the statement's parameters
        for row in session.scalars(
            select(Ticket).where(Ticket.id.in_(open_ids[first : first + 500])).order_by(Ticket.id)
        )
    ]
    for row in leftovers:
        store_state(session, row, rules.expire(to_state(row)))
        record_event(
            session,
            branch_id=branch.id,
            type_=EventType.TICKET_EXPIRED,
            at=now,
            actor=actor,
            ticket_id=row.id,
            data=ticket_event_data(row),
        )
    return len(leftovers)


def issue_in(
    session: Session,
    principal: Principal,
    branch: Branch,
    service: Service,
    now: datetime,
    *,
    priority: bool = False,
    source: str = "kiosk",
    order_key: datetime | None = None,
    check_hours: bool = True,
    schedules: ScheduleCache | None = None,
    booking_id: int | None = None,
) -> Issued:
    """Issue a ticket inside the caller's write transaction (holding the branch lock).

    The one place tickets are made: the next number of the day's series, the leftovers of
    earlier days closed out, the `ticket_issued` event. `order_key` is the place in line (a
    booking checked in on time passes its slot start); `check_hours=False` lets a booked visitor
    check in a few minutes before the service opens; `booking_id`: the booking checked in.
    """
    if check_hours:
        schedule = (
            schedules.get(session, branch.id, service.id)
            if schedules is not None
            else load_schedule(session, branch.id, service.id)
        )
        schedule.ensure_open(
            now,
            branch.timezone,
            f"Послуга «{service.name_uk}»",
            f"The service '{service.name_en or service.name_uk}'",
        )
    lane = Lane.PRIORITY if priority else Lane.ORDINARY
    day = local_day(now, branch.timezone)
    sequence = _next_number(session, branch.id, service.prefix, lane, day)
    if sequence == 1:
        expire_before(session, branch, day, now, "system:day-change")
    # Straight into the object's dict (`stored`): through the constructor each of these
    # went through the attribute's instrumentation, for a row written once (issue 19).
    ticket = stored(
        Ticket,
        {
            "branch_id": branch.id,
            "service_id": service.id,
            "lane": lane,
            "number": format_number(service.prefix, sequence, lane),
            "sequence": sequence,
            "day": day,
            "issued_at": now,
            "order_key": order_key or now,
            "status": TicketStatus.WAITING,
            "counter_id": None,
            "recall_count": 0,
            "called_at": None,
            "started_at": None,
            "finished_at": None,
            "no_show_at": None,
            "public_token": new_public_token(),
            "source": source,
            "device_id": principal.id if principal.kind == "device" else None,
            "booking_id": booking_id,
            "target_counter_id": None,
            "target_clerk_id": None,
            "note": "",
            "note_by": "",
            "outcome": "",
            "cancel_reason": "",
        },
    )
    # Estimated before the insert, so the row is written once (it stands behind every
    # waiting ticket with its place in line: see estimating._NOT_YET_STORED).
    ahead, wait, inputs = estimate_for(session, ticket, now, float(service.average_seconds))
    ticket.estimated_wait_minutes = wait
    values = {field: getattr(ticket, field) for field in _TICKET_FIELDS}
    ticket.id = connection(session).execute(_INSERT_WAITING, values).scalar_one()
    attach(session, ticket)  # the event names the ticket's id; a later change is an UPDATE
    record_event(
        session,
        branch_id=branch.id,
        type_=EventType.TICKET_ISSUED,
        at=now,
        actor=principal.actor,
        ticket_id=ticket.id,
        data=ticket_event_data(
            ticket,
            people_ahead=ahead,
            estimated_wait_minutes=wait,
            source=source,
            **service_labels(service),
        ),
    )
    return Issued(ticket, service, branch, ahead, wait, inputs)


def issued_view(session: Session, ticket: Ticket, branch: Branch, now: datetime) -> Issued:
    """An existing ticket as issuing answered it (a repeated request gets this), with its
    place in line as it is now."""
    service = session.get(Service, ticket.service_id)
    assert service is not None
    if ticket.status == TicketStatus.WAITING:
        ahead, wait, inputs = estimate_for(session, ticket, now)
        return Issued(ticket, service, branch, ahead, wait, inputs)
    return Issued(ticket, service, branch, 0, 0)
