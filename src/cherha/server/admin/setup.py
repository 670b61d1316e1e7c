"""Services and windows: list, add, edit, retire; and the centre exported as its TOML file."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError

from ..backend import Backend
from ..store.centre import export_centre
from ..store.centre_file import SHORT_NAME_MAX, ServiceSpec, WindowSpec, centre_toml
from ..store.config import Saved
from ..store.models import Counter, CounterService, Service
from .forms import Message, checked, numbers, optional, text, validate
from .web import SECURITY_HEADERS, ConsolePage, backend_of, posted_form, render

router = APIRouter(include_in_schema=False)

SERVICE_LABELS: dict[str, Message] = {
    "code": ("Код", "Code"),
    "prefix": ("Префікс", "Prefix"),
    "name_uk": ("Назва українською", "Name in Ukrainian"),
    "name_en": ("Назва англійською", "Name in English"),
    "short_name_uk": ("Коротка назва для табло", "Short name for the displays"),
    "short_name_en": ("Коротка назва англійською", "Short name in English"),
    "group_uk": ("Група", "Group"),
    "group_en": ("Група англійською", "Group in English"),
    "average_minutes": ("Середній час, хв", "Average time, min"),
    "wait_target_minutes": ("Мета очікування, хв", "Wait target, min"),
    "slot_minutes": ("Тривалість запису, хв", "Booking slot, min"),
}
WINDOW_LABELS: dict[str, Message] = {
    "number": ("Номер", "Number"),
    "name_uk": ("Назва", "Name"),
    "name_en": ("Назва англійською", "Name in English"),
    "services": ("Послуги", "Services"),
}
DONE = {
    "service": ("Послугу збережено", "The service is saved"),
    "window": ("Вікно збережено", "The window is saved"),
}


def _branch_id(be: Backend) -> int:
    return be.views.default_branch_id()


def _services(be: Backend) -> list[Service]:
    with be.db.read() as session:
        return list(
            session.scalars(
                select(Service)
                .where(Service.branch_id == _branch_id(be))
                .order_by(Service.active.desc(), Service.position, Service.id)
            )
        )


def _done(request: Request) -> Message | None:
    return DONE.get(request.query_params.get("done", ""))


# -- services ---------------------------------------------------------------------------------


@router.get("/admin/services", response_class=HTMLResponse)
async def services_page(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    services = await run_in_threadpool(_services, be)
    return render(
        request,
        who,
        "services.html",
        title=("Послуги", "Services"),
        services=services,
        flash=_done(request),
    )


def _service_form_values(service: Service | None) -> dict[str, Any]:
    if service is None:
        texts = ("code", "prefix", "name_uk", "name_en", "short_name_uk", "short_name_en")
        blank = dict.fromkeys((*texts, "group_uk", "group_en"), "")
        return blank | {
            "average_minutes": 10,
            "wait_target_minutes": "",
            "slot_minutes": "",
            "active": True,
            "allow_priority": True,
            "bookable": True,
        }
    return {
        "code": service.code,
        "prefix": service.prefix,
        "name_uk": service.name_uk,
        "name_en": service.name_en,
        "short_name_uk": service.short_name_uk,
        "short_name_en": service.short_name_en,
        "group_uk": service.group_uk,
        "group_en": service.group_en,
        "average_minutes": round(service.average_seconds / 60, 1),
        "wait_target_minutes": service.wait_target_minutes or "",
        "allow_priority": service.allow_priority,
        "bookable": service.bookable,
        "slot_minutes": service.slot_minutes or "",
        "active": service.active,
    }


def _load_service(be: Backend, service_id: int) -> Service | None:
    with be.db.read() as session:
        found = session.get(Service, service_id)
        return found if found is not None and found.branch_id == _branch_id(be) else None


def _service_form(
    request: Request,
    who: Any,
    service: Service | None,
    values: dict[str, Any],
    *,
    status: int = 200,
    errors: list[Message] | None = None,
    warnings: list[Message] | None = None,
    flash: Message | None = None,
) -> HTMLResponse:
    title = ("Нова послуга", "New service") if service is None else ("Послуга", "Service")
    return render(
        request,
        who,
        "service_form.html",
        title=title,
        status=status,
        service=service,
        values=values,
        errors=errors or [],
        warnings=warnings or [],
        flash=flash,
        short_name_max=SHORT_NAME_MAX,
    )


@router.get("/admin/services/new", response_class=HTMLResponse)
async def new_service(request: Request, who: ConsolePage) -> HTMLResponse:
    return _service_form(request, who, None, _service_form_values(None))


@router.get("/admin/services/{service_id}", response_class=HTMLResponse)
async def edit_service(request: Request, who: ConsolePage, service_id: int) -> HTMLResponse:
    be = backend_of(request)
    service = await run_in_threadpool(_load_service, be, service_id)
    if service is None:
        return _not_found(request, who)
    return _service_form(request, who, service, _service_form_values(service))


@router.post("/admin/services/new", response_class=HTMLResponse)
async def add_service(request: Request, who: ConsolePage) -> Response:
    return await _save_service(request, who, None)


@router.post("/admin/services/{service_id}", response_class=HTMLResponse)
async def save_service(request: Request, who: ConsolePage, service_id: int) -> Response:
    return await _save_service(request, who, service_id)


async def _save_service(request: Request, who: Any, service_id: int | None) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    service = None
    if service_id is not None:
        service = await run_in_threadpool(_load_service, be, service_id)
        if service is None:
            return _not_found(request, who)
    values: dict[str, Any] = {
        "code": service.code if service else text(form, "code", 40),
        "prefix": text(form, "prefix", 10).upper(),
        "name_uk": text(form, "name_uk"),
        "name_en": text(form, "name_en"),
        "group_uk": text(form, "group_uk"),
        "group_en": text(form, "group_en"),
        # The displays' short names (too long: refused, not cut); a form without their fields
        # keeps them as they are.
        **{
            key: text(form, key) if key in form else (getattr(service, key) if service else "")
            for key in ("short_name_uk", "short_name_en")
        },
        "average_minutes": optional(form, "average_minutes"),
        "wait_target_minutes": optional(form, "wait_target_minutes"),
        "allow_priority": checked(form, "allow_priority"),
        "bookable": checked(form, "bookable"),
        "slot_minutes": optional(form, "slot_minutes"),
        "active": checked(form, "active"),
    }
    data = {k: v for k, v in values.items() if v is not None}
    spec, errors = validate(ServiceSpec, data, SERVICE_LABELS)
    if spec is None:
        return _service_form(request, who, service, values, status=422, errors=errors)
    try:
        saved: Saved = await be.writes.run(
            be.config.save_service, who, _branch_id(be), service_id, spec
        )
    except DomainError as exc:
        return _service_form(
            request, who, service, values, status=422, errors=[(exc.message_uk, exc.message_en)]
        )
    if saved.warnings:
        fresh = await run_in_threadpool(_load_service, be, saved.id)
        return _service_form(
            request,
            who,
            fresh,
            _service_form_values(fresh),
            warnings=saved.warnings,
            flash=DONE["service"],
        )
    return RedirectResponse("/admin/services?done=service", status_code=303)


# -- windows ----------------------------------------------------------------------------------


def _windows(be: Backend) -> list[tuple[Counter, list[int]]]:
    with be.db.read() as session:
        links: dict[int, list[int]] = {}
        for counter_id, service_id in session.execute(
            select(CounterService.counter_id, CounterService.service_id)
        ):
            links.setdefault(counter_id, []).append(service_id)
        return [
            (c, links.get(c.id, []))
            for c in session.scalars(
                select(Counter)
                .where(Counter.branch_id == _branch_id(be))
                .order_by(Counter.active.desc(), Counter.number)
            )
        ]


@router.get("/admin/windows", response_class=HTMLResponse)
async def windows_page(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    windows = await run_in_threadpool(_windows, be)
    services = {s.id: s for s in await run_in_threadpool(_services, be)}
    return render(
        request,
        who,
        "windows.html",
        title=("Вікна", "Windows"),
        windows=windows,
        services=services,
        flash=_done(request),
    )


def _window_form(
    request: Request,
    who: Any,
    counter: Counter | None,
    values: dict[str, Any],
    services: list[Service],
    *,
    status: int = 200,
    errors: list[Message] | None = None,
    warnings: list[Message] | None = None,
    flash: Message | None = None,
) -> HTMLResponse:
    return render(
        request,
        who,
        "window_form.html",
        title=("Нове вікно", "New window") if counter is None else ("Вікно", "Window"),
        status=status,
        counter=counter,
        values=values,
        services=services,
        errors=errors or [],
        warnings=warnings or [],
        flash=flash,
    )


def _window_values(be: Backend, counter_id: int | None) -> tuple[Counter | None, dict[str, Any]]:
    if counter_id is None:
        return None, {"number": "", "name_uk": "", "name_en": "", "services": [], "active": True}
    for counter, service_ids in _windows(be):
        if counter.id == counter_id:
            return counter, {
                "number": counter.number,
                "name_uk": counter.name_uk,
                "name_en": counter.name_en,
                "services": service_ids,
                "active": counter.active,
            }
    raise LookupError(counter_id)


@router.get("/admin/windows/new", response_class=HTMLResponse)
async def new_window(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    services = await run_in_threadpool(_services, be)
    counter, values = _window_values(be, None)
    return _window_form(request, who, counter, values, services)


@router.get("/admin/windows/{counter_id}", response_class=HTMLResponse)
async def edit_window(request: Request, who: ConsolePage, counter_id: int) -> HTMLResponse:
    be = backend_of(request)
    try:
        counter, values = await run_in_threadpool(_window_values, be, counter_id)
    except LookupError:
        return _not_found(request, who)
    return _window_form(request, who, counter, values, await run_in_threadpool(_services, be))


@router.post("/admin/windows/new", response_class=HTMLResponse)
async def add_window(request: Request, who: ConsolePage) -> Response:
    return await _save_window(request, who, None)


@router.post("/admin/windows/{counter_id}", response_class=HTMLResponse)
async def save_window(request: Request, who: ConsolePage, counter_id: int) -> Response:
    return await _save_window(request, who, counter_id)


async def _save_window(request: Request, who: Any, counter_id: int | None) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    try:
        counter, _old = await run_in_threadpool(_window_values, be, counter_id)
    except LookupError:
        return _not_found(request, who)
    services = await run_in_threadpool(_services, be)
    codes = {s.id: s.code for s in services}
    chosen = [i for i in numbers(form, "services") if i in codes]
    values: dict[str, Any] = {
        "number": text(form, "number", 10),
        "name_uk": text(form, "name_uk"),
        "name_en": text(form, "name_en"),
        "services": chosen,
        "active": checked(form, "active"),
    }
    spec, errors = validate(
        WindowSpec,
        {
            "number": values["number"],
            "name_uk": values["name_uk"],
            "name_en": values["name_en"],
            "services": [codes[i] for i in chosen],
        },
        WINDOW_LABELS,
    )
    if spec is None:
        return _window_form(request, who, counter, values, services, status=422, errors=errors)
    try:
        saved: Saved = await be.writes.run(
            lambda: be.config.save_window(
                who, _branch_id(be), counter_id, spec, chosen, active=bool(values["active"])
            )
        )
    except DomainError as exc:
        return _window_form(
            request,
            who,
            counter,
            values,
            services,
            status=422,
            errors=[(exc.message_uk, exc.message_en)],
        )
    if saved.warnings:
        fresh, fresh_values = await run_in_threadpool(_window_values, be, saved.id)
        return _window_form(
            request,
            who,
            fresh,
            fresh_values,
            services,
            warnings=saved.warnings,
            flash=DONE["window"],
        )
    return RedirectResponse("/admin/windows?done=window", status_code=303)


# -- export -----------------------------------------------------------------------------------


@router.get("/admin/export.toml")
async def export(request: Request, _who: ConsolePage) -> Response:
    """The current set-up as the TOML `cherha-server load-centre` reads."""
    be = backend_of(request)

    def make() -> tuple[str, str]:
        spec = export_centre(be.db, _branch_id(be))
        return spec.centre.code, centre_toml(spec)

    code, body = await run_in_threadpool(make)
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in code)
    return Response(
        body,
        media_type="application/toml; charset=utf-8",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="centre-{safe}.toml"',
        },
    )


def _not_found(request: Request, who: Any) -> HTMLResponse:
    from .web import message

    return message(
        request,
        who,
        404,
        ("Не знайдено", "Not found"),
        (
            "Такого запису немає. Поверніться до списку.",
            "There is no such item. Go back to the list.",
        ),
    )
