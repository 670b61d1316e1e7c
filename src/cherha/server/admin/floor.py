"""The live floor (the console's first page) and the event stream that keeps it live.

The page is rendered on the server; the same fragment template is fetched again by
floor.js when an event of the branch arrives (and every 20 s, for alerts that come with time
alone), so the first render and each update are one piece of code.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..api.stream import event_stream
from ..store.floor import FloorView
from .web import SECURITY_HEADERS, ConsoleCall, ConsolePage, backend_of, env, render

router = APIRouter(include_in_schema=False)

FLOOR_EVENTS = [
    "ticket_issued", "ticket_called", "ticket_recalled", "ticket_started", "ticket_finished",
    "ticket_no_show", "ticket_transferred", "ticket_returned", "ticket_cancelled",
    "ticket_expired", "counter_open", "counter_paused", "counter_closed",
    "branch_paused", "branch_resumed", "device_status", "config_changed",
    "booking_created", "booking_cancelled", "booking_checked_in", "booking_no_show",
]  # fmt: skip
"""The events after which the floor is fetched again."""


async def _floor(request: Request) -> FloorView:
    be = backend_of(request)
    branch_id = await run_in_threadpool(be.views.default_branch_id)
    return await run_in_threadpool(be.floor.view, branch_id)


@router.get("/admin", response_class=HTMLResponse)
async def floor_page(request: Request, who: ConsolePage) -> HTMLResponse:
    floor = await _floor(request)
    return render(
        request,
        who,
        "floor.html",
        title=("Зал зараз", "The floor now"),
        floor=floor,
        floor_config={"events": FLOOR_EVENTS, "since": floor.last_event_id},
    )


@router.get("/admin/floor/live", response_class=HTMLResponse)
async def floor_fragment(request: Request, _who: ConsoleCall) -> HTMLResponse:
    floor = await _floor(request)
    body = env.get_template("_floor.html").render(floor=floor)
    headers = {**SECURITY_HEADERS, "X-Cherha-Paused": "1" if floor.branch.paused else "0"}
    return HTMLResponse(body, headers=headers)


@router.get("/admin/events")
async def floor_events(
    request: Request,
    who: ConsoleCall,
    since: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    last_event_id: Annotated[str | None, Header(max_length=30)] = None,
) -> StreamingResponse:
    """The branch's events for the console (its session cookie, not a device key)."""
    be = backend_of(request)
    resume = since
    if last_event_id and last_event_id.strip().isdigit():
        resume = int(last_event_id.strip())
    return await event_stream(request, be, who, None, resume)
