"""/open-data/: the centre's daily queue statistics for anyone, without a login.

Per finished day and service: tickets issued and served, the median and 90th-percentile wait,
the share called within the service's target, out-of-order calls. Never a name, a phone, a
ticket number or token; a count from 1 to 4 (and a figure computed from fewer than 5 visits)
is left empty. CSV and JSON, with a Frictionless Table Schema (`schema.json`) and a Data
Package descriptor (`datapackage.json`) a city's open-data portal can register. A centre turns
publishing on or off in the console (Звіти → Відкриті дані); off, the files answer 404.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool

from cherha.core.errors import DomainError, NotFound
from cherha.core.periods import Period, parse_period

from . import __version__
from .backend import Backend
from .store.models import Branch
from .store.report_daily import OPEN_DATA_FIELDS

router = APIRouter(include_in_schema=False)

HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
}
PAGE_HEADERS = {
    **HEADERS,
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

_env = Environment(
    loader=PackageLoader("cherha.server", "web/templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def schema() -> dict[str, Any]:
    """The files' Table Schema (https://specs.frictionlessdata.io/table-schema/)."""
    return {
        "fields": OPEN_DATA_FIELDS,
        "primaryKey": ["date", "service_id"],
        "missingValues": [""],
    }


def _backend(request: Request) -> Backend:
    be: Backend = request.app.state.backend
    return be


def _published(be: Backend) -> Branch:
    branch = be.reports.branch(be.views.default_branch_id())
    if not branch.open_data:
        raise NotFound(
            "Центр не публікує відкриті дані",
            "This centre does not publish open data",
            code="open_data_off",
        )
    return branch


def _period(
    be: Backend, branch: Branch, first: str | None, last: str | None, year: int | None
) -> Period | None:
    if year is not None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    if not first and not last:
        return None
    return parse_period(None, first, last, be.reports.today(branch))[1]


def _rows(
    request: Request, first: str | None, last: str | None, year: int | None
) -> tuple[Branch, Period, list[dict[str, Any]]]:
    be = _backend(request)
    branch = _published(be)
    period, rows = be.reports.open_data(branch.id, _period(be, branch, first, last, year))
    return branch, period, rows


FromQuery = Annotated[str | None, Query(alias="from", max_length=10, description="YYYY-MM-DD")]
ToQuery = Annotated[str | None, Query(alias="to", max_length=10, description="YYYY-MM-DD")]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("/open-data/daily.csv")
async def daily_csv(
    request: Request, first: FromQuery = None, last: ToQuery = None, year: YearQuery = None
) -> Response:
    branch, period, rows = await run_in_threadpool(_rows, request, first, last, year)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [f["name"] for f in OPEN_DATA_FIELDS]
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row[n] is None else row[n] for n in names])
    name = f"{branch.code}-daily-{period.first.isoformat()}_{period.last.isoformat()}.csv"
    return Response(
        out.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'inline; filename="{_safe(name)}"'},
    )


@router.get("/open-data/daily.json")
async def daily_json(
    request: Request, first: FromQuery = None, last: ToQuery = None, year: YearQuery = None
) -> Response:
    branch, period, rows = await run_in_threadpool(_rows, request, first, last, year)
    body = {
        "centre": {"code": branch.code, "name_uk": branch.name_uk, "name_en": branch.name_en},
        "timezone": branch.timezone,
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema": schema(),
        "data": rows,
    }
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        media_type="application/json",
        headers=HEADERS,
    )


@router.get("/open-data/schema.json")
async def schema_json(request: Request) -> Response:
    await run_in_threadpool(_published, _backend(request))
    return JSONResponse(schema(), headers=HEADERS)


@router.get("/open-data/datapackage.json")
async def datapackage(request: Request) -> Response:
    branch = await run_in_threadpool(_published, _backend(request))
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "profile": "tabular-data-package",
            "name": f"{_safe(branch.code)}-queue-daily",
            "title": f"{branch.name_uk}: черга за днями / daily queue statistics",
            "licenses": [LICENCE],
            "resources": [
                {
                    "profile": "tabular-data-resource",
                    "name": "daily",
                    "path": f"{base}/open-data/daily.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": schema(),
                }
            ],
        },
        headers=HEADERS,
    )


@router.get("/open-data/", response_class=HTMLResponse)
@router.get("/open-data", response_class=HTMLResponse)
async def open_data_page(request: Request) -> HTMLResponse:
    be = _backend(request)
    try:
        branch, period, rows = await run_in_threadpool(_rows, request, None, None, None)
    except DomainError:
        branch = await run_in_threadpool(be.reports.branch, be.views.default_branch_id())
        body = _env.get_template("open-data.html").render(
            branch=branch, on=False, rows=[], fields=OPEN_DATA_FIELDS, version=__version__
        )
        return HTMLResponse(body, headers=PAGE_HEADERS)
    body = _env.get_template("open-data.html").render(
        branch=branch,
        on=True,
        period=period,
        rows=rows[-70:],
        count=len(rows),
        fields=OPEN_DATA_FIELDS,
        version=__version__,
    )
    return HTMLResponse(body, headers=PAGE_HEADERS)


def _safe(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and (ch.isalnum() or ch in "-_.")) or "centre"
