"""Issuing tickets and everything a clerk does with one, each a single write transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy.orm import Session

from cherha.core import tickets as rules
from cherha.core.errors import Forbidden, Invalid, InvalidTransition
from cherha.core.model import CounterState, EventType, TicketState, TicketStatus
from cherha.core.numbering import local_day
from cherha.core.ordering import CallPolicy, choose_next

from ..auth import Principal
from . import request_keys
from .clerk_view import ClerkView, clerk_view
from .clock import Clock, utcnow
from .db import Database
from .handover import clean_note, resolve_target
from .issuing import Issued, issue_in, issued_view
from .lines import heads, learn, set_priority_streak, tickets_at
from .models import Branch, Counter, Ticket
from .outcomes import check_outcome
from .owners import Owners
from .records import (
    TicketFields,
    ensure_branch_access,
    ensure_not_paused,
    get_active_service,
    get_branch,
    get_counter,
    get_ticket,
    record_event,
    served_service_ids,
    service_labels,
    store_state,
    ticket_event_data,
    to_state,
)
from .request_keys import KeyedRequest
from .schedules import ScheduleCache
from .statements import loaded


def ticket_rules(branch: Branch) -> rules.TicketRules:
    return rules.TicketRules(
        recall_limit=branch.recall_limit,
        no_show_return_window=timedelta(minutes=branch.no_show_return_minutes),
        returned_keeps_place=branch.returned_keeps_place,
    )


class TicketOps:
    """The write side of the queue. Every method is one transaction with its event."""

    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.schedules = ScheduleCache()
        self.owners = Owners(db)

    def issue(
        self,
        principal: Principal,
        branch_id: int,
        service_id: int,
        *,
        priority: bool = False,
        source: str = "kiosk",
        key: str | None = None,
    ) -> Issued:
        """A new ticket; with an idempotency `key`, the ticket that key made today if any."""
        ensure_branch_access(principal, branch_id)
        keyed = KeyedRequest.of(key, "ticket", service_id=service_id, priority=priority)
        with self.db.write(branch_id) as session:
            now = self.clock()
            branch = get_branch(session, branch_id)
            day = local_day(now, branch.timezone)
            if keyed is not None:
                earlier = request_keys.replay(session, branch_id, principal, day, keyed)
                if earlier is not None and earlier.ticket_id is not None:
                    return issued_view(session, get_ticket(session, earlier.ticket_id), branch, now)
            ensure_not_paused(branch)
            service = get_active_service(session, service_id, branch_id)
            if priority and not service.allow_priority:
                raise Invalid(
                    f"Для послуги «{service.name_uk}» пільгової черги немає",
                    f"The service '{service.name_en or service.name_uk}' has no priority lane",
                    code="no_priority_lane",
                )
            issued = issue_in(
                session,
                principal,
                branch,
                service,
                now,
                priority=priority,
                source=source,
                schedules=self.schedules,
            )
            if keyed is not None:
                request_keys.remember(
                    session, branch_id, principal, day, keyed, now, ticket_id=issued.ticket.id
                )
            return issued

    def call_next(self, principal: Principal, counter_id: int) -> ClerkView | None:
        branch_id = self._branch_of_counter(counter_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            counter, branch = self._own_open_counter(session, principal, counter_id)
            self._clear_counter_for_next(session, counter, principal, now)
            served = served_service_ids(session, counter.id)
            # The head of each line this window may call from; the core picks between them.
            candidates = heads(session, counter, served)
            choice = choose_next(
                [to_state(cast(TicketFields, t)) for t in candidates],
                served,
                counter.priority_streak,
                CallPolicy(priority_cap=branch.priority_cap),
                counter_id=counter.id,
                clerk_id=counter.clerk_id,
            )
            if choice is None:
                return None
            chosen = next(t for t in candidates if t.id == choice.ticket.id)
            row = loaded(session, Ticket, chosen._asdict())
            extra = {"handed_over": True} if choice.ticket.reserved else {}
            store_state(session, row, rules.call(choice.ticket, counter.id, now))
            set_priority_streak(session, counter, choice.priority_streak)
            record_event(
                session,
                branch_id=branch.id,
                type_=EventType.TICKET_CALLED,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(
                    row, counter, waited_seconds=_seconds(now - row.issued_at), **extra
                ),
            )
            view = clerk_view(session, row, branch, now)
        self.owners.note_ticket(row.id, row.branch_id)
        return view

    def call_specific(
        self, principal: Principal, counter_id: int, ticket_id: int, reason: str
    ) -> ClerkView:
        """Out-of-order call: needs the permission and a reason, and is recorded as such."""
        if not (principal.is_admin or principal.may_call_out_of_order):
            raise Forbidden(
                "Викликати талон поза чергою може лише працівник із відповідним дозволом",
                "Only staff with the permission may call a ticket out of order",
            )
        if len(reason.strip()) < 3:
            raise Invalid(
                "Вкажіть причину виклику поза чергою",
                "Give a reason for calling out of order",
                code="reason_required",
            )
        branch_id = self._branch_of_counter(counter_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            counter, branch = self._own_open_counter(session, principal, counter_id)
            self._clear_counter_for_next(session, counter, principal, now)
            row = get_ticket(session, ticket_id)
            state = to_state(row)
            mine = state.reserved_for(counter.id, counter.clerk_id)
            if row.branch_id != branch.id or not (
                mine or row.service_id in served_service_ids(session, counter.id)
            ):
                raise Invalid(
                    f"Талон {row.number} не належить до послуг цього вікна",
                    f"Ticket {row.number} is not for a service this window serves",
                )
            store_state(session, row, rules.call(state, counter.id, now))
            record_event(
                session,
                branch_id=branch.id,
                type_=EventType.TICKET_CALLED,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                # The reason stays off public streams (api/stream.py: public_payload).
                data=ticket_event_data(
                    row,
                    counter,
                    waited_seconds=_seconds(now - row.issued_at),
                    out_of_order=True,
                    reason=reason.strip(),
                ),
            )
            return clerk_view(session, row, branch, now)

    def act(self, principal: Principal, ticket_id: int, action: str) -> ClerkView:
        """recall / start / no_show on a ticket at the clerk's window."""
        transitions: dict[str, Change] = {
            "recall": _recall,
            "start": lambda _s, _row, state, _branch, now: (rules.start(state, now), {}),
            "no_show": lambda _s, _row, state, _branch, now: (rules.no_show(state, now), {}),
        }
        return self._at_window(principal, ticket_id, _ACTION_EVENTS[action], transitions[action])

    def finish(
        self,
        principal: Principal,
        ticket_id: int,
        *,
        outcome: str | None = None,
        note: str | None = None,
    ) -> ClerkView:
        """Done; optionally with an outcome from the centre's list and a note (staff only)."""

        def change(
            session: Session, row: Ticket, state: TicketState, branch: Branch, now: datetime
        ) -> tuple[TicketState, dict[str, Any]]:
            new = rules.finish(state, now)
            extra: dict[str, Any] = {}
            if outcome:
                row.outcome = check_outcome(session, branch.id, outcome)
                extra["outcome"] = row.outcome
            if note and clean_note(note):
                row.note, row.note_by = clean_note(note), principal.name
            if new.started_at is not None:
                learn(session, row.service_id, now - new.started_at)
            return new, extra

        return self._at_window(principal, ticket_id, EventType.TICKET_FINISHED, change)

    def transfer(
        self,
        principal: Principal,
        ticket_id: int,
        *,
        service_id: int | None = None,
        counter_id: int | None = None,
        clerk_id: int | None = None,
        note: str | None = None,
    ) -> ClerkView:
        """To another service's line, or handed over to one window or clerk (called there
        next); the place in line is kept; the note is for the next clerk."""

        def change(
            session: Session, row: Ticket, state: TicketState, branch: Branch, _now: datetime
        ) -> tuple[TicketState, dict[str, Any]]:
            target = resolve_target(
                session,
                branch,
                row,
                service_id=service_id,
                counter_id=counter_id,
                clerk_id=clerk_id,
            )
            new = rules.transfer(state, target.service.id, counter_id=counter_id, clerk_id=clerk_id)
            extra: dict[str, Any] = {
                "from_service_id": row.service_id,
                "to_service_id": target.service.id,
                **service_labels(target.service, "to_"),
                "has_note": bool(clean_note(note)),  # the words stay off the public stream
            }
            if target.window is not None:
                extra["to_counter_id"] = target.window.id
                extra["to_counter_number"] = target.window.number
                extra["handed_over"] = "clerk" if clerk_id is not None else "counter"
            text = clean_note(note)  # for the next clerk: an older note would mislead
            row.note, row.note_by = text, (principal.name if text else "")
            return new, extra

        return self._at_window(principal, ticket_id, EventType.TICKET_TRANSFERRED, change)

    def _at_window(
        self, principal: Principal, ticket_id: int, event: EventType, change: Change
    ) -> ClerkView:
        """One change to a ticket at the clerk's own window, with its event, in one transaction."""
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            branch = get_branch(session, row.branch_id)
            counter = self._counter_holding(session, principal, row)
            new, extra = change(session, row, to_state(row), branch, now)
            store_state(session, row, new)
            record_event(
                session,
                branch_id=branch.id,
                type_=event,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(row, counter, **extra),
            )
            return clerk_view(session, row, branch, now)

    def return_no_show(self, principal: Principal, ticket_id: int) -> ClerkView:
        return self._change_away_from_window(
            principal,
            ticket_id,
            EventType.TICKET_RETURNED,
            lambda state, now, branch: rules.return_no_show(state, now, ticket_rules(branch)),
        )

    def cancel(self, principal: Principal, ticket_id: int, reason: str | None = None) -> ClerkView:
        """At the visitor's wish: a waiting ticket by any staff of the branch; a called one only
        at the window it was called to. The reason stays with the ticket (staff only)."""
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            ensure_branch_access(principal, row.branch_id)
            counter = None
            if row.status == TicketStatus.CALLED:
                counter = self._counter_holding(session, principal, row)
            store_state(session, row, rules.cancel(to_state(row)))
            row.cancel_reason = clean_note(reason)[:200]
            record_event(
                session,
                branch_id=row.branch_id,
                type_=EventType.TICKET_CANCELLED,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id if counter is not None else None,
                data=ticket_event_data(row, counter, has_reason=bool(row.cancel_reason)),
            )
            return clerk_view(session, row, get_branch(session, row.branch_id), now)

    def _change_away_from_window(
        self,
        principal: Principal,
        ticket_id: int,
        event_type: EventType,
        transition: Callable[[TicketState, datetime, Branch], TicketState],
    ) -> ClerkView:
        """A change any staff member of the branch may make to a ticket not at a window."""
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            ensure_branch_access(principal, row.branch_id)
            branch = get_branch(session, row.branch_id)
            store_state(session, row, transition(to_state(row), now, branch))
            record_event(
                session,
                branch_id=branch.id,
                type_=event_type,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                data=ticket_event_data(row),
            )
            return clerk_view(session, row, branch, now)

    # -- helpers -----------------------------------------------------------------------------

    def _branch_of_counter(self, counter_id: int) -> int:
        return self.owners.of_counter(counter_id)

    def _branch_of_ticket(self, ticket_id: int) -> int:
        return self.owners.of_ticket(ticket_id)

    def _own_open_counter(
        self, session: Session, principal: Principal, counter_id: int
    ) -> tuple[Counter, Branch]:
        counter = get_counter(session, counter_id)
        branch = get_branch(session, counter.branch_id)
        if counter.clerk_id != principal.id or counter.state == CounterState.CLOSED:
            raise Forbidden(
                f"Викликати можна лише у вікні, яке ви відкрили; вікно {counter.number} не ваше",
                f"You can only call at a window you opened; window {counter.number} is not yours",
                code="not_your_window",
            )
        if counter.state == CounterState.PAUSED:
            raise InvalidTransition(
                f"Вікно {counter.number} на перерві: відкрийте його, щоб викликати",
                f"Window {counter.number} is on a break: open it to call",
                code="counter_paused",
            )
        ensure_not_paused(branch)
        return counter, branch

    def _clear_counter_for_next(
        self, session: Session, counter: Counter, principal: Principal, now: datetime
    ) -> None:
        """Calling next finishes a visitor being served; a called one must be dealt with first."""
        for row in tickets_at(session, counter.id):
            if row.status == TicketStatus.CALLED:
                raise InvalidTransition(
                    f"Талон {row.number} викликано, але не обслуговано: почніть обслуговування, "
                    "викличте повторно або позначте неявку",
                    f"Ticket {row.number} is called but not served: start serving, recall it "
                    "or mark it as a no-show",
                    code="ticket_pending",
                )
            state = rules.finish(to_state(row), now)
            store_state(session, row, state)
            if state.started_at is not None:
                learn(session, row.service_id, now - state.started_at)
            record_event(
                session,
                branch_id=counter.branch_id,
                type_=EventType.TICKET_FINISHED,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(row, counter),
            )

    def _counter_holding(self, session: Session, principal: Principal, row: Ticket) -> Counter:
        if row.counter_id is None:
            raise InvalidTransition(
                f"Талон {row.number} зараз не у вікні",
                f"Ticket {row.number} is not at a window now",
            )
        counter = get_counter(session, row.counter_id)
        if counter.clerk_id != principal.id and not principal.is_admin:
            raise Forbidden(
                f"Талон {row.number} обслуговує інше вікно ({counter.number})",
                f"Ticket {row.number} is being handled at another window ({counter.number})",
                code="not_your_window",
            )
        return counter


Change = Callable[
    [Session, Ticket, TicketState, Branch, datetime], tuple[TicketState, dict[str, Any]]
]
"""A change at the window: (session, row, its state, branch, now) -> (new state, event extras)."""


def _recall(
    _session: Session, _row: Ticket, state: TicketState, branch: Branch, _now: datetime
) -> tuple[TicketState, dict[str, Any]]:
    ensure_not_paused(branch)
    new = rules.recall(state, ticket_rules(branch))
    return new, {"recall_count": new.recall_count, "recall_limit": branch.recall_limit}


_ACTION_EVENTS = {
    "start": EventType.TICKET_STARTED,
    "recall": EventType.TICKET_RECALLED,
    "no_show": EventType.TICKET_NO_SHOW,
}


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))
