"""Users and devices (the administrator only): the lists, adding a user, adding a kiosk or a
display with its key shown once and a QR code of the kiosk's settings."""

from __future__ import annotations

import base64
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError

from ..auth import DeviceKind, Role
from ..backend import Backend
from ..store.models import User
from .forms import Message, text
from .web import ROLE_NAMES, AdminPage, backend_of, posted_form, render

router = APIRouter(include_in_schema=False)


def _users(be: Backend) -> list[User]:
    with be.db.read() as session:
        return list(session.scalars(select(User).order_by(User.username)))


@router.get("/admin/users", response_class=HTMLResponse)
async def users_page(request: Request, who: AdminPage) -> HTMLResponse:
    return await _users_page(request, who)


async def _users_page(
    request: Request, who: Any, *, status: int = 200, errors: list[Message] | None = None
) -> HTMLResponse:
    be = backend_of(request)
    users = await run_in_threadpool(_users, be)
    done = request.query_params.get("done") == "user"
    return render(
        request,
        who,
        "users.html",
        title=("Користувачі", "Users"),
        status=status,
        users=users,
        roles=ROLE_NAMES,
        errors=errors or [],
        flash=("Користувача додано", "The user is added") if done else None,
    )


@router.post("/admin/users", response_class=HTMLResponse)
async def add_user(request: Request, who: AdminPage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    role = text(form, "role", 16)
    if role not in ROLE_NAMES:
        return await _users_page(request, who, status=422, errors=[("Оберіть роль", "Pick a role")])
    try:
        await run_in_threadpool(
            lambda: be.accounts.add_user(
                text(form, "username", 80),
                text(form, "password", 200),
                Role(role),
                display_name=text(form, "display_name", 200),
            )
        )
    except DomainError as exc:
        return await _users_page(
            request, who, status=422, errors=[(exc.message_uk, exc.message_en)]
        )
    return RedirectResponse("/admin/users?done=user", status_code=303)


@router.get("/admin/devices", response_class=HTMLResponse)
async def devices_page(request: Request, who: AdminPage) -> HTMLResponse:
    return await _devices_page(request, who)


async def _devices_page(
    request: Request,
    who: Any,
    *,
    status: int = 200,
    errors: list[Message] | None = None,
    new_key: dict[str, str] | None = None,
) -> HTMLResponse:
    be = backend_of(request)
    devices = await run_in_threadpool(be.devices.list)
    return render(
        request,
        who,
        "devices.html",
        title=("Пристрої", "Devices"),
        status=status,
        devices=devices,
        errors=errors or [],
        new_key=new_key,
        tz=await run_in_threadpool(_timezone, be),
        now=be.views.clock(),
    )


def _timezone(be: Backend) -> str:
    return be.views.board(be.views.default_branch_id(), 1).branch.timezone


@router.post("/admin/devices", response_class=HTMLResponse)
async def add_device(request: Request, who: AdminPage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    kind = text(form, "kind", 16)
    if kind not in (DeviceKind.KIOSK, DeviceKind.DISPLAY):
        return await _devices_page(
            request, who, status=422, errors=[("Оберіть вид пристрою", "Pick the kind of device")]
        )
    name = text(form, "name", 80)
    try:
        _device, key = await run_in_threadpool(be.accounts.add_device, name, DeviceKind(kind))
    except DomainError as exc:
        return await _devices_page(
            request, who, status=422, errors=[(exc.message_uk, exc.message_en)]
        )
    base = be.settings.base_url
    if kind == DeviceKind.KIOSK:
        config = f"CHERHA_SERVER_URL={base}\nCHERHA_DEVICE_KEY={key}\n"
    else:
        config = f"{base}/display?key={key}"
    # Shown once, on this response only (no-store); the server keeps only its hash.
    return await _devices_page(
        request,
        who,
        new_key={"name": name, "kind": kind, "key": key, "config": config, "qr": _qr(config)},
    )


@router.post("/admin/devices/{device_id}/rename", response_class=HTMLResponse)
async def rename_device(request: Request, who: AdminPage, device_id: int) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    try:
        await run_in_threadpool(be.devices.rename, who, device_id, text(form, "name", 100))
    except DomainError as exc:
        return await _devices_page(
            request, who, status=422, errors=[(exc.message_uk, exc.message_en)]
        )
    return RedirectResponse("/admin/devices", status_code=303)


def _qr(text_value: str) -> str:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=3)
    qr.add_data(text_value)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
