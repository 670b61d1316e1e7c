"""`describe(state)`: the `Content` of the screen the visitor sees now (kiosk/content.py)."""

from __future__ import annotations

from collections.abc import Callable

from . import booking_content, queue_content
from .content import Content, KioskState
from .states import Screen

_QUEUE: dict[Screen, Callable[[KioskState], Content]] = {
    Screen.START: queue_content.start,
    Screen.GROUPS: queue_content.groups,
    Screen.SERVICES: queue_content.services,
    Screen.PRIORITY: queue_content.priority,
    Screen.ISSUING: lambda s: queue_content.busy(
        Screen.ISSUING, "issuing", s.language, slow=s.waiting_long
    ),
    Screen.TICKET: queue_content.ticket,
    Screen.REFUSED: queue_content.refused,
    Screen.OUTAGE: queue_content.outage,
    Screen.PAUSED: queue_content.paused,
}


def describe(state: KioskState) -> Content:
    """What is on screen: the «still here?» question over everything, else the screen's own."""
    if state.idle_left is not None:
        return queue_content.idle(state.language, state.idle_left)
    build = _QUEUE.get(state.screen)
    if build is not None:
        return build(state)
    return booking_content.describe_booking(state)


__all__ = ["describe"]
