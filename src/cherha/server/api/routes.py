"""The /api/v1 routes (except the event stream): parse, call the store, serialise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from cherha import wire
from cherha.core.errors import Forbidden, NotFound

from .. import __version__
from ..auth import DeviceKind, Principal
from ..backend import Backend
from ..store.issuing import Issued
from . import serialize
from .addresses import client_address
from .deps import (
    AdminDep,
    BackendDep,
    BearerCredentials,
    HeadDep,
    IdempotencyKey,
    IssuerDep,
    PrincipalDep,
    ReaderDep,
    StaffDep,
    StaffSecretDep,
    backend_of,
    secret_of,
    staff_in_write,
)
from .logins import attempt_login

# The bodies of a finish, a cancellation and a break may be left out (immutable, so shared).
NO_OUTCOME = wire.FinishTicket()
NO_REASON = wire.CancelTicket()
ANY_BREAK = wire.PauseCounter()

PROBLEMS: dict[int | str, dict[str, object]] = {
    code: {"model": wire.Problem} for code in (401, 403, 404, 409, 422, 503)
}
router = APIRouter(prefix="/api/v1", responses=PROBLEMS)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
TicketId = Annotated[int, Path(ge=1, le=2**63 - 1)]
BranchQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Центр; типово перший")]


def branch_for(be: BackendDep, requested: int | None, who: Principal | None = None) -> int:
    if requested is not None:
        return requested
    if who is not None and who.branch_id is not None:
        return who.branch_id
    return be.views.default_branch_id()


_branch_id = branch_for


# -- auth --------------------------------------------------------------------------------------


@router.post(
    "/auth/login",
    response_model=wire.LoginResult,
    tags=["auth"],
    responses={429: {"model": wire.Problem}},
)
async def login(body: wire.Login, be: BackendDep, request: Request) -> wire.LoginResult:
    """Failed attempts are limited per address and per name (429 with Retry-After); every
    refusal is answered after `login_refusal_delay_seconds` (`api.logins.attempt_login`)."""
    result = await attempt_login(be, body.username, body.password, client_address(request))
    return serialize.build(wire.LoginResult, result, user=serialize.user(result.principal))


@router.post("/auth/logout", status_code=204, tags=["auth"])
def logout(
    _who: StaffDep,
    be: BackendDep,
    request: Request,
    credentials: BearerCredentials,
    key: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Ends the session whose token came with the request (header or `?key=`)."""
    secret = secret_of(credentials, key)
    if secret:
        be.accounts.logout(secret, client_address(request))
    return Response(status_code=204)


@router.get("/auth/me", response_model=wire.User, tags=["auth"])
def me(who: StaffDep) -> wire.User:
    return serialize.user(who)


# -- catalogue ---------------------------------------------------------------------------------


@router.get("/branch", response_model=wire.Branch, tags=["branch"])
def get_branch(be: BackendDep, who: ReaderDep, branch_id: BranchQuery = None) -> wire.Branch:
    return serialize.branch(be.views.board(_branch_id(be, branch_id, who), 1).branch)


@router.get("/services", response_model=list[wire.Service], tags=["catalogue"])
def list_services(
    be: BackendDep, who: ReaderDep, branch_id: BranchQuery = None
) -> list[wire.Service]:
    return [serialize.service(v) for v in be.views.services(_branch_id(be, branch_id, who))]


@router.get("/counters", response_model=list[wire.Counter], tags=["catalogue"])
def list_counters(
    be: BackendDep, who: ReaderDep, branch_id: BranchQuery = None
) -> list[wire.Counter]:
    return [serialize.counter(v) for v in be.views.counters(_branch_id(be, branch_id, who))]


@router.get("/board", response_model=wire.Board, tags=["displays"])
def board(
    be: BackendDep,
    who: ReaderDep,
    branch_id: BranchQuery = None,
    last: Annotated[
        int | None,
        Query(ge=1, le=50, description="Скільки останніх викликів; типово — як у центрі"),
    ] = None,
) -> wire.Board:
    return serialize.board(be.views.board(_branch_id(be, branch_id, who), last))


# -- tickets -----------------------------------------------------------------------------------


@router.post("/tickets", response_model=wire.IssuedTicket, status_code=201, tags=["tickets"])
async def issue_ticket(
    body: wire.IssueTicket,
    request: Request,
    who: IssuerDep,
    idempotency_key: IdempotencyKey = None,
    branch_id: BranchQuery = None,
) -> wire.IssuedTicket:
    """With an `Idempotency-Key`, a repeat answers with the ticket that key made today."""
    be = backend_of(request)  # not BackendDep: a dependency fewer to solve (issue 19)

    def issue() -> Issued:
        return be.tickets.issue(
            who,
            _branch_id(be, branch_id, who),
            body.service_id,
            priority=body.priority,
            source="kiosk" if who.kind == "device" else "desk",
            key=idempotency_key,
        )

    issued = await be.writes.run(issue)
    be.metrics.tickets_issued.labels(issued.service.code).inc()
    telegram = be.notify.ticket_link(issued.ticket.public_token)
    return serialize.issued(issued, be.settings.base_url, telegram)


