"""Helpers shared by the store's operations: lookups that refuse clearly, events, row ↔ state."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from cherha.core.errors import BranchPaused, Forbidden, Invalid, NotFound
from cherha.core.model import EventType, Lane, TicketState, TicketStatus

from ..auth import Principal
from .models import Branch, Counter, CounterService, Event, Service, Ticket
from .statements import attach, connection, fetch, stored


def get_branch(session: Session, branch_id: int) -> Branch:
    branch = fetch(session, Branch, branch_id)
    if branch is None:
        raise NotFound(f"Центру з номером {branch_id} немає", f"There is no branch {branch_id}")
    return branch


def get_service(session: Session, service_id: int, *, branch_id: int | None = None) -> Service:
    service = fetch(session, Service, service_id)
    if service is None or (branch_id is not None and service.branch_id != branch_id):
        raise NotFound(
            f"Послуги з номером {service_id} немає", f"There is no service with id {service_id}"
        )
    return service


def get_active_service(session: Session, service_id: int, branch_id: int) -> Service:
    service = get_service(session, service_id, branch_id=branch_id)
    if not service.active:
        raise Invalid(
            f"Послуга «{service.name_uk}» зараз недоступна",
            f"The service '{service.name_en or service.name_uk}' is not available now",
            code="service_inactive",
        )
    return service


def get_counter(session: Session, counter_id: int) -> Counter:
    counter = fetch(session, Counter, counter_id)
    if counter is None or not counter.active:
        raise NotFound(
            f"Вікна з номером {counter_id} немає", f"There is no window with id {counter_id}"
        )
    return counter


def get_ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = fetch(session, Ticket, ticket_id)
    if ticket is None:
        raise NotFound(
            f"Талона з номером {ticket_id} немає", f"There is no ticket with id {ticket_id}"
        )
    return ticket


def served_service_ids(session: Session, counter_id: int) -> list[int]:
    """The active services a window serves (every call reads them: a Core statement)."""
    return list(connection(session).execute(_SERVED, {"counter_id": counter_id}).scalars())


_SERVED = (
    select(CounterService.service_id)
    .join(Service, Service.id == CounterService.service_id)
    .where(CounterService.counter_id == bindparam("counter_id"), Service.active.is_(True))
)


def ensure_not_paused(branch: Branch) -> None:
    if branch.paused:
        reason = f" ({branch.pause_reason})" if branch.pause_reason else ""
        raise BranchPaused(
            f"Обслуговування призупинено{reason}. Ваше місце в черзі збережено",
            f"Service is paused{reason}. Places in the queue are kept",
        )


def ensure_branch_access(principal: Principal, branch_id: int) -> None:
    if principal.branch_id is not None and principal.branch_id != branch_id:
        raise Forbidden(
            "Цей пристрій належить іншому центру", "This device belongs to another branch"
        )


def record_event(
    session: Session,
    *,
    branch_id: int,
    type_: EventType,
    at: datetime,
    actor: str,
    ticket_id: int | None = None,
    counter_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event in the caller's transaction (so it commits or rolls back with the change).

    Inserted at once with a Core statement (the ORM's flush cost more than the insert), then
    kept in the session as a stored row. The database's event hooks see it too: the
    notifications it causes are written in the same transaction (docs/notifications.md).
    """
    values: dict[str, Any] = {
        "at": at,
        "branch_id": branch_id,
        "type": type_,
        "ticket_id": ticket_id,
        "counter_id": counter_id,
        "actor": actor,
        "data": data or {},
    }
    values["id"] = connection(session).execute(_INSERT_EVENT, values).scalar_one()
    event = attach(session, stored(Event, values))
    for hook in session.info.get("cherha_event_hooks", ()):
        hook(session, event)  # notifications: their outbox rows join this transaction
    return event


_INSERT_EVENT = insert(Event).returning(Event.id)


class TicketFields(Protocol):
    """What the queue rules read of a ticket: a `Ticket`, or a row of its columns."""

    @property
    def id(self) -> int: ...
    @property
    def service_id(self) -> int: ...
    @property
    def lane(self) -> str: ...
    @property
    def order_key(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def counter_id(self) -> int | None: ...
    @property
    def recall_count(self) -> int: ...
    @property
    def called_at(self) -> datetime | None: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def finished_at(self) -> datetime | None: ...
    @property
    def no_show_at(self) -> datetime | None: ...
    @property
    def target_counter_id(self) -> int | None: ...
    @property
    def target_clerk_id(self) -> int | None: ...


def to_state(row: TicketFields) -> TicketState:
    return TicketState(
        id=row.id,
        service_id=row.service_id,
        lane=Lane(row.lane),
        order_key=row.order_key,
        status=TicketStatus(row.status),
        counter_id=row.counter_id,
        recall_count=row.recall_count,
        called_at=row.called_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        no_show_at=row.no_show_at,
        target_counter_id=row.target_counter_id,
        target_clerk_id=row.target_clerk_id,
    )


_STATE_FIELDS = (
    "service_id",
    "order_key",
    "status",
    "counter_id",
    "recall_count",
    "called_at",
    "started_at",
    "finished_at",
    "no_show_at",
    "target_counter_id",
    "target_clerk_id",
)
# The SET clause is every key of the parameters but `ticket_id`: the state's fields.
_STORE_STATE = update(Ticket).where(Ticket.id == bindparam("ticket_id"))


def store_state(session: Session, row: Ticket, state: TicketState) -> None:
    """Write the ticket's new state: one Core UPDATE now (a flush of the changed object cost
    several times more), and the same values in the session's row, as stored."""
    values = {field: getattr(state, field) for field in _STATE_FIELDS}
    connection(session).execute(_STORE_STATE, {"ticket_id": row.id, **values})
    for field, value in values.items():
        set_committed_value(row, field, value)


def ticket_event_data(row: Ticket, counter: Counter | None = None, **extra: Any) -> dict[str, Any]:
    """What displays need about a ticket: number, service, window. Never personal data."""
    data: dict[str, Any] = {
        "number": row.number,
        "service_id": row.service_id,
        "lane": row.lane,
        "status": row.status,
    }
    if counter is not None:
        data["counter_id"] = counter.id
        data["counter_number"] = counter.number
    data.update(extra)
    return data


def service_labels(service: Service, prefix: str = "") -> dict[str, Any]:
    """What a report keeps of a service as it was at the time (its name and wait target), so
    a month's report reads the same after the service is renamed (docs/reports.md)."""
    return {
        f"{prefix}service_name_uk": service.name_uk,
        f"{prefix}service_name_en": service.name_en,
        f"{prefix}wait_target_minutes": service.wait_target_minutes,
    }
