"""What a clerk's action is answered with, read inside the action's own write transaction.

Answering from a second and third read after the write cost two more transactions on the
single write lane per action, and the answer's "now" came from the wall clock instead of the
store's clock. The rows the action loaded are in the session already, so this costs at most a
read of the service (and of the booking, for a booked visitor).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from .models import Booking, Branch, Counter, Service, Ticket
from .statements import fetch


@dataclass(frozen=True, slots=True)
class ClerkView:
    ticket: Ticket
    service: Service
    branch: Branch
    counter_number: int | None
    booking: Booking | None
    now: datetime


def clerk_view(session: Session, row: Ticket, branch: Branch, now: datetime) -> ClerkView:
    service = fetch(session, Service, row.service_id)
    assert service is not None  # a ticket's service is never deleted
    counter = fetch(session, Counter, row.counter_id) if row.counter_id is not None else None
    booking = fetch(session, Booking, row.booking_id) if row.booking_id is not None else None
    return ClerkView(row, service, branch, counter.number if counter else None, booking, now)
