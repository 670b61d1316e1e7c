"""What every console page shares: the session cookie, CSRF, roles, the navigation, rendering.

A page of the console is a route on `router` (or on a router of its own module, included in
`cherha.server.admin.routes`) that takes `ConsolePage` (the logged-in administrator or centre
head; others are sent to the login form), reads its data through the backend's store
operations, and returns `render(request, who, "page.html", title=..., ...)`. A form posts with
its `csrf_token`; `posted_form(request, who)` checks it and hands back the fields, or refuses
the whole request (nothing is changed). Add a page to the navigation with `NAV`.

The session is the same login token the API gives (`Accounts.login`), kept in an HttpOnly,
SameSite=Strict cookie for the console's path only, expiring with the token; a disabled user's
token stops working at once, and so does the cookie. The CSRF token is an HMAC of the session
token: it needs no storage and dies with the session.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from cherha.core.errors import DomainError

from .. import __version__
from ..auth import Principal, Role
from ..backend import Backend

COOKIE = "cherha_console"
LOGIN_CSRF_COOKIE = "cherha_console_login"
PATH = "/admin"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class NavItem:
    path: str
    uk: str
    en: str
    admin_only: bool = False


NAV: list[NavItem] = [
    NavItem("/admin", "Зал", "Floor"),
    NavItem("/admin/services", "Послуги", "Services"),
    NavItem("/admin/windows", "Вікна", "Windows"),
    NavItem("/admin/hours", "Години", "Hours"),
    NavItem("/admin/bookings", "Записи", "Bookings"),
    NavItem("/admin/audit", "Журнал", "Audit"),
    NavItem("/admin/users", "Користувачі", "Users", admin_only=True),
    NavItem("/admin/devices", "Пристрої", "Devices", admin_only=True),
]
"""The console's navigation, in order. Another part adds its page here (e.g. reports)."""

ROLE_NAMES: dict[str, tuple[str, str]] = {
    Role.ADMIN: ("адміністратор", "administrator"),
    Role.HEAD: ("керівник центру", "centre head"),
    Role.CLERK: ("працівник", "clerk"),
}

PAUSE_REASONS = {
    "air_raid": ("Повітряна тривога", "Air-raid alert"),
    "power": ("Знеструмлення", "Power cut"),
    "other": ("Інше", "Other"),
}


# -- refusals the app turns into pages ------------------------------------------------------------


class LoginNeeded(Exception):
    """No valid console session: pages go to the login form, other requests get 401."""

    def __init__(self, page: bool) -> None:
        super().__init__("login needed")
        self.page = page


class NotForYou(Exception):
    """Logged in, but this role may not see it (a clerk; a head on the users page)."""


class FormRefused(Exception):
    """A form without its CSRF token, or from another site: nothing was changed."""


# -- sessions -------------------------------------------------------------------------------------


def backend_of(request: Request) -> Backend:
    be: Backend = request.app.state.backend
    return be


def csrf_for(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"cherha-console-csrf", hashlib.sha256).hexdigest()


async def _session(request: Request, *, page: bool) -> Principal:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        raise LoginNeeded(page)
    be = backend_of(request)
    try:
        who = await run_in_threadpool(be.accounts.resolve, token)
    except DomainError:
        raise LoginNeeded(page) from None
    if not who.runs_centre:
        raise NotForYou()
    return who


async def console_page(request: Request) -> Principal:
    return await _session(request, page=True)


async def console_call(request: Request) -> Principal:
    return await _session(request, page=False)


async def admin_page(who: Annotated[Principal, Depends(console_page)]) -> Principal:
    if not who.is_admin:
        raise NotForYou()
    return who


ConsolePage = Annotated[Principal, Depends(console_page)]
"""A console page: the administrator or the centre head."""
ConsoleCall = Annotated[Principal, Depends(console_call)]
"""A console request that is not a page (a fragment, the event stream): 401 without a session."""
AdminPage = Annotated[Principal, Depends(admin_page)]
"""Users and devices: the administrator only."""


def same_origin(request: Request) -> bool:
    """A browser names where a form came from; a form from another site is refused. (Some
    documents send «null»: the CSRF token alone decides for them.)"""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


async def posted_form(request: Request, _who: Principal) -> FormData:
    """The fields of a console form, after its CSRF token and origin are checked (the caller
    passes who is logged in: a form is only ever taken from a console session)."""
    form = await request.form()
    token = request.cookies.get(COOKIE, "")
    sent = form.get("csrf_token")
    if (
        not isinstance(sent, str)
        or not hmac.compare_digest(sent, csrf_for(token))
        or not same_origin(request)
    ):
        raise FormRefused()
    return form


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


# -- rendering ------------------------------------------------------------------------------------

env = Environment(
    loader=PackageLoader("cherha.server.admin", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def local_time(moment: datetime | None, zone: str, fmt: str = "%H:%M") -> str:
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(zone)).strftime(fmt)


def minutes_between(start: datetime | None, end: datetime) -> int:
    return 0 if start is None else max(0, int((end - start).total_seconds() // 60))


def pretty(value: object) -> str:
    """A before/after record as readable JSON (Cyrillic as it is; escaped by the template)."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


env.filters["local"] = local_time
env.filters["pretty"] = pretty
env.globals["minutes_between"] = minutes_between


def render(
    request: Request,
    who: Principal | None,
    template: str,
    *,
    title: tuple[str, str],
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A console page: the layout (navigation, pause control, the user) around `template`."""
    be = backend_of(request)
    branch = None
    if who is not None:
        from ..store.models import Branch

        with be.db.read() as session:
            branch = session.get(Branch, be.views.default_branch_id())
    token = request.cookies.get(COOKIE, "")
    body = env.get_template(template).render(
        request=request,
        who=who,
        role_name=ROLE_NAMES.get(who.role, (who.role, who.role)) if who else None,
        branch=branch,
        nav=[n for n in NAV if who is not None and (who.is_admin or not n.admin_only)],
        current=request.url.path,
        csrf=csrf_for(token) if who is not None else "",
        title=title,
        pause_reasons=PAUSE_REASONS,
        version=__version__,
        **context,
    )
    return HTMLResponse(body, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})})


def message(
    request: Request,
    who: Principal | None,
    status: int,
    title: tuple[str, str],
    text: tuple[str, str],
) -> HTMLResponse:
    return render(request, who, "message.html", title=title, status=status, text=text)
