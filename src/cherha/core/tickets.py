"""The life of a ticket: each action is a pure function from one state to the next.

waiting → called → serving → done; called → no_show → (returned) waiting;
called/serving → transferred (waiting at another service, or handed over to one window or clerk,
same place in line); a handed-over ticket released → waiting in its service's line again;
waiting/called → cancelled (the visitor's wish); waiting/called → expired when the day ends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .errors import Invalid, InvalidTransition, RecallLimitReached, ReturnWindowPassed
from .model import AT_COUNTER_STATUSES, TicketState, TicketStatus

_STATUS_UK = {
    TicketStatus.WAITING: "очікує",
    TicketStatus.CALLED: "викликаний",
    TicketStatus.SERVING: "обслуговується",
    TicketStatus.DONE: "обслужений",
    TicketStatus.NO_SHOW: "не з'явився",
    TicketStatus.CANCELLED: "скасований",
    TicketStatus.EXPIRED: "прострочений",
}


@dataclass(frozen=True, slots=True)
class TicketRules:
    """Per-branch settings for recalls and returning no-shows."""

    recall_limit: int = 2
    """How many times a called ticket may be called again before it can only be a no-show."""
    no_show_return_window: timedelta = timedelta(minutes=30)
    returned_keeps_place: bool = False
    """A returned no-show goes to the end of the line unless this is set."""


def _refuse(ticket: TicketState, action_uk: str, action_en: str) -> InvalidTransition:
    return InvalidTransition(
        f"Талон {action_uk} неможливо: він {_STATUS_UK[ticket.status]}",
        f"Cannot {action_en} the ticket: it is {ticket.status.value.replace('_', ' ')}",
    )


def call(ticket: TicketState, counter_id: int, now: datetime) -> TicketState:
    if ticket.status is not TicketStatus.WAITING:
        raise _refuse(ticket, "викликати", "call")
    return replace(
        ticket,
        status=TicketStatus.CALLED,
        counter_id=counter_id,
        called_at=now,
        recall_count=0,
        target_counter_id=None,
        target_clerk_id=None,
    )


def recall(ticket: TicketState, rules: TicketRules) -> TicketState:
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "викликати повторно", "recall")
    if ticket.recall_count >= rules.recall_limit:
        raise RecallLimitReached(
            f"Талон уже викликали повторно {ticket.recall_count} раз(и) — це межа; "
            "позначте відвідувача як такого, що не з'явився",
            f"The ticket was already recalled {ticket.recall_count} time(s), the limit; "
            "mark it as a no-show",
        )
    return replace(ticket, recall_count=ticket.recall_count + 1)


def start(ticket: TicketState, now: datetime) -> TicketState:
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "почати обслуговувати", "start serving")
    return replace(ticket, status=TicketStatus.SERVING, started_at=now)


def finish(ticket: TicketState, now: datetime) -> TicketState:
    """Serving → done. A called ticket may be finished directly (the clerk skipped "start")."""
    if ticket.status not in AT_COUNTER_STATUSES:
        raise _refuse(ticket, "завершити", "finish")
    return replace(
        ticket, status=TicketStatus.DONE, started_at=ticket.started_at or now, finished_at=now
    )


def no_show(ticket: TicketState, now: datetime) -> TicketState:
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "позначити як неявку", "mark as a no-show")
    return replace(ticket, status=TicketStatus.NO_SHOW, no_show_at=now)


def return_deadline(ticket: TicketState, rules: TicketRules) -> datetime | None:
    """Until when a no-show may be put back in line (None: not a no-show)."""
    if ticket.status is not TicketStatus.NO_SHOW or ticket.no_show_at is None:
        return None
    return ticket.no_show_at + rules.no_show_return_window


def return_no_show(ticket: TicketState, now: datetime, rules: TicketRules) -> TicketState:
    """Put a no-show back in line, within the branch's return window."""
    deadline = return_deadline(ticket, rules)
    if deadline is None:
        raise _refuse(ticket, "повернути в чергу", "return to the queue")
    if now > deadline:
        minutes = int(rules.no_show_return_window.total_seconds() // 60)
        raise ReturnWindowPassed(
            f"Повернути в чергу можна лише протягом {minutes} хв після неявки",
            f"A no-show can only be returned within {minutes} min",
        )
    key = ticket.order_key if rules.returned_keeps_place else now
    return replace(
        ticket,
        status=TicketStatus.WAITING,
        order_key=key,
        counter_id=None,
        called_at=None,
        no_show_at=None,
        recall_count=0,
    )


def transfer(
    ticket: TicketState,
    service_id: int,
    *,
    counter_id: int | None = None,
    clerk_id: int | None = None,
) -> TicketState:
    """Send the visitor on, keeping their place in line (order key).

    To another service's line; or handed over to one window (`counter_id`) or one clerk
    (`clerk_id`), in the same service or another, which then calls them next.
    """
    if ticket.status not in AT_COUNTER_STATUSES:
        raise _refuse(ticket, "перевести", "transfer")
    if counter_id is not None and clerk_id is not None:
        raise Invalid(
            "Оберіть або вікно, або працівника, не обидва",
            "Choose a window or a clerk, not both",
            code="one_target",
        )
    if counter_id is not None and counter_id == ticket.counter_id:
        raise InvalidTransition(
            "Талон уже у цьому вікні: оберіть інше",
            "The ticket is already at this window: choose another one",
        )
    if counter_id is None and clerk_id is None and service_id == ticket.service_id:
        raise InvalidTransition(
            "Талон уже в цій послузі: оберіть іншу",
            "The ticket is already in this service: choose another one",
        )
    return replace(
        ticket,
        status=TicketStatus.WAITING,
        service_id=service_id,
        counter_id=None,
        called_at=None,
        started_at=None,
        recall_count=0,
        target_counter_id=counter_id,
        target_clerk_id=clerk_id,
    )


def release(ticket: TicketState) -> TicketState:
    """A handed-over ticket whose window closed goes back to its service's line, same place."""
    if ticket.status is not TicketStatus.WAITING or not ticket.reserved:
        raise _refuse(ticket, "повернути до загальної черги", "release to the general line")
    return replace(ticket, target_counter_id=None, target_clerk_id=None)


def cancel(ticket: TicketState) -> TicketState:
    """At the visitor's wish: while waiting, or when called and they say they are leaving."""
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        raise _refuse(ticket, "скасувати", "cancel")
    return replace(
        ticket, status=TicketStatus.CANCELLED, target_counter_id=None, target_clerk_id=None
    )


def expire(ticket: TicketState) -> TicketState:
    """End of day: whoever still waits or stands called is closed out, never silently lost."""
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.NO_SHOW):
        raise _refuse(ticket, "закрити", "expire")
    return replace(ticket, status=TicketStatus.EXPIRED)
