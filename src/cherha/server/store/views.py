"""Read models: what the kiosk, the desks, the displays and the phone pages show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cherha.core.estimates import estimate_minutes
from cherha.core.model import ACTIVE_STATUSES, CounterState, EventType, Lane, TicketStatus
from cherha.core.redirect import WindowServices, windows_instead

from .clerk_view import ClerkView, clerk_view
from .clock import Clock, utcnow
from .db import Database
from .estimating import floor_now
from .issuing import estimate_for
from .models import Branch, Counter, CounterService, Event, Service, Ticket
from .records import get_branch, get_counter, get_ticket
from .schedules import load_schedules


@dataclass(frozen=True, slots=True)
class ServiceView:
    service: Service
    waiting: int
    estimated_wait_minutes: int
    open_now: bool
    counter_ids: list[int]
    longest_wait_seconds: int


@dataclass(frozen=True, slots=True)
class CounterView:
    counter: Counter
    service_ids: list[int]
    current: Ticket | None
    go_instead: list[int] = field(default_factory=list)
    """While not open: the nearest open windows serving its services (core.redirect)."""


@dataclass(frozen=True, slots=True)
class CallView:
    event_id: int
    at: datetime
    ticket_id: int
    number: str
    counter_id: int
    counter_number: int
    recall: bool


@dataclass(frozen=True, slots=True)
class BoardView:
    branch: Branch
    current: list[CallView]
    last_calls: list[CallView]
    services: list[ServiceView]
    last_event_id: int
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class TicketView:
    ticket: Ticket
    service: Service
    branch: Branch
    counter_number: int | None
    people_ahead: int | None
    estimated_wait_minutes: int | None
    extra: dict[str, object] = field(default_factory=dict)


class Views:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def default_branch_id(self) -> int:
        with self.db.read() as session:
            branch_id = session.scalar(select(Branch.id).order_by(Branch.id).limit(1))
        if branch_id is None:
            from cherha.core.errors import NotFound

            raise NotFound(
                "Центр ще не налаштовано: cherha-server init --sample",
                "No centre is set up yet: cherha-server init --sample",
                code="no_branch",
            )
        return branch_id

    def services(self, branch_id: int) -> list[ServiceView]:
        with self.db.read() as session:
            return self._services(session, get_branch(session, branch_id))

    def _services(self, session: Session, branch: Branch) -> list[ServiceView]:
        now = self.clock()
        waiting: dict[int, tuple[int, datetime]] = {
            service_id: (count, oldest)
            for service_id, count, oldest in session.execute(
                select(Ticket.service_id, func.count(Ticket.id), func.min(Ticket.issued_at))
                .where(Ticket.branch_id == branch.id, Ticket.status == TicketStatus.WAITING)
                .group_by(Ticket.service_id)
            )
        }
        links: dict[int, list[int]] = {}
        for counter_id, service_id in session.execute(
            select(CounterService.counter_id, CounterService.service_id)
            .join(Counter, Counter.id == CounterService.counter_id)
            .where(Counter.active.is_(True), Counter.branch_id == branch.id)
        ):
            links.setdefault(service_id, []).append(counter_id)
        services = list(
            session.scalars(
                select(Service)
                .where(Service.branch_id == branch.id)
                .order_by(Service.position, Service.id)
            )
        )
        floor = floor_now(session, branch.id, now, [s.id for s in services])
        ahead = {service_id: count for service_id, (count, _oldest) in waiting.items()}
        schedules = load_schedules(session, branch.id, [s.id for s in services])
        views = []
        for service in services:
            count, oldest = waiting.get(service.id, (0, None))
            longest = 0 if oldest is None else max(0, int((now - _aware(oldest)).total_seconds()))
            views.append(
                ServiceView(
                    service=service,
                    waiting=count,
                    estimated_wait_minutes=estimate_minutes(floor.inputs(service.id, ahead)),
                    open_now=service.active and schedules[service.id].is_open(now, branch.timezone),
                    counter_ids=sorted(links.get(service.id, [])),
                    longest_wait_seconds=longest,
                )
            )
        return views

    def counters(self, branch_id: int) -> list[CounterView]:
        with self.db.read() as session:
            links: dict[int, list[int]] = {}
            for counter_id, service_id in session.execute(
                select(CounterService.counter_id, CounterService.service_id)
            ):
                links.setdefault(counter_id, []).append(service_id)
            current = {
                t.counter_id: t
                for t in session.scalars(
                    select(Ticket).where(
                        Ticket.branch_id == branch_id,
                        Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]),
                    )
                )
            }
            counters = list(
                session.scalars(
                    select(Counter)
                    .where(Counter.branch_id == branch_id, Counter.active.is_(True))
                    .order_by(Counter.number)
                )
            )
            windows = {
                c.id: WindowServices(
                    c.number, c.state == CounterState.OPEN, frozenset(links.get(c.id, ()))
                )
                for c in counters
            }
            return [
                CounterView(
                    c,
                    sorted(links.get(c.id, [])),
                    current.get(c.id),
                    []
                    if c.state == CounterState.OPEN
                    else windows_instead(windows[c.id], windows.values()),
                )
                for c in counters
            ]

    def board(self, branch_id: int, last: int | None = None) -> BoardView:
        """The hall's picture: the last calls (`last`; default the centre's
        `display_last_calls`), who is at a window, waiting per service."""
        with self.db.read() as session:
            branch = get_branch(session, branch_id)
            last = last or branch.display_last_calls
            last_event_id = (
                session.scalar(select(func.max(Event.id)).where(Event.branch_id == branch_id)) or 0
            )
            calls: list[CallView] = []
            seen: set[int] = set()
            for event in session.scalars(
                select(Event)
                .where(
                    Event.branch_id == branch_id,
                    Event.type.in_([EventType.TICKET_CALLED, EventType.TICKET_RECALLED]),
                )
                .order_by(Event.id.desc())
                .limit(last * 4)
            ):
                if event.ticket_id is None or event.ticket_id in seen:
                    continue
                seen.add(event.ticket_id)
                calls.append(_call_view(event))
                if len(calls) == last:
                    break
            at_counters = {
                t.id
                for t in session.scalars(
                    select(Ticket).where(
                        Ticket.branch_id == branch_id,
                        Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]),
                    )
                )
            }
            current = [c for c in calls if c.ticket_id in at_counters]
            return BoardView(
                branch=branch,
                current=current,
                last_calls=calls,
                services=self._services(session, branch),
                last_event_id=last_event_id,
                generated_at=self.clock(),
            )

    def ticket(self, public_token: str) -> TicketView | None:
        with self.db.read() as session:
            row = session.scalars(select(Ticket).where(Ticket.public_token == public_token)).first()
            if row is None:
                return None
            service = session.get(Service, row.service_id)
            branch = session.get(Branch, row.branch_id)
            assert service is not None
            assert branch is not None
            counter = session.get(Counter, row.counter_id) if row.counter_id else None
            ahead: int | None = None
            wait: int | None = None
            if row.status == TicketStatus.WAITING:
                ahead, wait, _inputs = estimate_for(session, row, self.clock())
            return TicketView(
                ticket=row,
                service=service,
                branch=branch,
                counter_number=counter.number
                if counter and row.status in ACTIVE_STATUSES
                else None,
                people_ahead=ahead,
                estimated_wait_minutes=wait,
            )

    def counter_branch(self, counter_id: int) -> int:
        with self.db.read() as session:
            return get_counter(session, counter_id).branch_id

    def clerk_ticket(self, ticket_id: int) -> ClerkView:
        """A ticket as a clerk's desk shows it (by id), read in one transaction."""
        with self.db.read() as session:
            row = get_ticket(session, ticket_id)
            branch = session.get(Branch, row.branch_id)
            assert branch is not None
            return clerk_view(session, row, branch, self.clock())

    def events_after(self, branch_id: int, after_id: int, limit: int = 500) -> list[Event]:
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(Event)
                    .where(Event.branch_id == branch_id, Event.id > after_id)
                    .order_by(Event.id)
                    .limit(limit)
                )
            )

    def last_event_id(self, branch_id: int) -> int:
        with self.db.read() as session:
            return (
                session.scalar(select(func.max(Event.id)).where(Event.branch_id == branch_id)) or 0
            )


def _aware(moment: datetime) -> datetime:
    """Aggregates bypass the column type: SQLite hands back naive UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _call_view(event: Event) -> CallView:
    assert event.ticket_id is not None
    assert event.counter_id is not None
    return CallView(
        event_id=event.id,
        at=event.at,
        ticket_id=event.ticket_id,
        number=str(event.data.get("number", "")),
        counter_id=event.counter_id,
        counter_number=int(event.data.get("counter_number", 0)),
        recall=event.type == EventType.TICKET_RECALLED,
    )


__all__ = ["BoardView", "CallView", "CounterView", "Lane", "ServiceView", "TicketView", "Views"]
