"""Typed client of the Cherha queue server's HTTP API and event stream (shared by kiosk and desk).

client = QueueClient("http://127.0.0.1:8000")
client.login("clerk1", "…")
ticket = client.call_next(counter_id=1)          # cherha.wire.ClerkTicket, or None
for event in EventStream(client.base_url, client.token):
    ...

The bodies it sends and parses are the models of `cherha.wire`, which the server answers with.
"""

from __future__ import annotations

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
from .outcomes import new_request_key
from .server_clock import ServerClock

__all__ = [
    "ApiError",
    "Conflict",
    "EventStream",
    "Forbidden",
    "InvalidRequest",
    "NotFoundError",
    "QueueClient",
    "ServerClock",
    "ServerUnavailable",
    "Unauthorized",
    "new_request_key",
]
