"""Bookings (a day's list, find by code or phone, cancel with a reason) and the audit."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from cherha.core.booking_rules import format_code, normalise_phone, parse_code
from cherha.core.errors import DomainError
from cherha.core.numbering import local_day

from ..backend import Backend
from ..store.journal import audit_day, bookings_found, bookings_of_day
from ..store.models import Branch, Service
from .forms import text
from .web import ConsolePage, backend_of, posted_form, render

router = APIRouter(include_in_schema=False)

STATES = {
    "booked": ("записано", "booked"),
    "checked_in": ("прийшов", "checked in"),
    "late": ("запізнюється", "late"),
    "no_show": ("не прийшов", "no-show"),
    "cancelled": ("скасовано", "cancelled"),
    "expired": ("недійсний", "expired"),
}
ACTIONS = {
    "branch_paused": ("пауза центру", "centre paused"),
    "branch_resumed": ("роботу відновлено", "centre resumed"),
    "ticket_called": ("виклик поза чергою", "out-of-order call"),
    "login": ("вхід", "login"),
    "login_failed": ("невдалий вхід", "failed login"),
    "logout": ("вихід", "logout"),
}


def _branch(be: Backend) -> Branch:
    with be.db.read() as session:
        branch = session.get(Branch, be.views.default_branch_id())
        assert branch is not None
        return branch


def _day(request: Request, branch: Branch, be: Backend) -> date:
    try:
        return date.fromisoformat(request.query_params.get("day", ""))
    except ValueError:
        return local_day(be.views.clock(), branch.timezone)


@router.get("/admin/bookings", response_class=HTMLResponse)
async def bookings_page(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    ops = be.bookings
    branch = await run_in_threadpool(_branch, be)
    day = _day(request, branch, be)
    query = request.query_params.get("q", "").strip()[:40]
    service_text = request.query_params.get("service", "")
    service_id = int(service_text) if service_text.isdigit() and len(service_text) < 10 else None

    def load() -> tuple[list[Any], list[Service]]:
        now = be.views.clock()
        with be.db.read() as session:
            services = list(
                session.scalars(
                    select(Service)
                    .where(Service.branch_id == branch.id)
                    .order_by(Service.position, Service.id)
                )
            )
        if query:
            code = parse_code(query)
            phone_hash = None
            with contextlib.suppress(DomainError):  # not a phone number: look for a code only
                phone_hash = ops.phone_hash(normalise_phone(query))
            return bookings_found(be.db, branch, code, phone_hash, now), services
        return bookings_of_day(be.db, branch, day, service_id, now), services

    rows, services = await run_in_threadpool(load)
    done = request.query_params.get("done") == "cancelled"
    return render(
        request,
        who,
        "bookings.html",
        title=("Записи", "Bookings"),
        rows=rows,
        services=services,
        day=day,
        query=query,
        service_id=service_id,
        states=STATES,
        format_code=format_code,
        tz=branch.timezone,
        flash=("Запис скасовано", "The booking is cancelled") if done else None,
    )


@router.post("/admin/bookings/cancel", response_class=HTMLResponse)
async def cancel_booking(request: Request, who: ConsolePage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    ops = be.bookings
    code = parse_code(text(form, "code", 20))
    reason = text(form, "reason", 200)
    back = text(form, "back", 300)
    if not back.startswith("/admin/bookings"):
        back = "/admin/bookings"
    errors = []
    if code is None:
        errors.append(("Неправильний код запису", "A wrong booking code"))
    if len(reason) < 3:
        errors.append(
            ("Напишіть причину: її побачить відвідувач", "Give a reason: the visitor will see it")
        )
    if code is not None and not errors:
        try:
            await be.writes.run(ops.cancel, who, code, None, reason=reason)
        except DomainError as exc:
            errors.append((exc.message_uk, exc.message_en))
    if errors:
        return render(
            request,
            who,
            "message.html",
            title=("Запис не скасовано", "The booking was not cancelled"),
            status=422,
            text=("; ".join(e[0] for e in errors), "; ".join(e[1] for e in errors)),
        )
    sep = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{sep}done=cancelled", status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
async def audit_page(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    branch = await run_in_threadpool(_branch, be)
    day = _day(request, branch, be)
    person = request.query_params.get("person", "").strip()[:80] or None
    rows = await run_in_threadpool(audit_day, be.db, branch, day, person)
    return render(
        request,
        who,
        "audit.html",
        title=("Журнал", "Audit"),
        rows=rows,
        day=day,
        person=person or "",
        actions=ACTIONS,
        tz=branch.timezone,
    )
