"""Reports in the console: each report with its chart and table, CSV and XLSX downloads with
the same numbers, staffing advice, and the open-data switch (docs/reports.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError
from cherha.core.periods import (
    BUCKET_NAMES,
    PRESET_NAMES,
    WEEKDAY_NAMES,
    Bucket,
    Preset,
)
from cherha.core.reports import Breakdown, Column, Table, cell_value

from ..api.report_files import CSV_TYPE, XLSX_TYPE, file_name, to_csv, to_xlsx
from ..api.reports import Asked, ask
from ..store.models import Service
from ..store.report_query import BREAKDOWN_NAMES, ReportQuery
from ..store.reports import REPORTS, report_spec
from .charts import Series, bar_chart, heat_map, line_chart
from .web import SECURITY_HEADERS, ConsolePage, backend_of, message, posted_form, render

router = APIRouter(include_in_schema=False)

CHARTS: dict[str, tuple[str, tuple[str, ...], tuple[str, str]]] = {
    "visitors": ("bar", ("issued", "served", "no_show"), ("", "")),
    "waits": ("line", ("median", "p90"), ("хв", "min")),
    "service_times": ("bar", ("mean", "median"), ("хв", "min")),
    "bookings": ("bar", ("made", "on_time", "late", "no_show"), ("", "")),
    "calls": ("bar", ("calls", "out_of_order"), ("", "")),
    "pauses": ("bar", ("pause_minutes", "break_minutes"), ("хв", "min")),
    "estimates": ("line", ("estimated", "actual", "mae"), ("хв", "min")),
    "arrivals": ("heat", (), ("", "")),
    "outcomes": ("long", ("visits",), ("візитів", "visits")),
}
"""Which columns each report draws, and how: the table beside it has all of them."""
MAX_CATEGORIES = 62
MAX_GROUP_SERIES = 8


def chart_for(table: Table, q: ReportQuery) -> Markup | None:
    """The report's chart from its table's shown values (the same numbers as the cells)."""
    kind, keys, (unit_uk, unit_en) = CHARTS[table.name]
    unit = f"{unit_uk} / {unit_en}" if unit_uk else ""
    title = f"{table.title[0]} / {table.title[1]}"
    chart_id = f"chart-{table.name}"
    if not table.rows:
        return None
    if kind == "heat":
        hours = table.columns[1:-1]
        return heat_map(
            chart_id,
            title,
            [str(r[0]).split(" / ")[0] for r in table.rows],
            [c.uk for c in hours],
            [[float(v) for v in r[1:-1]] for r in table.rows],
        )
    if kind == "long":
        return _long_chart(table, chart_id, title, keys[0], unit, q)
    columns = {c.key: (i, c) for i, c in enumerate(table.columns)}
    rows = table.rows[: MAX_CATEGORIES * MAX_GROUP_SERIES]
    if q.bucket is not Bucket.TOTAL and q.breakdown is not Breakdown.CENTRE:
        # One line or bar per group, of the first measure, over the period's buckets.
        index, column = columns[keys[0]]
        buckets = list(dict.fromkeys(str(r[0]) for r in rows))[:MAX_CATEGORIES]
        groups = list(dict.fromkeys(str(r[1]) for r in rows))[:MAX_GROUP_SERIES]
        cells = {(str(r[0]), str(r[1])): cell_value(r[index], column.kind) for r in rows}
        series = [
            Series(f"{column.uk}: {g}", f"{column.en}: {g}", [cells.get((b, g)) for b in buckets])
            for g in groups
        ]
        categories = buckets
    else:
        label_index = 1 if q.bucket is Bucket.TOTAL else 0
        rows = rows[:MAX_CATEGORIES]
        categories = [str(r[label_index]) for r in rows]
        series = [_series(columns[key][1], [r[columns[key][0]] for r in rows]) for key in keys]
    draw = line_chart if kind == "line" and len(categories) > 1 else bar_chart
    return draw(chart_id, title, categories, series, unit=unit)


def _long_chart(
    table: Table, chart_id: str, title: str, key: str, unit: str, q: ReportQuery
) -> Markup:
    """A table with a row per group and category (outcome): bars over the categories, one
    series per period and group (the first few; the table has them all)."""
    index = next(i for i, c in enumerate(table.columns) if c.key == key)
    column = table.columns[index]
    # Categories by their Ukrainian name (the axis has little room); the table has both.
    categories = list(dict.fromkeys(_uk(r[2]) for r in table.rows))[:MAX_CATEGORIES]

    def name(row: Sequence[Any]) -> str:
        if q.bucket is Bucket.TOTAL:
            return str(row[1])
        return str(row[0]) if q.breakdown is Breakdown.CENTRE else f"{row[0]} · {row[1]}"

    groups = list(dict.fromkeys(name(r) for r in table.rows))[:MAX_GROUP_SERIES]
    cells = {(name(r), _uk(r[2])): cell_value(r[index], column.kind) for r in table.rows}
    series = [
        Series(g, g, [cells.get((g, c)) for c in categories])
        if len(groups) > 1
        else Series(column.uk, column.en, [cells.get((g, c)) for c in categories])
        for g in groups
    ]
    return bar_chart(chart_id, title, categories, series, unit=unit)


def _uk(label: Any) -> str:
    return str(label).split(" / ")[0]


def _series(column: Column, raw: Sequence[Any]) -> Series:
    return Series(column.uk, column.en, [cell_value(v, column.kind) for v in raw])


def _services(request: Request) -> list[Service]:
    be = backend_of(request)
    with be.db.read() as session:
        return list(
            session.scalars(
                select(Service)
                .where(Service.branch_id == be.views.default_branch_id())
                .order_by(Service.position, Service.id)
            )
        )


def _params(request: Request) -> dict[str, str]:
    keep = ("period", "from", "to", "by", "breakdown", "service_id")
    params = {k: request.query_params.get(k, "").strip()[:40] for k in keep}
    # The form sends both a preset and dates: dates win only with the «chosen dates» preset.
    if params.get("period") and params["period"] != Preset.CUSTOM.value:
        params.pop("from", None)
        params.pop("to", None)
    return {k: v for k, v in params.items() if v}


@router.get("/admin/reports", response_class=HTMLResponse)
async def reports_index(_request: Request, _who: ConsolePage) -> Response:
    return RedirectResponse("/admin/reports/visitors", status_code=303)


@router.get("/admin/reports/staffing", response_class=HTMLResponse)
async def staffing_page(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    args = request.query_params
    errors: list[tuple[str, str]] = []
    branch = await run_in_threadpool(be.reports.branch, be.views.default_branch_id())
    today = be.reports.today(branch)
    weekday = _int(args.get("weekday"), today.weekday())
    weeks = _int(args.get("weeks"), 4)
    share = _int(args.get("share"), 80)
    target_text = args.get("target", "").strip()
    target = float(_int(target_text, 0)) if target_text else None
    plan = None
    try:
        plan = await run_in_threadpool(
            lambda: be.reports.staffing(
                branch.id, weekday=weekday, weeks=weeks, target_minutes=target, share=share / 100
            )
        )
    except DomainError as exc:
        errors.append((exc.message_uk, exc.message_en))
    chart = None
    if plan is not None and plan.table.rows:
        hours = [str(r[0])[:5] for r in plan.table.rows]
        chart = bar_chart(
            "chart-staffing",
            "Вікна: порада і як було / Windows: advised and actual",
            hours,
            [
                _series(plan.table.columns[3], plan.table.column("advised")),
                _series(plan.table.columns[6], plan.table.column("open")),
            ],
            unit="вікон / windows",
        )
    return render(
        request,
        who,
        "staffing.html",
        title=("Скільки вікон відкривати", "Windows to open"),
        status=422 if errors else 200,
        errors=errors,
        plan=plan,
        chart=chart,
        weekday=weekday,
        weeks=weeks,
        share=share,
        target=target_text,
        weekdays=WEEKDAY_NAMES,
        reports=REPORTS,
        current_report="staffing",
    )


@router.get("/admin/reports/open-data", response_class=HTMLResponse)
async def open_data_page(request: Request, who: ConsolePage) -> HTMLResponse:
    be = backend_of(request)
    branch = await run_in_threadpool(be.reports.branch, be.views.default_branch_id())
    through = await run_in_threadpool(be.reports.summarised_through, branch.id)
    done = request.query_params.get("done")
    flash = None
    if done in ("on", "off"):
        flash = (
            ("Відкриті дані публікуються", "Open data is published")
            if done == "on"
            else ("Відкриті дані більше не публікуються", "Open data is no longer published")
        )
    return render(
        request,
        who,
        "open_data_admin.html",
        title=("Відкриті дані", "Open data"),
        on=branch.open_data,
        through=through,
        flash=flash,
        reports=REPORTS,
        current_report="open-data",
    )


@router.post("/admin/reports/open-data", response_class=HTMLResponse)
async def switch_open_data(request: Request, who: ConsolePage) -> Response:
    form = await posted_form(request, who)
    be = backend_of(request)
    on = form.get("open_data") == "on"
    await be.writes.run(be.reports.set_open_data, who, be.views.default_branch_id(), on)
    return RedirectResponse(f"/admin/reports/open-data?done={'on' if on else 'off'}", 303)


@router.get("/admin/reports/{name}.csv")
async def report_csv(request: Request, _who: ConsolePage, name: str) -> Response:
    asked, table = await _table(request, name)
    return Response(
        to_csv(table),
        media_type=CSV_TYPE,
        headers={**SECURITY_HEADERS, **_attachment(file_name(table, asked.query.period, "csv"))},
    )


@router.get("/admin/reports/{name}.xlsx")
async def report_xlsx(request: Request, _who: ConsolePage, name: str) -> Response:
    asked, table = await _table(request, name)
    return Response(
        to_xlsx(table, asked.query.period),
        media_type=XLSX_TYPE,
        headers={**SECURITY_HEADERS, **_attachment(file_name(table, asked.query.period, "xlsx"))},
    )


async def _table(request: Request, name: str) -> tuple[Asked, Table]:
    be = backend_of(request)
    asked = await run_in_threadpool(ask, be, name[:40], _params(request))
    table = await run_in_threadpool(be.reports.table, name, asked.query)
    return asked, table


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/admin/reports/{name}", response_class=HTMLResponse)
async def report_page(request: Request, who: ConsolePage, name: str) -> HTMLResponse:
    be = backend_of(request)
    try:
        spec = report_spec(name[:40])
    except DomainError as exc:
        return message(
            request,
            who,
            404,
            ("Такого звіту немає", "No such report"),
            (exc.message_uk, exc.message_en),
        )
    params = _params(request)
    errors: list[tuple[str, str]] = []
    table: Table | None = None
    asked: Asked | None = None
    try:
        asked, table = await _table(request, spec.name)
    except DomainError as exc:
        errors.append((exc.message_uk, exc.message_en))
        asked = await run_in_threadpool(ask, be, spec.name, {})
    q = asked.query
    period_text = (q.period.first, q.period.last)
    shown = {**params, "period": asked.preset.value}
    if asked.preset is Preset.CUSTOM:
        shown |= {"from": q.period.first.isoformat(), "to": q.period.last.isoformat()}
    exports = urlencode({k: v for k, v in shown.items() if v})
    return render(
        request,
        who,
        "report.html",
        title=spec.title,
        status=422 if errors else 200,
        errors=errors,
        spec=spec,
        table=table,
        cells=table.cells() if table else [],
        chart=chart_for(table, q) if table else None,
        q=q,
        preset=asked.preset,
        period_text=period_text,
        presets=PRESET_NAMES,
        buckets=BUCKET_NAMES,
        breakdowns={b: BREAKDOWN_NAMES[b] for b in spec.breakdowns},
        services=await run_in_threadpool(_services, request),
        exports=exports,
        reports=REPORTS,
        current_report=spec.name,
        yesterday=(q.period.last - timedelta(days=1)).isoformat(),
    )


def _int(text: str | None, default: int) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else default