@router.get("/tickets/{public_token}", response_model=wire.PublicTicket, tags=["tickets"])
def ticket_status(
    be: BackendDep, public_token: Annotated[str, Path(min_length=8, max_length=64)]
) -> wire.PublicTicket:
    view = be.views.ticket(public_token)
    if view is None:
        raise NotFound(
            "Талон не знайдено: перевірте посилання або QR-код",
            "Ticket not found: check the link or the QR code",
        )
    return serialize.ticket_status(view)


@router.get("/staff/tickets/{ticket_id}", response_model=wire.ClerkTicket, tags=["clerk"])
def staff_ticket(ticket_id: TicketId, be: BackendDep, _who: StaffDep) -> wire.ClerkTicket:
    return serialize.clerk_view(be.views.clerk_ticket(ticket_id))


@router.get("/staff/today", response_model=wire.StaffToday, tags=["clerk"])
def staff_today(be: BackendDep, who: StaffDep, branch_id: BranchQuery = None) -> wire.StaffToday:
    """Today's own figures: served, average time, no-shows, transfers, cancellations, breaks."""
    return serialize.staff_today(be.desk.staff_day(who.name, _branch_id(be, branch_id, who)))


def _ticket_action(action: str, summary: str) -> None:
    def act(be: Backend, secret: str, ticket_id: int) -> wire.ClerkTicket:
        who = staff_in_write(be, secret)
        return serialize.clerk_view(be.tickets.act(who, ticket_id, action))

    async def handler(
        ticket_id: TicketId, request: Request, secret: StaffSecretDep
    ) -> wire.ClerkTicket:
        be = backend_of(request)
        return await be.writes.run(act, be, secret, ticket_id)

    router.add_api_route(
        f"/tickets/{{ticket_id}}/{action.replace('_', '-')}",
        handler,
        methods=["POST"],
        response_model=wire.ClerkTicket,
        tags=["clerk"],
        summary=summary,
        name=f"ticket_{action}",
    )


_ticket_action("recall", "Викликати повторно / Recall")
_ticket_action("start", "Почати обслуговування / Start serving")
_ticket_action("no_show", "Неявка / No-show")


@router.post("/tickets/{ticket_id}/finish", response_model=wire.ClerkTicket, tags=["clerk"])
async def finish(
    ticket_id: TicketId, be: BackendDep, who: StaffDep, body: wire.FinishTicket = NO_OUTCOME
) -> wire.ClerkTicket:
    """Завершити / Finish; optionally with an outcome (GET /outcomes) and a note (no body: neither)."""

    def act() -> wire.ClerkTicket:
        return serialize.clerk_view(
            be.tickets.finish(who, ticket_id, outcome=body.outcome, note=body.note)
        )

    return await be.writes.run(act)


@router.post("/tickets/{ticket_id}/transfer", response_model=wire.ClerkTicket, tags=["clerk"])
async def transfer(
    ticket_id: TicketId, body: wire.Transfer, be: BackendDep, who: StaffDep
) -> wire.ClerkTicket:
    """To another service, or handed over to a window or clerk who calls the visitor next."""

    def act() -> wire.ClerkTicket:
        moved = be.tickets.transfer(
            who,
            ticket_id,
            service_id=body.service_id,
            counter_id=body.counter_id,
            clerk_id=body.clerk_id,
            note=body.note,
        )
        return serialize.clerk_view(moved)

    return await be.writes.run(act)


@router.post("/tickets/{ticket_id}/return", response_model=wire.ClerkTicket, tags=["clerk"])
async def return_no_show(ticket_id: TicketId, be: BackendDep, who: StaffDep) -> wire.ClerkTicket:
    def act() -> wire.ClerkTicket:
        return serialize.clerk_view(be.tickets.return_no_show(who, ticket_id))

    return await be.writes.run(act)


@router.post("/tickets/{ticket_id}/cancel", response_model=wire.ClerkTicket, tags=["clerk"])
async def cancel(
    ticket_id: TicketId,
    be: BackendDep,
    who: StaffDep,
    body: wire.CancelTicket = NO_REASON,
) -> wire.ClerkTicket:
    """At the visitor's wish: waiting, or called to the clerk's own window (no body: no reason)."""

    def act() -> wire.ClerkTicket:
        return serialize.clerk_view(be.tickets.cancel(who, ticket_id, body.reason))

    return await be.writes.run(act)


# -- windows -----------------------------------------------------------------------------------


def _counter_out(be: BackendDep, counter_id: int) -> wire.Counter:
    for view in be.views.counters(be.views.counter_branch(counter_id)):
        if view.counter.id == counter_id:
            return serialize.counter(view)
    raise NotFound(
        f"Вікна з номером {counter_id} немає", f"There is no window with id {counter_id}"
    )


