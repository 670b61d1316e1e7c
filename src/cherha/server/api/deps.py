"""Who is asking, and may they: bearer tokens for staff, device keys for kiosks and displays."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import Forbidden

from ..auth import DeviceKind, Principal, Role
from ..backend import Backend
from ..store.accounts import Unauthorized
from ..store.devices import app_version_of

bearer = HTTPBearer(auto_error=False, description="Токен працівника або ключ пристрою")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
DisplayKey = Annotated[str | None, Query(max_length=200, description="Ключ дисплея / display key")]
"""A display's address carries its key as `?key=` (a browser in kiosk mode sends no header)."""


async def backend(request: Request) -> Backend:
    return backend_of(request)


def backend_of(request: Request) -> Backend:
    """The app's backend, for a dependency that has the request anyway: each dependency
    FastAPI solves costs tens of microseconds on every request, even one it has cached."""
    be: Backend = request.app.state.backend
    return be


BackendDep = Annotated[Backend, Depends(backend)]


def _missing() -> Unauthorized:
    return Unauthorized(
        "Потрібен ключ доступу: увійдіть або вкажіть ключ пристрою (Authorization: Bearer …)",
        "An access key is needed: log in or give the device key (Authorization: Bearer …)",
        code="no_credentials",
    )


def secret_of(credentials: HTTPAuthorizationCredentials | None, key: str | None) -> str | None:
    """The bearer token, or else the `?key=` a display's address carries."""
    return credentials.credentials if credentials else key


async def optional_principal(
    request: Request,
    credentials: BearerCredentials,
    key: DisplayKey = None,
) -> Principal | None:
    secret = secret_of(credentials, key)
    if not secret:
        return None
    be = backend_of(request)
    # A kiosk's key is usually remembered: answer on the event loop, no thread hop.
    known = be.accounts.cached(secret)
    found = known if known is not None else await run_in_threadpool(be.accounts.resolve, secret)
    await note_device_seen(be, found, request.headers.get("user-agent", ""))
    return found


async def note_device_seen(be: Backend, who: Principal | None, user_agent: str) -> None:
    """A device's last-seen time for the console (written about once a minute per device)."""
    if who is not None and who.kind == "device":
        version = app_version_of(user_agent)
        if be.devices.seen_due(who, version):
            await run_in_threadpool(be.devices.mark_seen, who, version)


async def principal(p: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if p is None:
        raise _missing()
    return p


PrincipalDep = Annotated[Principal, Depends(principal)]


async def staff(p: PrincipalDep) -> Principal:
    return require_staff(p)


def require_staff(p: Principal) -> Principal:
    if not p.is_user:
        raise Forbidden(
            "Це може робити лише працівник, що увійшов; ключ пристрою тут не діє",
            "Only logged-in staff can do this; a device key does not work here",
            code="staff_only",
        )
    return p


async def staff_secret(
    credentials: BearerCredentials,
    key: DisplayKey = None,
) -> str:
    """A staff request's token, not yet looked up: the desk's busiest writes (call-next, start,
    recall, no-show) look it up inside their own transaction (`staff_in_write`), which saves
    a thread hop and a read transaction of its own on every request (issue 19). The same
    parameters as `optional_principal`, so the API's description is unchanged."""
    secret = secret_of(credentials, key)
    if not secret:
        raise _missing()
    return secret


def staff_in_write(be: Backend, secret: str) -> Principal:
    """Who `secret` belongs to, who must be staff — called on the write lane, inside the
    write (in a group commit the lookup reads the group's own transaction): a token expired,
    revoked or disabled is refused as at once as before, the write not made."""
    return require_staff(be.accounts.resolve(secret))


async def admin(p: Annotated[Principal, Depends(staff)]) -> Principal:
    if p.role != Role.ADMIN:
        raise Forbidden(
            "Це може робити лише адміністратор",
            "Only an administrator can do this",
            code="admin_only",
        )
    return p


async def centre_runner(p: Annotated[Principal, Depends(staff)]) -> Principal:
    """An administrator or the centre head (pause, resume, the centre's set-up)."""
    if not p.runs_centre:
        raise Forbidden(
            "Це може робити лише адміністратор або керівник центру",
            "Only an administrator or the centre head can do this",
            code="admin_only",  # the code clients know; the head is an administrator of a centre
        )
    return p


async def ticket_issuer(
    p: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    """Kiosks issue tickets; staff may too (a clerk issuing for a visitor at the desk).

    On `optional_principal` itself, not `principal`: one dependency fewer to solve on the
    busiest route (issue 19)."""
    if p is None:
        raise _missing()
    if p.kind == "device" and p.role != DeviceKind.KIOSK:
        raise Forbidden(
            "Дисплей не може видавати талони: потрібен ключ кіоску",
            "A display cannot issue tickets: a kiosk key is needed",
            code="kiosk_only",
        )
    return p


async def reader(
    be: BackendDep, p: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal | None:
    """Read-only boards and streams: open, unless the centre requires display keys."""
    if be.settings.require_display_key and p is None:
        raise _missing()
    return p


StaffDep = Annotated[Principal, Depends(staff)]
StaffSecretDep = Annotated[str, Depends(staff_secret)]
AdminDep = Annotated[Principal, Depends(admin)]
HeadDep = Annotated[Principal, Depends(centre_runner)]
IssuerDep = Annotated[Principal, Depends(ticket_issuer)]
ReaderDep = Annotated[Principal | None, Depends(reader)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Один ключ на дотик / one key per tap: a repeat gets the same answer (today)",
    ),
]
