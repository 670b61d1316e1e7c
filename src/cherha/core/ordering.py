"""First come, first served across the services a window serves, with a capped priority lane."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .model import Lane, TicketState, TicketStatus


@dataclass(frozen=True, slots=True)
class CallPolicy:
    """How a window picks between lanes.

    The priority lane goes first, but after `priority_cap` priority calls in a row at one window,
    an ordinary visitor who is waiting is called, so the ordinary lane is never starved.
    A cap of 0 gives the priority lane no precedence at all (pure first-come order).
    """

    priority_cap: int = 3

    def __post_init__(self) -> None:
        if self.priority_cap < 0:
            raise ValueError("priority_cap cannot be negative")


@dataclass(frozen=True, slots=True)
class Choice:
    ticket: TicketState
    priority_streak: int
    """The window's count of priority calls in a row after this call."""


def earliest(tickets: Iterable[TicketState]) -> TicketState | None:
    return min(tickets, key=lambda t: t.sort_key, default=None)


def choose_next(
    waiting: Iterable[TicketState],
    served_services: Collection[int],
    priority_streak: int,
    policy: CallPolicy,
) -> Choice | None:
    """The ticket "call next" gives a window, or None when nobody it serves is waiting."""
    candidates = [
        t for t in waiting if t.status is TicketStatus.WAITING and t.service_id in served_services
    ]
    priority = earliest(t for t in candidates if t.lane is Lane.PRIORITY)
    ordinary = earliest(t for t in candidates if t.lane is Lane.ORDINARY)
    if priority is None and ordinary is None:
        return None
    if policy.priority_cap == 0:
        first = earliest(t for t in (priority, ordinary) if t is not None)
        assert first is not None
        streak = priority_streak + 1 if first.lane is Lane.PRIORITY else 0
        return Choice(first, streak)
    if priority is not None and (ordinary is None or priority_streak < policy.priority_cap):
        return Choice(priority, priority_streak + 1)
    assert ordinary is not None
    return Choice(ordinary, 0)


def people_ahead(ticket: TicketState, waiting: Iterable[TicketState]) -> int:
    """Waiting tickets of the same service that will be called before this one.

    A priority ticket has only earlier priority tickets ahead; an ordinary ticket has every
    waiting priority ticket and the earlier ordinary ones ahead (the cap only ever helps it).
    """
    count = 0
    for other in waiting:
        if other.id == ticket.id or other.status is not TicketStatus.WAITING:
            continue
        if other.service_id != ticket.service_id:
            continue
        if ticket.lane is Lane.PRIORITY:
            count += other.lane is Lane.PRIORITY and other.sort_key < ticket.sort_key
        else:
            count += other.lane is Lane.PRIORITY or other.sort_key < ticket.sort_key
    return count
