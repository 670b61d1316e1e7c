"""Devices (the administrator only): the list with last seen, printer state and app version;
adding a kiosk or a display with its key shown once and a QR code of its settings; renaming;
revoking a key (its next request is refused)."""

from __future__ import annotations

import base64
import io

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError

from ..api.addresses import client_address
from ..auth import DeviceKind, Principal
from ..backend import Backend
from ..store.floor import PRINTER_FAULTS
from .forms import Message, text
from .web import AdminPage, backend_of, posted_form, render

router = APIRouter(include_in_schema=False)


@router.get("/admin/devices", response_class=HTMLResponse)
async def devices_page(request: Request, who: AdminPage) -> HTMLResponse:
    return await _devices_page(request, who)


PRINTER_NAMES = {
    "ok": ("справний", "ok"),
    "unknown": ("ще не повідомляв", "not reported yet"),
    **PRINTER_FAULTS,
}
DONE = {
    "renamed": ("Пристрій перейменовано; ключ той самий", "The device is renamed; its key stays"),
    "revoked": (
        "Ключ відкликано: наступний запит пристрою буде відхилено",
        "The key is revoked: the device's next request is refused",
    ),
}


async def _devices_page(
    request: Request,
    who: Principal,
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
        printer_names=PRINTER_NAMES,
        flash=DONE.get(request.query_params.get("done", "")),
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
        _device, key = await run_in_threadpool(
            lambda: be.accounts.add_device(
                name, DeviceKind(kind), actor=who.actor, address=client_address(request)
            )
        )
    except DomainError as exc:
        return await _devices_page(
            request, who, status=exc.status, errors=[(exc.message_uk, exc.message_en)]
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
        await run_in_threadpool(
            be.devices.rename, who, device_id, text(form, "name", 100), client_address(request)
        )
    except DomainError as exc:
        return await _devices_page(
            request, who, status=exc.status, errors=[(exc.message_uk, exc.message_en)]
        )
    return RedirectResponse("/admin/devices?done=renamed", status_code=303)


@router.post("/admin/devices/{device_id}/revoke", response_class=HTMLResponse)
async def revoke_device(request: Request, who: AdminPage, device_id: int) -> Response:
    """The key stops working at once on this server (its cached answer is dropped), on other
    instances within `CACHE_SECONDS`; the device keeps its row, history and name."""
    await posted_form(request, who)
    be = backend_of(request)
    try:
        name = await run_in_threadpool(be.devices.name_of, device_id)
        await run_in_threadpool(
            lambda: be.accounts.revoke_device(
                name, actor=who.actor, address=client_address(request)
            )
        )
    except DomainError as exc:
        return await _devices_page(
            request, who, status=exc.status, errors=[(exc.message_uk, exc.message_en)]
        )
    return RedirectResponse("/admin/devices?done=revoked", status_code=303)


def _qr(text_value: str) -> str:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=3)
    qr.add_data(text_value)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
