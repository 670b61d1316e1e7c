"""/api/v1/reports: the console's reports as JSON for other systems (administrator or head).

The same `Reports` the console reads, the same query parameters: `period` (today, yesterday,
this_week, last_week, this_month, last_month, last_30_days) or `from`/`to` (YYYY-MM-DD), `by`
(total, day, week, month, weekday, hour), `breakdown` (centre, service, counter, clerk),
`service_id`. `lifespan` (entered by the app's) keeps the projections up to date in the
background.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Query
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import Invalid
from cherha.core.periods import Period, Preset, parse_bucket, parse_period
from cherha.core.reports import Table
from cherha.wire import Report, ReportColumn, ReportInfo, Staffing

from ..backend import Backend
from ..store.report_query import ReportQuery, parse_breakdown
from ..store.reports import REPORTS, report_spec
from .deps import BackendDep, HeadDep
from .routes import PROBLEMS

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Fold new events into the reports' projections at start and then periodically."""
    be: Backend = app.state.backend
    interval = be.settings.report_refresh_seconds
    stop = threading.Event()

    def keep_up() -> None:
        while not stop.is_set():
            try:
                be.reports.refresh_all()
            except Exception:  # a database fault is logged; the next pass tries again
                log.exception("report refresh failed")
            if interval <= 0 or stop.wait(interval):
                return

    thread = threading.Thread(target=keep_up, name="cherha-report-refresh", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        await asyncio.to_thread(thread.join, 30)


router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["reports"])


@dataclass(frozen=True, slots=True)
class Asked:
    """A report request, parsed (the console and the API both use `ask`)."""

    query: ReportQuery
    preset: Preset


def ask(be: Backend, name: str, params: Mapping[str, str], branch_id: int | None = None) -> Asked:
    """The period, grouping and breakdown a request asks for, with the report's own defaults."""
    spec = report_spec(name)
    branch = be.reports.branch(branch_id or be.views.default_branch_id())
    preset, period = parse_period(
        params.get("period"), params.get("from"), params.get("to"), be.reports.today(branch)
    )
    bucket = parse_bucket(params.get("by")) if params.get("by") else spec.bucket
    breakdown = (
        parse_breakdown(params.get("breakdown")) if params.get("breakdown") else spec.breakdown
    )
    service_text = params.get("service_id", "")
    service_id: int | None = None
    if service_text:
        if not service_text.isdigit() or len(service_text) > 9:
            raise Invalid("Номер послуги — ціле число", "The service id must be a whole number")
        service_id = int(service_text)
    return Asked(
        ReportQuery(branch.id, branch.timezone, period, bucket, breakdown, service_id), preset
    )


def report_out(table: Table, q: ReportQuery) -> Report:
    return Report(
        name=table.name,
        title={"uk": table.title[0], "en": table.title[1]},
        period={"from": q.period.first, "to": q.period.last},
        by=q.bucket,
        breakdown=q.breakdown,
        columns=tuple(
            ReportColumn(key=c.key, uk=c.uk, en=c.en, kind=c.kind) for c in table.columns
        ),
        rows=tuple(table.records()),
        notes=tuple({"uk": uk, "en": en} for uk, en in table.notes),
    )


@router.get("/reports", response_model=list[ReportInfo])
def list_reports(_who: HeadDep) -> list[ReportInfo]:
    return [
        ReportInfo(
            name=s.name,
            title={"uk": s.title[0], "en": s.title[1]},
            about={"uk": s.about[0], "en": s.about[1]},
            by=s.bucket,
            breakdown=s.breakdown,
            breakdowns=tuple(s.breakdowns),
        )
        for s in REPORTS.values()
    ]


@router.get("/reports/staffing", response_model=Staffing)
async def staffing_report(
    be: BackendDep,
    _who: HeadDep,
    weekday: Annotated[int, Query(ge=0, le=6, description="0 понеділок … 6 неділя")],
    weeks: Annotated[int, Query(ge=1, le=26)] = 4,
    target: Annotated[float | None, Query(ge=1, le=480, description="хвилин")] = None,
    share: Annotated[float, Query(ge=50, le=99, description="%")] = 80,
) -> Staffing:
    plan = await run_in_threadpool(
        lambda: be.reports.staffing(
            be.views.default_branch_id(),
            weekday=weekday,
            weeks=weeks,
            target_minutes=target,
            share=share / 100.0,
        )
    )
    return Staffing(
        weekday=plan.weekday,
        days=tuple(plan.days),
        target_minutes=plan.target_minutes,
        share=plan.share,
        service_minutes=plan.service_minutes,
        columns=tuple(
            ReportColumn(key=c.key, uk=c.uk, en=c.en, kind=c.kind) for c in plan.table.columns
        ),
        rows=tuple(plan.table.records()),
    )


@router.get("/reports/{name}", response_model=Report)
async def get_report(
    be: BackendDep,
    _who: HeadDep,
    name: Annotated[str, Path(max_length=40)],
    period: Annotated[str | None, Query(max_length=20)] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    to: Annotated[str | None, Query(max_length=10)] = None,
    by: Annotated[str | None, Query(max_length=10)] = None,
    breakdown: Annotated[str | None, Query(max_length=10)] = None,
    service_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Report:
    params = {
        k: v
        for k, v in {
            "period": period,
            "from": from_,
            "to": to,
            "by": by,
            "breakdown": breakdown,
            "service_id": str(service_id) if service_id else None,
        }.items()
        if v
    }
    asked = await run_in_threadpool(ask, be, name, params)
    table = await run_in_threadpool(be.reports.table, name, asked.query)
    return report_out(table, asked.query)


__all__ = ["Asked", "Period", "ask", "report_out", "router"]
