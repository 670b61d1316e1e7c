"""Handing a visitor over to one window or one clerk, and releasing them when it closes.

The rule itself (called there next, nowhere else) is in `cherha.core.ordering`; here the
store finds the window or clerk meant, refuses what cannot work, and writes the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cherha.core import tickets as rules
from cherha.core.errors import InvalidTransition, NotFound
from cherha.core.model import CounterState, EventType, TicketStatus

from .models import Branch, Counter, Service, Ticket, User
from .records import (
    get_active_service,
    get_counter,
    record_event,
    store_state,
    ticket_event_data,
    to_state,
)

NOTE_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Target:
    """Where a transferred ticket goes: a service's line, or one window / clerk in it."""

    service: Service
    counter_id: int | None
    clerk_id: int | None
    window: Counter | None
    """The window meant (for a clerk: the one they hold now)."""


def resolve_target(
    session: Session,
    branch: Branch,
    row: Ticket,
    *,
    service_id: int | None,
    counter_id: int | None,
    clerk_id: int | None,
) -> Target:
    """The service (the ticket's own unless another is named) and the window or clerk, checked."""
    service = get_active_service(session, service_id or row.service_id, branch.id)
    window: Counter | None = None
    if counter_id is not None:
        window = get_counter(session, counter_id)
        if window.branch_id != branch.id:
            raise NotFound(
                f"Вікна з номером {counter_id} немає", f"There is no window with id {counter_id}"
            )
        if window.state == CounterState.CLOSED:
            raise InvalidTransition(
                f"Вікно {window.number} зачинене: передати можна лише до вікна, яке працює",
                f"Window {window.number} is closed: hand over only to a window in use",
                code="window_closed",
            )
    elif clerk_id is not None:
        clerk = session.get(User, clerk_id)
        if clerk is None or not clerk.active:
            raise NotFound(
                f"Працівника з номером {clerk_id} немає", f"There is no staff member {clerk_id}"
            )
        window = held_window(session, branch.id, clerk_id)
        if window is None:
            name = clerk.display_name or clerk.username
            raise InvalidTransition(
                f"{name} зараз не веде жодного вікна: передати можна лише тому, хто працює",
                f"{name} holds no window now: hand over only to someone at work",
                code="clerk_not_at_window",
            )
        if window.id == row.counter_id:
            raise InvalidTransition(
                "Талон уже у цьому вікні: оберіть інше",
                "The ticket is already at this window: choose another one",
            )
    return Target(service, counter_id, clerk_id, window)


def held_window(session: Session, branch_id: int, clerk_id: int) -> Counter | None:
    """The window a clerk holds (open or on a break) in a branch."""
    return session.scalars(
        select(Counter).where(
            Counter.branch_id == branch_id,
            Counter.clerk_id == clerk_id,
            Counter.active.is_(True),
            Counter.state != CounterState.CLOSED,
        )
    ).first()


def clean_note(note: str | None) -> str:
    return " ".join((note or "").split())[:NOTE_LENGTH]


def release_handed_over(
    session: Session, counter: Counter, clerk_id: int | None, now: datetime, actor: str
) -> int:
    """A window closes: those handed over to it or its clerk go back to their service's line."""
    targets = [Ticket.target_counter_id == counter.id]
    if clerk_id is not None:
        targets.append(Ticket.target_clerk_id == clerk_id)
    rows = session.scalars(
        select(Ticket).where(
            Ticket.branch_id == counter.branch_id,
            Ticket.status == TicketStatus.WAITING,
            or_(*targets),
        )
    ).all()
    for row in rows:
        store_state(session, row, rules.release(to_state(row)))
        record_event(
            session,
            branch_id=counter.branch_id,
            type_=EventType.TICKET_RELEASED,
            at=now,
            actor=actor,
            ticket_id=row.id,
            counter_id=counter.id,
            data=ticket_event_data(row, counter),
        )
    return len(rows)
