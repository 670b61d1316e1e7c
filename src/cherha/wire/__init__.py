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
    PauseCounter,
    PrinterState,
    PriorityCategory,
    Service,
    StaffToday,
)
from .desk import (
    ClerkAtWork,
    DeviceFault,
    DueBooking,
    NoShow,
    Outcome,
    WaitingList,
    WaitingTicket,
)
from .events import Event
from .kiosk import FindBookings, FoundBooking, FoundBookings, NewHold, SlotHold
from .problem import Problem
from .reports import Report, ReportColumn, ReportInfo, Staffing
from .tickets import (
    CallTicket,
    CancelTicket,
    ClerkBooking,
    ClerkTicket,
    FinishTicket,
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
    "CancelTicket",
    "CheckIn",
    "CheckInBooking",
    "ClerkAtWork",
    "ClerkBooking",
    "ClerkTicket",
    "Counter",
    "Device",
    "DeviceFault",
    "DeviceStatusReport",
    "DueBooking",
    "Event",
    "FindBookings",
    "FinishTicket",
    "FoundBooking",
    "FoundBookings",
    "Health",
    "IssueTicket",
    "IssuedTicket",
    "Login",
    "LoginResult",
    "NewBooking",
    "NewHold",
    "NoShow",
    "Outcome",
    "PauseBranch",
    "PauseCounter",
    "PrinterState",
    "PriorityCategory",
    "Problem",
    "PublicTicket",
    "Reply",
    "Report",
    "ReportColumn",
    "ReportInfo",
    "Request",
    "RequestOutcome",
    "Service",
    "Slot",
    "SlotHold",
    "StaffToday",
    "Staffing",
    "TicketBrief",
    "Transfer",
    "User",
    "WaitingList",
    "WaitingTicket",
]
