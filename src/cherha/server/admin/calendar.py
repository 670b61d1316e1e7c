"""Working hours (the centre's and a service's own), holidays and shortened days, and the next
14 days as they will be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError
from cherha.core.numbering import local_day
from cherha.core.schedule import fmt_minute

from ..backend import Backend
from ..store.centre_file import DAY_NAMES, ExceptionSpec, HoursSpec
from ..store.config import hours_spec
from ..store.models import Branch, ScheduleException, Service, WorkingHours
from ..store.schedules import load_schedules
from .forms import Message, checked, text, validate
from .web import ConsolePage, backend_of, posted_form, render

router = APIRouter(include_in_schema=False)

DAYS = [
    ("mon", "Понеділок", "Monday"),
    ("tue", "Вівторок", "Tuesday"),
    ("wed", "Середа", "Wednesday"),
    ("thu", "Четвер", "Thursday"),
    ("fri", "П'ятниця", "Friday"),
    ("sat", "Субота", "Saturday"),
    ("sun", "Неділя", "Sunday"),
]
SHORT_DAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"]
PREVIEW_DAYS = 14
DONE = {
    "hours": ("Години збережено", "The hours are saved"),
    "holiday": ("Зміну в розкладі збережено", "The change to the schedule is saved"),
    "removed": ("Зміну в розкладі прибрано", "The change to the schedule is removed"),
}
HOLIDAY_LABELS: dict[str, Message] = {
    "date": ("Дата", "Date"),
    "hours": ("Години", "Hours"),
    "note": ("Примітка", "Note"),
}


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: date
    weekday: str
    hours: str
    closed: bool
    changed: bool
    note: str


@dataclass(frozen=True, slots=True)
class HoursPage:
    branch: Branch
    services: list[Service]
    own_hours: dict[int, bool]
    service: Service | None
    hours: dict[str, str]
    preview: list[DayPlan]
    exceptions: list[tuple[date, int, str, str, str]]
    """(day, service id or 0, service name or "", hours text or "", note)"""


def _load(be: Backend, service_id: int | None) -> HoursPage | None:
    branch_id = be.views.default_branch_id()
    with be.db.read() as session:
        branch = session.get(Branch, branch_id)
        assert branch is not None
        services = list(
            session.scalars(
                select(Service)
                .where(Service.branch_id == branch_id, Service.active.is_(True))
                .order_by(Service.position, Service.id)
            )
        )
        service = None
        if service_id is not None:
            service = next((s for s in services if s.id == service_id), None)
            if service is None:
                return None
        rows = list(
            session.scalars(select(WorkingHours).where(WorkingHours.branch_id == branch_id))
        )
        own = {s.id: any(r.service_id == s.id for r in rows) for s in services}
        spec = hours_spec(r for r in rows if r.service_id == service_id)
        hours = {d: ", ".join(getattr(spec, d)) if spec else "" for d in DAY_NAMES}
        schedule = load_schedules(session, branch_id, [service_id])[service_id]
        exceptions = list(
            session.scalars(
                select(ScheduleException)
                .where(ScheduleException.branch_id == branch_id)
                .order_by(ScheduleException.day, ScheduleException.opens)
            )
        )
    names = {s.id: s.name_uk for s in services}
    today = local_day(be.views.clock(), branch.timezone)
    notes = {e.day: e.note for e in exceptions if e.service_id in (None, service_id)}
    preview = []
    for offset in range(PREVIEW_DAYS):
        day = today + timedelta(days=offset)
        intervals = schedule.intervals_on(day)
        preview.append(
            DayPlan(
                day=day,
                weekday=SHORT_DAYS[day.weekday()],
                hours=", ".join(f"{fmt_minute(i.opens)}–{fmt_minute(i.closes)}" for i in intervals),
                closed=not intervals,
                changed=day in schedule.exceptions,
                note=notes.get(day, ""),
            )
        )
    grouped: dict[tuple[date, int | None], list[ScheduleException]] = {}
    for e in exceptions:
        grouped.setdefault((e.day, e.service_id), []).append(e)
    listed = [
        (
            day,
            sid or 0,
            names.get(sid, "") if sid else "",
            ", ".join(
                f"{fmt_minute(e.opens)}–{fmt_minute(e.closes)}"
                for e in rows
                if e.opens is not None and e.closes is not None
            ),
            rows[0].note,
        )
        for (day, sid), rows in grouped.items()
        if day >= today
    ]
    return HoursPage(branch, services, own, service, hours, preview, listed)


def _service_codes(be: Backend) -> dict[str, str]:
    with be.db.read() as session:
        return {
            str(s.id): s.code
            for s in session.scalars(
                select(Service).where(Service.branch_id == be.views.default_branch_id())
            )
        }


def _page(
    request: Request,
    who: Any,
    data: HoursPage,
    *,
    status: int = 200,
    errors: list[Message] | None = None,
    hours: dict[str, str] | None = None,
    flash: Message | None = None,
) -> HTMLResponse:
    title = ("Години роботи", "Working hours")
    if data.service is not None:
        title = (f"Години: {data.service.name_uk}", f"Hours: {data.service.name_en}")
    return render(
        request,
        who,
        "hours.html",
        title=title,
        status=status,
        page=data,
        days=DAYS,
        hours=hours or data.hours,
        errors=errors or [],
        flash=flash,
    )


@router.get("/admin/hours", response_class=HTMLResponse)
async def hours_page(request: Request, who: ConsolePage) -> HTMLResponse:
    data = await run_in_threadpool(_load, backend_of(request), None)
    assert data is not None
    return _page(request, who, data, flash=DONE.get(request.query_params.get("done", "")))


@router.get("/admin/hours/services/{service_id}", response_class=HTMLResponse)
async def service_hours_page(request: Request, who: ConsolePage, service_id: int) -> Response:
    data = await run_in_threadpool(_load, backend_of(request), service_id)
    if data is None:
        return RedirectResponse("/admin/hours", status_code=303)
    return _page(request, who, data, flash=DONE.get(request.query_params.get("done", "")))


@router.post("/admin/hours", response_class=HTMLResponse)
async def save_hours(request: Request, who: ConsolePage) -> Response:
    return await _save_hours(request, who, None)


@router.post("/admin/hours/services/{service_id}", response_class=HTMLResponse)
async def save_service_hours(request: Request, who: ConsolePage, service_id: int) -> Response:
    return await _save_hours(request, who, service_id)


async def _save_hours(request: Request, who: Any, service_id: int | None) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    data = await run_in_threadpool(_load, be, service_id)
    if data is None:
        return RedirectResponse("/admin/hours", status_code=303)
    typed = {d: text(form, d, 200) for d in DAY_NAMES}
    follow = service_id is not None and checked(form, "follow_centre")
    spec: HoursSpec | None = None
    if not follow:
        spec = HoursSpec(
            **{d: [part.strip() for part in v.split(",") if part.strip()] for d, v in typed.items()}
        )
    try:
        await be.writes.run(be.config.set_hours, who, data.branch.id, service_id, spec)
    except DomainError as exc:
        return _page(
            request, who, data, status=422, errors=[(exc.message_uk, exc.message_en)], hours=typed
        )
    back = "/admin/hours" if service_id is None else f"/admin/hours/services/{service_id}"
    return RedirectResponse(f"{back}?done=hours", status_code=303)


@router.post("/admin/holidays", response_class=HTMLResponse)
async def add_holiday(request: Request, who: ConsolePage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    data = await run_in_threadpool(_load, be, None)
    assert data is not None
    codes = await run_in_threadpool(_service_codes, be)
    hours_text = text(form, "hours", 200)
    values: dict[str, Any] = {
        "date": text(form, "date", 20),
        "hours": [p.strip() for p in hours_text.split(",") if p.strip()],
        "note": text(form, "note", 200),
        "service": codes.get(text(form, "service", 12)),
    }
    spec, errors = validate(ExceptionSpec, values, HOLIDAY_LABELS)
    if spec is None:
        return _page(request, who, data, status=422, errors=errors)
    try:
        await be.writes.run(be.config.set_exception, who, data.branch.id, spec)
    except DomainError as exc:
        return _page(request, who, data, status=422, errors=[(exc.message_uk, exc.message_en)])
    return RedirectResponse("/admin/hours?done=holiday", status_code=303)


@router.post("/admin/holidays/remove", response_class=HTMLResponse)
async def remove_holiday(request: Request, who: ConsolePage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    data = await run_in_threadpool(_load, be, None)
    assert data is not None
    codes = await run_in_threadpool(_service_codes, be)
    try:
        day = date.fromisoformat(text(form, "date", 20))
        await be.writes.run(
            be.config.remove_exception,
            who,
            data.branch.id,
            day,
            codes.get(text(form, "service", 12)),
        )
    except ValueError:
        return _page(request, who, data, status=422, errors=[("Неправильна дата", "A wrong date")])
    except DomainError as exc:
        return _page(request, who, data, status=422, errors=[(exc.message_uk, exc.message_en)])
    return RedirectResponse("/admin/hours?done=removed", status_code=303)
