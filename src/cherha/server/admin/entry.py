"""Logging in and out of the console, and pausing or resuming the whole centre."""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError

from ..api.addresses import client_address
from ..api.logins import attempt_login
from .web import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    PATH,
    PAUSE_REASONS,
    ConsolePage,
    FormRefused,
    backend_of,
    message,
    new_login_csrf,
    posted_form,
    render,
    same_origin,
)

router = APIRouter(include_in_schema=False)


def safe_next(value: object) -> str:
    """Where to go after a form: a console path only (never another site)."""
    if (
        isinstance(value, str)
        and value.startswith(PATH)
        and "//" not in value
        and "\\" not in value
    ):
        return value[:300]
    return PATH


def login_form(
    request: Request, *, status: int = 200, errors: list[tuple[str, str]] | None = None
) -> Response:
    """The login form, with a fresh double-submit token in a cookie of its own."""
    token = new_login_csrf()
    next_path = safe_next(request.query_params.get("next") or request.url.path)
    response = render(
        request,
        None,
        "login.html",
        title=("Вхід", "Log in"),
        status=status,
        login_csrf=token,
        next_path=next_path,
        username="",
        errors=errors or [],
    )
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 15 * 60)
    return response


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


@router.post("/admin/login")
async def login(request: Request) -> Response:
    form = await request.form()
    sent, kept = form.get("csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if (
        not isinstance(sent, str)
        or not kept
        or not hmac.compare_digest(sent, kept)
        or not same_origin(request)
    ):
        raise FormRefused()
    username, password = form.get("username"), form.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise FormRefused()
    be = backend_of(request)
    try:
        # The API's way in: throttled per client address and name, refusals answered late.
        result = await attempt_login(be, username.strip(), password, client_address(request))
    except DomainError as exc:
        return login_form(request, status=401, errors=[(exc.message_uk, exc.message_en)])
    if not result.principal.runs_centre:
        await run_in_threadpool(be.accounts.logout, result.token, client_address(request))
        return message(
            request,
            None,
            403,
            ("Немає доступу", "No access"),
            (
                "Консоль — для адміністраторів і керівників центру. Працівники викликають "
                "відвідувачів у програмі робочого місця.",
                "The console is for administrators and centre heads. Clerks call visitors in "
                "the desk app.",
            ),
        )
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    max_age = max(60, int((result.expires_at - be.accounts.clock()).total_seconds()))
    _set_cookie(request, response, COOKIE, result.token, max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PATH)
    return response


@router.post("/admin/logout")
async def logout(request: Request, who: ConsolePage) -> Response:
    await posted_form(request, who)
    be = backend_of(request)
    await run_in_threadpool(
        be.accounts.logout, request.cookies.get(COOKIE, ""), client_address(request)
    )
    response = RedirectResponse(PATH, status_code=303)
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict")
    return response


def pause_reason(choice: object, other: object) -> str:
    """The reason as the displays show it, from the list; «other» needs its text."""
    text = other.strip()[:150] if isinstance(other, str) else ""
    if choice == "other":
        if not text:
            raise ValueError("other needs text")
        return text
    if not isinstance(choice, str) or choice not in PAUSE_REASONS:
        raise ValueError("unknown reason")
    uk, en = PAUSE_REASONS[choice]
    return f"{uk} / {en}"


@router.post("/admin/pause")
async def pause(request: Request, who: ConsolePage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    try:
        reason = pause_reason(form.get("reason"), form.get("other"))
    except ValueError:
        return message(
            request,
            who,
            422,
            ("Потрібна причина", "A reason is needed"),
            (
                "Оберіть причину паузи; для «Інше» напишіть, що сталося. Центр не призупинено.",
                "Pick the reason for the pause; for «Other» say what happened. "
                "The centre was not paused.",
            ),
        )
    branch_id = await run_in_threadpool(be.views.default_branch_id)
    try:
        await be.writes.run(be.branches.pause, who, branch_id, reason)
    except DomainError as exc:
        return message(
            request, who, 409, ("Не вдалося", "Could not"), (exc.message_uk, exc.message_en)
        )
    return RedirectResponse(safe_next(form.get("next")), status_code=303)


@router.post("/admin/resume")
async def resume(request: Request, who: ConsolePage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    branch_id = await run_in_threadpool(be.views.default_branch_id)
    try:
        await be.writes.run(be.branches.resume, who, branch_id)
    except DomainError as exc:
        return message(
            request, who, 409, ("Не вдалося", "Could not"), (exc.message_uk, exc.message_en)
        )
    return RedirectResponse(safe_next(form.get("next")), status_code=303)


def login_redirect(request: Request) -> Response:
    """A console page asked for without a session: /admin shows the form, others go there."""
    if request.url.path in (PATH, PATH + "/"):
        return login_form(request)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{PATH}?next={quote(target)}", status_code=303)
