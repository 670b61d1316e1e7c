"""What a wait estimate rests on, read from the database: who is ahead per service, which
windows are open and serve what, how long the visits under way still take (the rule itself
is `cherha.core.estimates.estimate_seconds`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Row, bindparam, func, select, text, tuple_
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from cherha.core.estimates import (
    DEFAULT_SERVICE_SECONDS,
    EstimateInputs,
    WindowNow,
    busy_seconds_left,
)
from cherha.core.model import CounterState, Lane, TicketStatus

from . import group_reads
from .models import Counter, CounterService, Service, Ticket, WaitingLine
from .statements import connection

# A ticket being issued has no id yet; the one it gets is above every id in the table, so
# it stands behind every ticket with the same place in line, as this id does.
_NOT_YET_STORED = 2**62


_LINES = (
    select(WaitingLine.service_id, WaitingLine.lane, WaitingLine.waiting, Service.average_seconds)
    .join(Service, Service.id == WaitingLine.service_id)
    .where(WaitingLine.branch_id == bindparam("branch_id"), WaitingLine.waiting > 0)
)
"""How many wait in each lane of each service (kept by triggers: migration 0015), with the
service's average time."""

_PLACED_AFTER = (
    select(Ticket.service_id, Ticket.lane, func.count())
    .where(
        Ticket.branch_id == bindparam("branch_id"),
        # A literal, as in the partial index's own condition, so the database can use it.
        text("tickets.status = 'waiting'"),
        Ticket.order_key >= bindparam("order_key", type_=Ticket.order_key.type),
        tuple_(Ticket.order_key, Ticket.id)
        >= tuple_(bindparam("order_key", type_=Ticket.order_key.type), bindparam("ticket_id")),
    )
    .group_by(Ticket.service_id, Ticket.lane)
)
"""Waiting tickets placed at or after a ticket, the ticket itself included, per service and
lane: a range of `ix_tickets_waiting_order` (for a newcomer, only bookings checked in early)."""
# The same for SQLite, naming the index: without statistics SQLite prefers the waiting-line
# index (two terms equal against one), which reads the whole line. (SQLAlchemy's SQLite
# dialect renders no table hints.)
_PLACED_AFTER_SQLITE = text(
    str(_PLACED_AFTER.compile(dialect=sqlite.dialect(paramstyle="named"))).replace(
        "FROM tickets", "FROM tickets INDEXED BY ix_tickets_waiting_order", 1
    )
).bindparams(bindparam("order_key", type_=Ticket.order_key.type))


def people_ahead_by_service(
    lines: Iterable[tuple[int, Lane, int]],
    placed_after: Mapping[tuple[int, Lane], int],
    lane: Lane,
) -> dict[int, int]:
    """`core.ordering.people_ahead` for every service at once, from how many wait in each lane
    (`lines`: service, lane, count) and how many of them are placed at or after the ticket:
    for a priority ticket the earlier priority tickets, for an ordinary one every priority
    ticket and the earlier ordinary ones. Services with nobody ahead are left out."""
    ahead: dict[int, int] = {}
    for service_id, line_lane, waiting in lines:
        if lane == Lane.PRIORITY and line_lane != Lane.PRIORITY:
            continue
        if line_lane == lane:
            waiting -= placed_after.get((service_id, line_lane), 0)
        ahead[service_id] = ahead.get(service_id, 0) + waiting
    return {service_id: count for service_id, count in ahead.items() if count > 0}


_WINDOWS = (
    select(Counter.id, Counter.state, CounterService.service_id)
    .outerjoin(CounterService, CounterService.counter_id == Counter.id)
    .where(Counter.branch_id == bindparam("branch_id"), Counter.active.is_(True))
)
_AT_WINDOWS = (
    select(
        Ticket.counter_id,
        Ticket.service_id,
        Ticket.status,
        Ticket.called_at,
        Ticket.started_at,
        Service.average_seconds,
    )
    .join(Service, Service.id == Ticket.service_id)
    .where(
        Ticket.branch_id == bindparam("branch_id"),
        Ticket.status.in_([TicketStatus.CALLED.value, TicketStatus.SERVING.value]),
    )
)


FLOOR = "floor"
"""The kind of shared read (`group_reads`) the windows and the visitors at them are."""
_FLOOR_TABLES = ("counters", "counter_services", "tickets", "services")
_Floor = tuple[
    Sequence[Row[int, CounterState, int]],
    Sequence[Row[int | None, int, TicketStatus, datetime | None, datetime | None, float]],
]


