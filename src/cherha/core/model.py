"""Value types shared by the core: lanes, statuses, event types and the state of one ticket.

The enums' values are what the database stores and what the API sends.
"""

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


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    EXPIRED = "expired"


class EventType(StrEnum):
    """What an event of the branch's history records (the `type` of an event on the stream)."""

    TICKET_ISSUED = "ticket_issued"
    TICKET_CALLED = "ticket_called"
    TICKET_RECALLED = "ticket_recalled"
    TICKET_STARTED = "ticket_started"
    TICKET_FINISHED = "ticket_finished"
    TICKET_NO_SHOW = "ticket_no_show"
    TICKET_TRANSFERRED = "ticket_transferred"
    TICKET_RETURNED = "ticket_returned"
    TICKET_CANCELLED = "ticket_cancelled"
    TICKET_EXPIRED = "ticket_expired"
    COUNTER_OPEN = "counter_open"
    COUNTER_PAUSED = "counter_paused"
    COUNTER_CLOSED = "counter_closed"
    BRANCH_PAUSED = "branch_paused"
    BRANCH_RESUMED = "branch_resumed"
    CONFIG_CHANGED = "config_changed"
    DEVICE_STATUS = "device_status"
    BOOKING_CREATED = "booking_created"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_CHECKED_IN = "booking_checked_in"
    BOOKING_NO_SHOW = "booking_no_show"
    BOOKINGS_PURGED = "bookings_purged"

    @classmethod
    def of_counter(cls, state: CounterState) -> EventType:
        """The event of a window going into `state` (counter_open, counter_paused, …)."""
        return cls(f"counter_{state}")


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
