"""GET /api/v1/events: Server-Sent Events, resumable with Last-Event-ID, with keep-alives."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select

from ..auth import Principal
from ..backend import Backend
from ..hub import Subscription, event_payload
from ..store.booking_slots import local_midnight_utc
from ..store.models import Event
from ..store.records import get_branch
from .deps import BackendDep, ReaderDep, note_device_seen

router = APIRouter(prefix="/api/v1")

RETRY_MS = 2000


def format_event(payload: dict[str, Any]) -> bytes:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {payload['id']}\nevent: {payload['type']}\ndata: {data}\n\n".encode()


@router.get(
    "/events",
    tags=["displays"],
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Потік подій / event stream"}
    },
)
async def events(
    request: Request,
    be: BackendDep,
    who: ReaderDep,
    branch_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    since: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Resume after this event id")
    ] = None,
    last_event_id: Annotated[str | None, Header(max_length=30)] = None,
) -> StreamingResponse:
    """Every event of the branch after `Last-Event-ID` (or `since`), then live ones as they commit."""
    if branch_id is None and who is not None:
        branch_id = who.branch_id
    resume = since
    if last_event_id and last_event_id.strip().isdigit():
        resume = int(last_event_id.strip())
    return await event_stream(request, be, who, branch_id, resume)


async def event_stream(
    request: Request, be: Backend, who: Principal | None, branch_id: int | None, resume: int | None
) -> StreamingResponse:
    """A branch's events as Server-Sent Events (the API's stream and the console's)."""
    bid = (
        branch_id if branch_id is not None else await asyncio.to_thread(be.views.default_branch_id)
    )
    staff = who is not None and who.is_user
    floor = await asyncio.to_thread(_replay_floor, be, bid, staff)  # 404 for unknown branches
    sub = await be.hub.subscribe(bid)
    start = resume if resume is not None else be.hub_cursor(bid)
    return StreamingResponse(
        _stream(request, be, who, sub, max(start, floor), private=staff),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _replay_floor(be: Backend, branch_id: int, staff: bool) -> int:
    """The stream replays events after this id: anything for staff, today's for others.

    Refuses a branch that does not exist before anything is subscribed.
    """
    with be.db.read() as session:
        branch = get_branch(session, branch_id)
        if staff:
            return 0
        now = be.tickets.clock()
        zone = ZoneInfo(branch.timezone)
        midnight = local_midnight_utc(now.astimezone(zone).date(), zone)
        first_today = session.scalar(
            select(func.min(Event.id)).where(Event.branch_id == branch_id, Event.at >= midnight)
        )
        if first_today is not None:
            return int(first_today) - 1
        last = session.scalar(select(func.max(Event.id)).where(Event.branch_id == branch_id))
        return int(last or 0)


def public_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """An event as non-staff streams get it: an out-of-order call's reason (staff type names
    and circumstances there) stays with staff; a pause's reason is for everyone."""
    if payload["type"] == "ticket_called" and "reason" in payload["data"]:
        data = {k: v for k, v in payload["data"].items() if k != "reason"}
        return {**payload, "data": data}
    return payload


async def _stream(
    request: Request,
    be: Backend,
    who: Principal | None,
    sub: Subscription,
    after: int,
    *,
    private: bool,
) -> AsyncIterator[bytes]:
    keepalive = be.settings.sse_keepalive_seconds
    user_agent = request.headers.get("user-agent", "")
    shown = (lambda p: p) if private else public_payload
    try:
        yield f"retry: {RETRY_MS}\n: cherha events from {after}\n\n".encode()
        if sub.ended:
            return
        last_sent = after
        while True:  # the backlog since the client's last event, in pages
            backlog = await asyncio.to_thread(be.views.events_after, sub.branch_id, last_sent)
            for event in backlog:
                yield format_event(shown(event_payload(event)))
                last_sent = event.id
            if len(backlog) < 500 or sub.ended:
                break
        while not sub.overflowed and not sub.ended:
            try:
                payload = await asyncio.wait_for(sub.queue.get(), timeout=keepalive)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                # A kiosk or display that keeps its stream open is alive though it asks nothing.
                await note_device_seen(be, who, user_agent)
                yield b": keep-alive\n\n"
                continue
            if payload is None:  # the server is shutting down
                return
            if payload["id"] <= last_sent:
                continue
            yield format_event(shown(payload))
            last_sent = payload["id"]
    finally:
        be.hub.unsubscribe(sub)
