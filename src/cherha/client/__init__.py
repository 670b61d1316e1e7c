"""Typed client of the Cherha queue server's HTTP API and event stream (shared by kiosk and desk).

client = QueueClient("http://127.0.0.1:8000")
client.login("clerk1", "…")
ticket = client.call_next(counter_id=1)          # ClerkTicket, or None when nobody waits
for event in EventStream(client.base_url, client.token):
    ...
"""

from __future__ import annotations

from .bookings import (
    Booking,
    BookingDay,
    BookingRules,
    CheckIn,
    Slot,
    booking_code,
    format_code,
    normalise_code,
)
from .client import QueueClient
from .errors import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFoundError,
    ServerUnavailable,
    Unauthorized,
)
from .events import EventStream
from .models import (
    Board,
    BoardService,
    BookingInfo,
    Branch,
    Call,
    ClerkTicket,
    Counter,
    Event,
    Health,
    IssuedTicket,
    LoginResult,
    Service,
    StaffToday,
    TicketBrief,
    TicketStatus,
    User,
)
from .outcomes import RequestOutcome, new_request_key
from .server_clock import ServerClock

__all__ = [
    "ApiError",
    "Board",
    "BoardService",
    "Booking",
    "BookingDay",
    "BookingInfo",
    "BookingRules",
    "Branch",
    "Call",
    "CheckIn",
    "ClerkTicket",
    "Conflict",
    "Counter",
    "Event",
    "EventStream",
    "Forbidden",
    "Health",
    "InvalidRequest",
    "IssuedTicket",
    "LoginResult",
    "NotFoundError",
    "QueueClient",
    "RequestOutcome",
    "ServerClock",
    "ServerUnavailable",
    "Service",
    "Slot",
    "StaffToday",
    "TicketBrief",
    "TicketStatus",
    "Unauthorized",
    "User",
    "booking_code",
    "format_code",
    "new_request_key",
    "normalise_code",
]
