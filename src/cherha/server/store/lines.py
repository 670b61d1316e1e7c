"""The lines a window calls from, as queries: one predicate for call-next and the waiting list.

Which of these tickets comes first is the core's rule (`cherha.core.ordering`); these queries
only narrow the candidates: the general line of the window's services (no hand-over), and the
tickets handed over to the window or to the clerk at it.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Row,
    and_,
    bindparam,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from cherha.core.estimates import learn_average
from cherha.core.model import Lane, TicketStatus

from .models import Counter, Service, Ticket
from .statements import connection, fetch, loaded


def in_general_line(served: list[int]) -> ColumnElement[bool]:
    """Waiting for one of these services and handed over to nobody."""
    return and_(
        Ticket.service_id.in_(served),
        Ticket.target_counter_id.is_(None),
        Ticket.target_clerk_id.is_(None),
    )


def handed_over_to(counter: Counter) -> ColumnElement[bool]:
    """Handed over to this window, or to the clerk holding it."""
    targets = [Ticket.target_counter_id == counter.id]
    if counter.clerk_id is not None:
        targets.append(Ticket.target_clerk_id == counter.clerk_id)
    return or_(*targets)


def _waiting(branch_id: int) -> list[ColumnElement[bool]]:
    return [Ticket.branch_id == branch_id, Ticket.status == TicketStatus.WAITING]


def heads(session: Session, counter: Counter, served: list[int]) -> list[Row[Any]]:
    """Every ticket `choose_next` may pick for this window, in one Core statement: the head
    of each served service's lane (general line), the first handed over to the window and
    the first handed over to its clerk. Each row has every column of the ticket
    (`statements.loaded` makes it a row).

    Per service, so each head is read in order off the waiting-line index and nothing is
    sorted; with the services in one `IN (…)` SQLite read every waiting ticket of them (and
    its table row, for the hand-over columns) and sorted them, for every call.
    """
    params: dict[str, Any] = {"branch_id": counter.branch_id, "counter_id": counter.id}
    params.update((f"service_{n}", service_id) for n, service_id in enumerate(served))
    if counter.clerk_id is not None:
        params["clerk_id"] = counter.clerk_id
    query = _heads_query(len(served), counter.clerk_id is not None)
    return list(connection(session).execute(query, params))


@functools.cache
def _heads_query(services: int, clerk: bool) -> CompoundSelect[Any]:
    """Built once per shape (how many services, whether a clerk holds the window)."""
    t = Ticket.__table__
    waiting = [t.c.branch_id == bindparam("branch_id"), t.c.status == TicketStatus.WAITING.value]
    in_order = (t.c.order_key, t.c.id)
    arms = [
        select(t)
        .where(
            *waiting,
            t.c.service_id == bindparam(f"service_{n}"),
            t.c.lane == lane.value,
            t.c.target_counter_id.is_(None),
            t.c.target_clerk_id.is_(None),
        )
        .order_by(*in_order)
        .limit(1)
        for n in range(services)
        for lane in Lane
    ]
    # The first handed over to the window, and the first to its clerk (the core takes the
    # earlier): each arm alone reads its partial index (ix_tickets_to_counter, _to_clerk),
    # where one arm with OR read every waiting ticket of the branch.
    targets = [t.c.target_counter_id == bindparam("counter_id")]
    if clerk:
        targets.append(t.c.target_clerk_id == bindparam("clerk_id"))
    arms.extend(select(t).where(*waiting, to).order_by(*in_order).limit(1) for to in targets)
    return union_all(*(arm.subquery().select() for arm in arms))


def callable_by(counter: Counter, served: list[int]) -> list[ColumnElement[bool]]:
    """The conditions of every waiting ticket this window may call (add them to a select)."""
    line = [handed_over_to(counter)]
    if served:
        line.append(in_general_line(served))
    return [*_waiting(counter.branch_id), or_(*line)]


def tickets_at(session: Session, counter_id: int) -> list[Ticket]:
    """Called to the window or being served there (at most one, by the rules)."""
    rows = connection(session).execute(_AT_WINDOW, {"counter_id": counter_id})
    return [loaded(session, Ticket, row._asdict()) for row in rows]


_AT_WINDOW = select(Ticket.__table__).where(
    Ticket.counter_id == bindparam("counter_id"),
    Ticket.status.in_([TicketStatus.CALLED.value, TicketStatus.SERVING.value]),
)


def learn(session: Session, service_id: int, duration: timedelta) -> None:
    """A finished visit teaches the service's average (the wait estimates use it).

    Written with a Core UPDATE (the session's service row gets the same value, as stored):
    a flush of the changed object cost several times more.
    """
    service = fetch(session, Service, service_id)
    if service is not None:
        average = learn_average(service.average_seconds, duration.total_seconds())
        connection(session).execute(_SET_AVERAGE, {"service": service_id, "average": average})
        set_committed_value(service, "average_seconds", average)


_SET_AVERAGE = (
    update(Service)
    .where(Service.id == bindparam("service"))
    .values(average_seconds=bindparam("average"))
)


def set_priority_streak(session: Session, counter: Counter, streak: int) -> None:
    """The window's run of priority calls after a call: a Core UPDATE, and only when it
    changed (an ordinary call after an ordinary one leaves it). Setting the attribute made
    the next statement flush the session's unit of work for it, change or not."""
    if counter.priority_streak != streak:
        connection(session).execute(_SET_STREAK, {"counter": counter.id, "streak": streak})
        set_committed_value(counter, "priority_streak", streak)


_SET_STREAK = (
    update(Counter)
    .where(Counter.id == bindparam("counter"))
    .values(priority_streak=bindparam("streak"))
)
