"""The API's data, declared once: the bodies of every request and response of /api/v1.

The server answers with these models (FastAPI describes them at /openapi.json); the client
parses with them (`Model.model_validate(json)`). Immutable, datetimes aware, statuses as the
core's enums. Imports only `cherha.core` and pydantic, so the client installs without the
server's dependencies.
"""

from __future__ import annotations

from .auth import Login, LoginResult, User
from .base import Reply, Request
from .bookings import (
    Booking,
    BookingDay,
    BookingRules,
    CancelBooking,
    CheckIn,
    CheckInBooking,
    NewBooking,
    RequestOutcome,
    Slot,
)
from .catalogue import (
    Board,
    BoardService,
    Branch,
    Call,
    Counter,
    Device,
    DeviceStatusReport,
    Health,
    PauseBranch,
    PrinterState,
    Service,
    StaffToday,
)
from .events import Event
from .problem import Problem
from .tickets import (
    CallTicket,
    ClerkBooking,
    ClerkTicket,
    IssuedTicket,
    IssueTicket,
    PublicTicket,
    TicketBrief,
    Transfer,
)

__all__ = [
    "Board",
    "BoardService",
    "Booking",
    "BookingDay",
    "BookingRules",
    "Branch",
    "Call",
    "CallTicket",
    "CancelBooking",
    "CheckIn",
    "CheckInBooking",
    "ClerkBooking",
    "ClerkTicket",
    "Counter",
    "Device",
    "DeviceStatusReport",
    "Event",
    "Health",
    "IssueTicket",
    "IssuedTicket",
    "Login",
    "LoginResult",
    "NewBooking",
    "PauseBranch",
    "PrinterState",
    "Problem",
    "PublicTicket",
    "Reply",
    "Request",
    "RequestOutcome",
    "Service",
    "Slot",
    "StaffToday",
    "TicketBrief",
    "Transfer",
    "User",
]
