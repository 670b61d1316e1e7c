"""One event of the branch's history as the event stream sends it."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime

from cherha.core.model import EventType

from .base import Reply


class Event(Reply):
    """`data` is the event's own data (number, service_id, …); the SSE `id:` is `id`."""

    id: int
    at: AwareDatetime
    type: EventType
    ticket_id: int | None
    counter_id: int | None
    data: dict[str, Any]
