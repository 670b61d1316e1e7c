"""The lines a window calls from, as queries: one predicate for call-next and the waiting list.

Which of these tickets comes first is the core's rule (`cherha.core.ordering`); these queries
only narrow the candidates: the general line of the window's services (no hand-over), and the
tickets handed over to the window or to the clerk at it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from cherha.core.estimates import learn_average
from cherha.core.model import Lane, TicketStatus

from .models import Counter, Service, Ticket


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


def earliest_waiting(
    session: Session, branch_id: int, served: list[int], lane: Lane
) -> Ticket | None:
    """The head of one lane of the general line."""
    if not served:
        return None
    return session.scalars(
        select(Ticket)
        .where(*_waiting(branch_id), in_general_line(served), Ticket.lane == lane)
        .order_by(Ticket.order_key, Ticket.id)
        .limit(1)
    ).first()


def earliest_handed_over(session: Session, counter: Counter) -> Ticket | None:
    """The first visitor handed over to this window or its clerk, if any."""
    return session.scalars(
        select(Ticket)
        .where(*_waiting(counter.branch_id), handed_over_to(counter))
        .order_by(Ticket.order_key, Ticket.id)
        .limit(1)
    ).first()


def callable_by(counter: Counter, served: list[int]) -> list[ColumnElement[bool]]:
    """The conditions of every waiting ticket this window may call (add them to a select)."""
    line = [handed_over_to(counter)]
    if served:
        line.append(in_general_line(served))
    return [*_waiting(counter.branch_id), or_(*line)]


def tickets_at(session: Session, counter_id: int) -> list[Ticket]:
    """Called to the window or being served there (at most one, by the rules)."""
    return list(
        session.scalars(
            select(Ticket).where(
                Ticket.counter_id == counter_id,
                Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]),
            )
        )
    )


def learn(session: Session, service_id: int, duration: timedelta) -> None:
    """A finished visit teaches the service's average (the wait estimates use it)."""
    service = session.get(Service, service_id)
    if service is not None:
        service.average_seconds = learn_average(service.average_seconds, duration.total_seconds())
