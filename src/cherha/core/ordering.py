"""First come, first served across the services a window serves, with a capped priority lane."""

from __future__ import annotations

from collections import deque
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


def _lane_choice(
    priority: TicketState | None,
    ordinary: TicketState | None,
    priority_streak: int,
    policy: CallPolicy,
) -> Choice | None:
    """Between the head of the priority lane and the head of the ordinary lane: the one rule."""
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


@dataclass(frozen=True, slots=True)
class _Candidates:
    """A window's view of the waiting tickets: handed over to it, and its services' lanes."""

    mine: list[TicketState]
    priority: list[TicketState]
    ordinary: list[TicketState]

    @classmethod
    def of(
        cls,
        waiting: Iterable[TicketState],
        served_services: Collection[int],
        counter_id: int | None,
        clerk_id: int | None,
    ) -> _Candidates:
        mine: list[TicketState] = []
        lanes: dict[Lane, list[TicketState]] = {Lane.PRIORITY: [], Lane.ORDINARY: []}
        for t in waiting:
            if t.status is not TicketStatus.WAITING:
                continue
            if t.reserved_for(counter_id, clerk_id):
                mine.append(t)
            elif not t.reserved and t.service_id in served_services:
                lanes[t.lane].append(t)
        return cls(mine, lanes[Lane.PRIORITY], lanes[Lane.ORDINARY])


def choose_next(
    waiting: Iterable[TicketState],
    served_services: Collection[int],
    priority_streak: int,
    policy: CallPolicy,
    *,
    counter_id: int | None = None,
    clerk_id: int | None = None,
) -> Choice | None:
    """The ticket "call next" gives a window, or None when nobody it serves is waiting.

    A visitor handed over to this window (or to the clerk at it) comes first, earliest place
    first, whatever their service, and leaves the lane balance as it was. Then the lanes of the
    services the window serves; a ticket handed over to another window is never taken here.
    """
    c = _Candidates.of(waiting, served_services, counter_id, clerk_id)
    handed_over = earliest(c.mine)
    if handed_over is not None:
        return Choice(handed_over, priority_streak)
    return _lane_choice(earliest(c.priority), earliest(c.ordinary), priority_streak, policy)


def calling_order(
    waiting: Iterable[TicketState],
    served_services: Collection[int],
    priority_streak: int,
    policy: CallPolicy,
    *,
    counter_id: int | None = None,
    clerk_id: int | None = None,
) -> list[TicketState]:
    """Everyone this window would call, in order, if it called next until nobody was left.

    Exactly `choose_next` again and again (tests hold the two equal), but sorted once: the
    desk's waiting list shows it. Other windows calling, and new arrivals, change it later.
    """
    c = _Candidates.of(waiting, served_services, counter_id, clerk_id)
    order = sorted(c.mine, key=lambda t: t.sort_key)
    lanes = {
        lane: deque(sorted(tickets, key=lambda t: t.sort_key))
        for lane, tickets in ((Lane.PRIORITY, c.priority), (Lane.ORDINARY, c.ordinary))
    }
    streak = priority_streak
    while True:
        heads = {lane: (line[0] if line else None) for lane, line in lanes.items()}
        choice = _lane_choice(heads[Lane.PRIORITY], heads[Lane.ORDINARY], streak, policy)
        if choice is None:
            return order
        lanes[choice.ticket.lane].popleft()
        order.append(choice.ticket)
        streak = choice.priority_streak


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
