"""Issuing tickets and everything a clerk does with one, each a single write transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core import tickets as rules
from cherha.core.errors import Forbidden, Invalid, InvalidTransition
from cherha.core.estimates import learn_average
from cherha.core.model import CounterState, EventType, Lane, TicketState, TicketStatus
from cherha.core.numbering import local_day
from cherha.core.ordering import CallPolicy, choose_next

from ..auth import Principal
from . import request_keys
from .clock import Clock, utcnow
from .db import Database
from .issuing import Issued, issue_in, issued_view
from .models import Branch, Counter, Service, Ticket
from .records import (
    apply_state,
    ensure_branch_access,
    ensure_not_paused,
    get_active_service,
    get_branch,
    get_counter,
    get_ticket,
    record_event,
    served_service_ids,
    ticket_event_data,
    to_state,
)
from .request_keys import KeyedRequest
from .schedules import ScheduleCache


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
                    return issued_view(session, get_ticket(session, earlier.ticket_id), branch)
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

    def call_next(self, principal: Principal, counter_id: int) -> Ticket | None:
        branch_id = self._branch_of_counter(counter_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            counter, branch = self._own_open_counter(session, principal, counter_id)
            self._clear_counter_for_next(session, counter, principal, now)
            served = served_service_ids(session, counter.id)
            candidates = [
                t
                for lane in Lane
                if (t := self._earliest_waiting(session, branch.id, served, lane))
            ]
            choice = choose_next(
                [to_state(t) for t in candidates],
                served,
                counter.priority_streak,
                CallPolicy(priority_cap=branch.priority_cap),
            )
            if choice is None:
                return None
            row = next(t for t in candidates if t.id == choice.ticket.id)
            apply_state(row, rules.call(choice.ticket, counter.id, now))
            counter.priority_streak = choice.priority_streak
            record_event(
                session,
                branch_id=branch.id,
                type_=EventType.TICKET_CALLED,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(row, counter, waited_seconds=_seconds(now - row.issued_at)),
            )
            return row

    def call_specific(
        self, principal: Principal, counter_id: int, ticket_id: int, reason: str
    ) -> Ticket:
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
            if row.branch_id != branch.id or row.service_id not in served_service_ids(
                session, counter.id
            ):
                raise Invalid(
                    f"Талон {row.number} не належить до послуг цього вікна",
                    f"Ticket {row.number} is not for a service this window serves",
                )
            apply_state(row, rules.call(to_state(row), counter.id, now))
            record_event(
                session,
                branch_id=branch.id,
                type_=EventType.TICKET_CALLED,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(
                    row,
                    counter,
                    waited_seconds=_seconds(now - row.issued_at),
                    out_of_order=True,
                    reason=reason.strip(),
                ),
            )
            return row

    def act(self, principal: Principal, ticket_id: int, action: str, **kwargs: int) -> Ticket:
        """recall / start / finish / no_show / transfer(service_id=…) on a ticket at the clerk's window."""
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            branch = get_branch(session, row.branch_id)
            counter = self._counter_holding(session, principal, row)
            state = to_state(row)
            extra: dict[str, object] = {}
            if action == "recall":
                ensure_not_paused(branch)
                new = rules.recall(state, ticket_rules(branch))
                extra = {"recall_count": new.recall_count, "recall_limit": branch.recall_limit}
            elif action == "start":
                new = rules.start(state, now)
            elif action == "finish":
                new = rules.finish(state, now)
            elif action == "no_show":
                new = rules.no_show(state, now)
            elif action == "transfer":
                target = get_active_service(session, kwargs["service_id"], branch.id)
                new = rules.transfer(state, target.id)
                extra = {"from_service_id": row.service_id, "to_service_id": target.id}
            else:  # pragma: no cover - routes only pass the actions above
                raise ValueError(action)
            apply_state(row, new)
            if action == "finish" and new.started_at is not None:
                self._learn(session, row.service_id, now - new.started_at)
            record_event(
                session,
                branch_id=branch.id,
                type_=_ACTION_EVENTS[action],
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(row, counter, **extra),
            )
            return row

    def return_no_show(self, principal: Principal, ticket_id: int) -> Ticket:
        return self._change_away_from_window(
            principal,
            ticket_id,
            EventType.TICKET_RETURNED,
            lambda state, now, branch: rules.return_no_show(state, now, ticket_rules(branch)),
        )

    def cancel(self, principal: Principal, ticket_id: int) -> Ticket:
        return self._change_away_from_window(
            principal,
            ticket_id,
            EventType.TICKET_CANCELLED,
            lambda state, _now, _branch: rules.cancel(state),
        )

    def _change_away_from_window(
        self,
        principal: Principal,
        ticket_id: int,
        event_type: EventType,
        transition: Callable[[TicketState, datetime, Branch], TicketState],
    ) -> Ticket:
        """A change any staff member of the branch may make to a ticket not at a window."""
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            ensure_branch_access(principal, row.branch_id)
            branch = get_branch(session, row.branch_id)
            apply_state(row, transition(to_state(row), now, branch))
            record_event(
                session,
                branch_id=branch.id,
                type_=event_type,
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                data=ticket_event_data(row),
            )
            return row

    # -- helpers -----------------------------------------------------------------------------

    def _branch_of_counter(self, counter_id: int) -> int:
        with self.db.read() as session:
            return get_counter(session, counter_id).branch_id

    def _branch_of_ticket(self, ticket_id: int) -> int:
        with self.db.read() as session:
            return get_ticket(session, ticket_id).branch_id

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
        for row in _tickets_at(session, counter.id):
            if row.status == TicketStatus.CALLED:
                raise InvalidTransition(
                    f"Талон {row.number} викликано, але не обслуговано: почніть обслуговування, "
                    "викличте повторно або позначте неявку",
                    f"Ticket {row.number} is called but not served: start serving, recall it "
                    "or mark it as a no-show",
                    code="ticket_pending",
                )
            state = rules.finish(to_state(row), now)
            apply_state(row, state)
            if state.started_at is not None:
                self._learn(session, row.service_id, now - state.started_at)
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

    @staticmethod
    def _earliest_waiting(
        session: Session, branch_id: int, served: list[int], lane: Lane
    ) -> Ticket | None:
        if not served:
            return None
        return session.scalars(
            select(Ticket)
            .where(
                Ticket.branch_id == branch_id,
                Ticket.status == TicketStatus.WAITING,
                Ticket.service_id.in_(served),
                Ticket.lane == lane,
            )
            .order_by(Ticket.order_key, Ticket.id)
            .limit(1)
        ).first()

    @staticmethod
    def _learn(session: Session, service_id: int, duration: timedelta) -> None:
        service = session.get(Service, service_id)
        if service is not None:
            service.average_seconds = learn_average(
                service.average_seconds, duration.total_seconds()
            )


def _tickets_at(session: Session, counter_id: int) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket).where(
                Ticket.counter_id == counter_id,
                Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]),
            )
        )
    )


_ACTION_EVENTS = {
    "start": EventType.TICKET_STARTED,
    "finish": EventType.TICKET_FINISHED,
    "recall": EventType.TICKET_RECALLED,
    "transfer": EventType.TICKET_TRANSFERRED,
    "no_show": EventType.TICKET_NO_SHOW,
}


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))