def _read_floor(conn: Connection, branch_id: int) -> _Floor:
    """The windows with what they serve, and the visitors called to or served at them."""
    params = {"branch_id": branch_id}
    return conn.execute(_WINDOWS, params).all(), conn.execute(_AT_WINDOWS, params).all()


@dataclass(frozen=True, slots=True)
class FloorNow:
    """The branch's windows as estimates see them, with the averages they need."""

    windows: list[WindowNow]
    averages: dict[int, float]

    def inputs(self, service_id: int, ahead: Mapping[int, int]) -> EstimateInputs:
        return EstimateInputs(service_id, dict(ahead), self.averages, self.windows)


def floor_now(
    session: Session,
    branch_id: int,
    now: datetime,
    services: Iterable[int] = (),
    known: Mapping[int, float] | None = None,
) -> FloorNow:
    """Windows (open or not, what they serve, how long their visitor still needs) and the
    average times of `services` and of the services being served (`known`: averages the
    caller has read already)."""
    conn = connection(session)
    reads = group_reads.of(conn)
    if reads is None:
        window_rows, at_windows = _read_floor(conn, branch_id)
    else:
        window_rows, at_windows = reads.get(
            FLOOR, (branch_id,), _FLOOR_TABLES, lambda: _read_floor(conn, branch_id)
        )
    served: dict[int, set[int]] = {}
    state: dict[int, str] = {}
    for counter_id, counter_state, service_id in window_rows:
        state[counter_id] = counter_state
        links = served.setdefault(counter_id, set())
        if service_id is not None:
            links.add(service_id)
    averages = dict(known or {})
    averages.update((row[1], float(row[5])) for row in at_windows)
    averages.update(_averages(session, set(services) - averages.keys()))
    busy: dict[int, float] = {}
    for window_id, service_id, status, called_at, started_at, _average in at_windows:
        if window_id is None:
            continue
        counter_id = int(window_id)
        started = status == TicketStatus.SERVING.value and started_at is not None
        since = _aware(started_at if started else called_at) or now
        elapsed = max(0.0, (now - since).total_seconds())
        average = averages.get(service_id, DEFAULT_SERVICE_SECONDS)
        busy[counter_id] = busy_seconds_left(average, elapsed, started)
    windows = [
        WindowNow(
            open=state[counter_id] == CounterState.OPEN.value,
            services=frozenset(links),
            busy_seconds_left=busy.get(counter_id),
        )
        for counter_id, links in sorted(served.items())
    ]
    return FloorNow(windows, averages)


def estimate_inputs(
    session: Session, ticket: Ticket, now: datetime, average: float | None = None
) -> EstimateInputs:
    """Everything the estimate for this waiting ticket needs, in four small reads (Core
    statements on the session's connection: `statements`): none of them grows with the line
    but the tickets placed after this one.

    The ticket may be one not stored yet (issuing estimates before the insert, so the row is
    written once); `average`: its service's average time, when the caller has the service.
    """
    ticket_id = ticket.id if ticket.id is not None else _NOT_YET_STORED
    conn = connection(session)
    branch = {"branch_id": ticket.branch_id}
    known: dict[int, float] = {} if average is None else {ticket.service_id: average}
    lines: list[tuple[int, Lane, int]] = []
    for service_id, lane, waiting, seconds in conn.execute(_LINES, branch):
        lines.append((int(service_id), Lane(lane), int(waiting)))
        known[int(service_id)] = float(seconds)
    placed_after: dict[tuple[int, Lane], int] = {}
    if lines:
        params = {**branch, "ticket_id": ticket_id, "order_key": ticket.order_key}
        placed = _PLACED_AFTER_SQLITE if conn.dialect.name == "sqlite" else _PLACED_AFTER
        for service_id, lane, count in conn.execute(placed, params):
            placed_after[int(service_id), Lane(lane)] = int(count)
    ahead = people_ahead_by_service(lines, placed_after, Lane(ticket.lane))
    floor = floor_now(session, ticket.branch_id, now, {ticket.service_id, *ahead}, known)
    return floor.inputs(ticket.service_id, ahead)


def _averages(session: Session, service_ids: set[int]) -> dict[int, float]:
    if not service_ids:
        return {}
    return {
        service_id: float(seconds)
        for service_id, seconds in connection(session).execute(
            select(Service.id, Service.average_seconds).where(Service.id.in_(sorted(service_ids)))
        )
    }


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
