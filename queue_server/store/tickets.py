"""Issuing tickets and everything a clerk does with one, each a single write transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from ..auth import Principal, new_public_token
from ..core import tickets as rules
from ..core.errors import Forbidden, Invalid, InvalidTransition
from ..core.estimates import estimate_wait_minutes, learn_average, windows_for_estimate
from ..core.model import CounterState, Lane, TicketStatus
from ..core.numbering import format_number, local_day, next_sequence
from ..core.ordering import CallPolicy, choose_next
from .db import Database
from .models import Branch, Counter, CounterService, NumberSeries, Service, Ticket
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
from .schedules import ScheduleCache, load_schedule

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Issued:
    ticket: Ticket
    service: Service
    branch: Branch
    people_ahead: int
    estimated_wait_minutes: int


def ticket_rules(branch: Branch) -> rules.TicketRules:
    return rules.TicketRules(
        recall_limit=branch.recall_limit,
        no_show_return_window=timedelta(minutes=branch.no_show_return_minutes),
        returned_keeps_place=branch.returned_keeps_place,
    )


def _people_ahead_query(ticket: Ticket) -> Select[int]:
    """SQL form of `core.ordering.people_ahead` (tests check the two agree)."""
    waiting = select(func.count(Ticket.id)).where(
        Ticket.branch_id == ticket.branch_id,
        Ticket.service_id == ticket.service_id,
        Ticket.status == TicketStatus.WAITING.value,
        Ticket.id != ticket.id,
    )
    earlier = tuple_(Ticket.order_key, Ticket.id) < tuple_(ticket.order_key, ticket.id)
    if ticket.lane == Lane.PRIORITY.value:
        return waiting.where(Ticket.lane == Lane.PRIORITY.value, earlier)
    return waiting.where(or_(Ticket.lane == Lane.PRIORITY.value, earlier))


def count_people_ahead(session: Session, ticket: Ticket) -> int:
    return session.scalar(_people_ahead_query(ticket)) or 0


def _windows_query(service_id: int) -> Select[int, int]:
    is_open = case((Counter.state == CounterState.OPEN.value, 1), else_=0)
    return (
        select(func.count(Counter.id), func.coalesce(func.sum(is_open), 0))
        .join(CounterService, CounterService.counter_id == Counter.id)
        .where(CounterService.service_id == service_id, Counter.active.is_(True))
    )


def windows_serving(session: Session, service_id: int) -> int:
    """Open windows serving the service; if none is open yet, those that will serve it."""
    total, open_count = session.execute(_windows_query(service_id)).one()
    return windows_for_estimate(int(open_count), int(total))


def estimate_for(session: Session, ticket: Ticket, service: Service) -> tuple[int, int]:
    """People ahead and the wait estimate, in one round trip (it runs for every ticket)."""
    windows = _windows_query(service.id).subquery()
    ahead, total, open_count = session.execute(
        select(
            _people_ahead_query(ticket).scalar_subquery(),
            select(windows.c[0]).scalar_subquery(),
            select(windows.c[1]).scalar_subquery(),
        )
    ).one()
    serving = windows_for_estimate(int(open_count), int(total))
    return int(ahead), estimate_wait_minutes(int(ahead), service.average_seconds, serving)


def _next_number(session: Session, branch_id: int, prefix: str, lane: Lane, day: date) -> int:
    series = session.get(NumberSeries, (branch_id, prefix, lane.value, day))
    sequence = next_sequence(series.last if series else None)
    if series is None:
        session.add(
            NumberSeries(
                branch_id=branch_id, prefix=prefix, lane=lane.value, day=day, last=sequence
            )
        )
    else:
        series.last = sequence
    return sequence


def expire_before(session: Session, branch: Branch, day: date, now: datetime, actor: str) -> int:
    """Close out tickets left from earlier days, each with its event: none is silently lost."""
    leftovers = session.scalars(
        select(Ticket).where(
            Ticket.branch_id == branch.id,
            Ticket.day < day,
            Ticket.status.in_(
                [TicketStatus.WAITING.value, TicketStatus.CALLED.value, TicketStatus.NO_SHOW.value]
            ),
        )
    ).all()
    for row in leftovers:
        apply_state(row, rules.expire(to_state(row)))
        record_event(
            session,
            branch_id=branch.id,
            type_="ticket_expired",
            at=now,
            actor=actor,
            ticket_id=row.id,
            data=ticket_event_data(row),
        )
    return len(leftovers)


def issue_in(
    session: Session,
    principal: Principal,
    branch: Branch,
    service: Service,
    now: datetime,
    *,
    priority: bool = False,
    source: str = "kiosk",
    order_key: datetime | None = None,
    check_hours: bool = True,
    schedules: ScheduleCache | None = None,
) -> Issued:
    """Issue a ticket inside the caller's write transaction (holding the branch lock).

    The one place tickets are made: the next number of the day's series, the leftovers of
    earlier days closed out, the `ticket_issued` event. `order_key` is the place in line (a
    booking checked in on time passes its slot start); `check_hours=False` lets a booked visitor
    check in a few minutes before the service opens.
    """
    if check_hours:
        schedule = (
            schedules.get(session, branch.id, service.id)
            if schedules is not None
            else load_schedule(session, branch.id, service.id)
        )
        schedule.ensure_open(
            now,
            branch.timezone,
            f"Послуга «{service.name_uk}»",
            f"The service '{service.name_en or service.name_uk}'",
        )
    lane = Lane.PRIORITY if priority else Lane.ORDINARY
    day = local_day(now, branch.timezone)
    sequence = _next_number(session, branch.id, service.prefix, lane, day)
    if sequence == 1:
        expire_before(session, branch, day, now, "system:day-change")
    ticket = Ticket(
        branch_id=branch.id,
        service_id=service.id,
        lane=lane.value,
        number=format_number(service.prefix, sequence, lane),
        sequence=sequence,
        day=day,
        issued_at=now,
        order_key=order_key or now,
        status=TicketStatus.WAITING.value,
        public_token=new_public_token(),
        source=source,
        device_id=principal.id if principal.kind == "device" else None,
    )
    session.add(ticket)
    session.flush()
    ahead, wait = estimate_for(session, ticket, service)
    record_event(
        session,
        branch_id=branch.id,
        type_="ticket_issued",
        at=now,
        actor=principal.actor,
        ticket_id=ticket.id,
        data=ticket_event_data(ticket, people_ahead=ahead, estimated_wait_minutes=wait),
    )
    return Issued(ticket, service, branch, ahead, wait)


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
    ) -> Issued:
        ensure_branch_access(principal, branch_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            branch = get_branch(session, branch_id)
            ensure_not_paused(branch)
            service = get_active_service(session, service_id, branch_id)
            if priority and not service.allow_priority:
                raise Invalid(
                    f"Для послуги «{service.name_uk}» пільгової черги немає",
                    f"The service '{service.name_en or service.name_uk}' has no priority lane",
                    code="no_priority_lane",
                )
            return issue_in(
                session,
                principal,
                branch,
                service,
                now,
                priority=priority,
                source=source,
                schedules=self.schedules,
            )

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
                type_="ticket_called",
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
                type_="ticket_called",
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
                type_=f"ticket_{_event_name(action)}",
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                counter_id=counter.id,
                data=ticket_event_data(row, counter, **extra),
            )
            return row

    def return_no_show(self, principal: Principal, ticket_id: int) -> Ticket:
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            ensure_branch_access(principal, row.branch_id)
            branch = get_branch(session, row.branch_id)
            apply_state(row, rules.return_no_show(to_state(row), now, ticket_rules(branch)))
            record_event(
                session,
                branch_id=branch.id,
                type_="ticket_returned",
                at=now,
                actor=principal.actor,
                ticket_id=row.id,
                data=ticket_event_data(row),
            )
            return row

    def cancel(self, principal: Principal, ticket_id: int) -> Ticket:
        branch_id = self._branch_of_ticket(ticket_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            row = get_ticket(session, ticket_id)
            ensure_branch_access(principal, row.branch_id)
            apply_state(row, rules.cancel(to_state(row)))
            record_event(
                session,
                branch_id=row.branch_id,
                type_="ticket_cancelled",
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
        if counter.clerk_id != principal.id or counter.state == CounterState.CLOSED.value:
            raise Forbidden(
                f"Викликати можна лише у вікні, яке ви відкрили; вікно {counter.number} не ваше",
                f"You can only call at a window you opened; window {counter.number} is not yours",
                code="not_your_window",
            )
        if counter.state == CounterState.PAUSED.value:
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
            if row.status == TicketStatus.CALLED.value:
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
                type_="ticket_finished",
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
                Ticket.status == TicketStatus.WAITING.value,
                Ticket.service_id.in_(served),
                Ticket.lane == lane.value,
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
                Ticket.status.in_([TicketStatus.CALLED.value, TicketStatus.SERVING.value]),
            )
        )
    )


def _event_name(action: str) -> str:
    return {
        "start": "started",
        "finish": "finished",
        "recall": "recalled",
        "transfer": "transferred",
        "no_show": "no_show",
    }[action]


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))
