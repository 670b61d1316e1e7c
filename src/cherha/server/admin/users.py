"""Users (the administrator only): the list, adding a user, and one user's page — role and the
out-of-order permission, a new password (typed by the administrator, or generated and shown
once), disabling and enabling. Each action is one `Accounts` operation, audited with who did
it and from where; «never the last administrator» is the store's rule, so the CLI obeys it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from cherha.core.errors import DomainError, Invalid

from ..api.addresses import client_address
from ..auth import Principal, Role, new_password
from ..store.user_admin import UserView, list_users, user_by_id
from .forms import Message, checked, text
from .web import ROLE_NAMES, AdminPage, backend_of, posted_form, render

router = APIRouter(include_in_schema=False)

DONE = {
    "added": ("Користувача додано", "The user is added"),
    "role": ("Роль і дозволи збережено", "The role and permission are saved"),
    "unchanged": ("Нічого не змінилося", "Nothing changed"),
    "password": (
        "Пароль змінено; сеанси користувача завершено",
        "The password is changed; the user's sessions have ended",
    ),
    "disabled": (
        "Користувача вимкнено; усі його сеанси завершено",
        "The user is disabled; all their sessions have ended",
    ),
    "enabled": ("Користувача увімкнено", "The user is enabled"),
}


@router.get("/admin/users", response_class=HTMLResponse)
async def users_page(request: Request, who: AdminPage) -> HTMLResponse:
    return await _users_page(request, who)


async def _users_page(
    request: Request, who: Principal, *, status: int = 200, errors: list[Message] | None = None
) -> HTMLResponse:
    be = backend_of(request)
    users = await run_in_threadpool(list_users, be.db)
    return render(
        request,
        who,
        "users.html",
        title=("Користувачі", "Users"),
        status=status,
        users=users,
        roles=ROLE_NAMES,
        errors=errors or [],
        flash=DONE.get(request.query_params.get("done", "")),
    )


@router.post("/admin/users", response_class=HTMLResponse)
async def add_user(request: Request, who: AdminPage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    role = text(form, "role", 16)
    if role not in ROLE_NAMES:
        return await _users_page(request, who, status=422, errors=[("Оберіть роль", "Pick a role")])
    address = client_address(request)
    try:
        await run_in_threadpool(
            lambda: be.accounts.add_user(
                text(form, "username", 80),
                text(form, "password", 200),
                Role(role),
                display_name=text(form, "display_name", 200),
                may_call_out_of_order=checked(form, "may_call_out_of_order"),
                actor=who.actor,
                address=address,
            )
        )
    except DomainError as exc:
        return await _users_page(
            request, who, status=exc.status, errors=[(exc.message_uk, exc.message_en)]
        )
    return RedirectResponse("/admin/users?done=added", status_code=303)


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
async def user_page(request: Request, who: AdminPage, user_id: int) -> HTMLResponse:
    return await _user_page(request, who, user_id)


async def _user_page(
    request: Request,
    who: Principal,
    user_id: int,
    *,
    status: int = 200,
    errors: list[Message] | None = None,
    generated: str | None = None,
) -> HTMLResponse:
    be = backend_of(request)
    try:
        user = await run_in_threadpool(user_by_id, be.db, user_id)
    except DomainError as exc:
        return render(
            request,
            who,
            "message.html",
            title=("Немає такого користувача", "No such user"),
            status=exc.status,
            text=(exc.message_uk, exc.message_en),
        )
    return render(
        request,
        who,
        "user.html",
        title=(f"Користувач {user.username}", f"User {user.username}"),
        status=status,
        user=user,
        roles=ROLE_NAMES,
        errors=errors or [],
        generated=generated,
        flash=DONE.get(request.query_params.get("done", "")),
    )


Operation = Callable[[str, FormData, str, str], object]
"""An account operation on a user: (username, the posted form, actor, address) → its result."""


async def _act(
    request: Request, who: Principal, user_id: int, operation: Operation
) -> tuple[UserView, object] | Response:
    """Check the form and run one account operation on the user: its result, or the user's
    page with the refusal (the operation changed nothing)."""
    form = await posted_form(request, who)
    be = backend_of(request)
    address = client_address(request)
    try:
        user = await run_in_threadpool(user_by_id, be.db, user_id)
        result = await run_in_threadpool(operation, user.username, form, who.actor, address)
    except DomainError as exc:
        return await _user_page(
            request, who, user_id, status=exc.status, errors=[(exc.message_uk, exc.message_en)]
        )
    return user, result


def _done(who: Principal, user: UserView, what: str) -> Response:
    if user.id == who.id:
        # Your own role, password or access: the session may have ended or the page may no
        # longer be yours, so start again from the console's first page.
        return RedirectResponse("/admin", status_code=303)
    return RedirectResponse(f"/admin/users/{user.id}?done={what}", status_code=303)


@router.post("/admin/users/{user_id}/role", response_class=HTMLResponse)
async def change_role(request: Request, who: AdminPage, user_id: int) -> Response:
    be = backend_of(request)
    outcome = await _act(
        request,
        who,
        user_id,
        lambda name, form, actor, address: be.accounts.change_user(
            name,
            role=text(form, "role", 16),
            may_call_out_of_order=checked(form, "may_call_out_of_order"),
            actor=actor,
            address=address,
        ),
    )
    if isinstance(outcome, Response):
        return outcome
    user, changed = outcome
    return _done(who, user, "role" if changed else "unchanged")


def _typed_password(form: FormData) -> str:
    password, again = text(form, "password", 250), text(form, "password_again", 250)
    if password != again:
        raise Invalid("Паролі в обох полях мають збігатися", "The two passwords must be the same")
    return password


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
async def set_password(request: Request, who: AdminPage, user_id: int) -> Response:
    """The administrator types the new password (twice); it is never shown."""
    be = backend_of(request)
    outcome = await _act(
        request,
        who,
        user_id,
        lambda name, form, actor, address: be.accounts.set_password(
            name, _typed_password(form), actor=actor, address=address
        ),
    )
    return outcome if isinstance(outcome, Response) else _done(who, outcome[0], "password")


@router.post("/admin/users/{user_id}/generate-password", response_class=HTMLResponse)
async def generate_password(request: Request, who: AdminPage, user_id: int) -> Response:
    """A new password made by the server, shown once on this response (no-store) and never
    again: the server keeps only its hash."""
    be = backend_of(request)
    password = new_password()

    def generate(name: str, _form: FormData, actor: str, address: str) -> None:
        if user_id == who.id:
            # A new password ends the user's sessions: this page would never show it to you.
            raise Invalid(
                "Свій пароль введіть у поля вище: згенерований вам не показали б, бо сеанс "
                "завершиться",
                "Type your own password in the fields above: a generated one could not be "
                "shown to you, as your session ends",
            )
        be.accounts.set_password(name, password, actor=actor, address=address)

    outcome = await _act(request, who, user_id, generate)
    if isinstance(outcome, Response):
        return outcome
    return await _user_page(request, who, user_id, generated=password)


@router.post("/admin/users/{user_id}/disable", response_class=HTMLResponse)
@router.post("/admin/users/{user_id}/enable", response_class=HTMLResponse)
async def disable_or_enable(request: Request, who: AdminPage, user_id: int) -> Response:
    """The path's last word says which. Disabled, the user's sessions end at once: their next
    request, API or console, is refused."""
    be = backend_of(request)
    enable = request.url.path.endswith("/enable")
    change = be.accounts.enable_user if enable else be.accounts.disable_user
    outcome = await _act(
        request,
        who,
        user_id,
        lambda name, _form, actor, address: change(name, actor=actor, address=address),
    )
    if isinstance(outcome, Response):
        return outcome
    return _done(who, outcome[0], "enabled" if enable else "disabled")
