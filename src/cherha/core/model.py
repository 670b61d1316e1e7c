"""Value types shared by the core: lanes, statuses and the state of one ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Lane(StrEnum):
    """Ordinary visitors and the legal priority categories queue in separate lanes."""

    ORDINARY = "ordinary"
    PRIORITY = "priority"


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


ACTIVE_STATUSES = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING})
AT_COUNTER_STATUSES = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


class CounterState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class TicketState:
    """Everything the queue rules need to know about one ticket.

    `order_key` is the ticket's place in line: its issue time for a walk-in, the slot start
    for a booking checked in on time; a transfer keeps it. Ties break on `id` (issue order).
    """

    id: int
    service_id: int
    lane: Lane
    order_key: datetime
    status: TicketStatus = TicketStatus.WAITING
    counter_id: int | None = None
    recall_count: int = 0
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    no_show_at: datetime | None = None

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.order_key, self.id)