@router.post("/counters/{counter_id}/open", response_model=wire.Counter, tags=["clerk"])
async def open_counter(counter_id: Id, be: BackendDep, who: StaffDep) -> wire.Counter:
    def act() -> wire.Counter:
        be.counters.open(who, counter_id)
        return _counter_out(be, counter_id)

    return await be.writes.run(act)


@router.post("/counters/{counter_id}/pause", response_model=wire.Counter, tags=["clerk"])
async def pause_counter(
    counter_id: Id, be: BackendDep, who: StaffDep, body: wire.PauseCounter = ANY_BREAK
) -> wire.Counter:
    """A break, with its reason (lunch, technical, other; no body: other)."""

    def act() -> wire.Counter:
        be.counters.pause(who, counter_id, body.reason)
        return _counter_out(be, counter_id)

    return await be.writes.run(act)


@router.post("/counters/{counter_id}/close", response_model=wire.Counter, tags=["clerk"])
async def close_counter(counter_id: Id, be: BackendDep, who: StaffDep) -> wire.Counter:
    def act() -> wire.Counter:
        be.counters.close(who, counter_id)
        return _counter_out(be, counter_id)

    return await be.writes.run(act)


@router.post(
    "/counters/{counter_id}/call-next",
    response_model=wire.ClerkTicket,
    tags=["clerk"],
    responses={204: {"description": "Ніхто не чекає / nobody is waiting"}},
)
async def call_next(
    counter_id: Id, request: Request, secret: StaffSecretDep
) -> wire.ClerkTicket | Response:
    be = backend_of(request)

    def call() -> wire.ClerkTicket | None:
        who = staff_in_write(be, secret)
        called = be.tickets.call_next(who, counter_id)
        return None if called is None else serialize.clerk_view(called)

    called = await be.writes.run(call)
    if called is None:
        return Response(status_code=204)
    be.metrics.calls.labels(str(counter_id)).inc()
    return called


@router.post("/counters/{counter_id}/call", response_model=wire.ClerkTicket, tags=["clerk"])
async def call_ticket(
    counter_id: Id, body: wire.CallTicket, be: BackendDep, who: StaffDep
) -> wire.ClerkTicket:
    """Out of order: needs the permission and a reason; recorded as such."""

    def call() -> wire.ClerkTicket:
        return serialize.clerk_view(
            be.tickets.call_specific(who, counter_id, body.ticket_id, body.reason)
        )

    called = await be.writes.run(call)
    be.metrics.calls.labels(str(counter_id)).inc()
    return called


# -- branch ------------------------------------------------------------------------------------


@router.post("/branch/pause", response_model=wire.Branch, tags=["branch"])
async def pause_branch(
    body: wire.PauseBranch, be: BackendDep, who: HeadDep, branch_id: BranchQuery = None
) -> wire.Branch:
    """Повітряна тривога / air-raid alert: calling and issuing stop; every place is kept."""

    def pause() -> wire.Branch:
        return serialize.branch(be.branches.pause(who, _branch_id(be, branch_id, who), body.reason))

    return await be.writes.run(pause)


@router.post("/branch/resume", response_model=wire.Branch, tags=["branch"])
async def resume_branch(be: BackendDep, who: HeadDep, branch_id: BranchQuery = None) -> wire.Branch:
    def resume() -> wire.Branch:
        return serialize.branch(be.branches.resume(who, _branch_id(be, branch_id, who)))

    return await be.writes.run(resume)


# -- devices ----------------------------------------------------------------------------------


@router.post("/devices/me/status", status_code=204, tags=["devices"])
async def report_device_status(
    body: wire.DeviceStatusReport, be: BackendDep, who: PrincipalDep
) -> Response:
    """A kiosk tells the server its printer's state (paper out …); changes become events."""
    if who.kind != "device" or who.role != DeviceKind.KIOSK:
        raise Forbidden(
            "Стан принтера повідомляє лише кіоск", "Only a kiosk reports its printer's state"
        )
    await be.writes.run(be.devices.report, who, body.printer, body.message.strip(), body.ticket_id)
    return Response(status_code=204)


@router.get("/devices", response_model=list[wire.Device], tags=["devices"])
def list_devices(be: BackendDep, _who: AdminDep) -> list[wire.Device]:
    return [wire.Device.model_validate(d, from_attributes=True) for d in be.devices.list()]


# -- operations --------------------------------------------------------------------------------


@router.get("/health", response_model=wire.Health, tags=["operations"])
async def health(be: BackendDep) -> wire.Health:
    """200 only when a write can commit (a read-only or full database is 503)."""
    await be.writes.run(be.health.probe)
    return wire.Health(status="ok", database="ok", version=__version__)


__all__ = ["PrincipalDep", "router"]
