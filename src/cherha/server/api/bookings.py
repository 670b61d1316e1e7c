"""The booking API: slots, booking, look-up, cancel (public, rate-limited) and check-in (kiosk).

The public endpoints take no credentials and are limited per client address (token buckets,
`cherha.core.ratelimit`); requests with a kiosk key or a staff token are not limited that
way. The router's lifespan runs the sweeper: no-shows and the purge of old personal data.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from sqlalchemy.exc import OperationalError

from cherha.core.booking_rules import format_code, mask_phone, parse_code
from cherha.core.errors import Forbidden, Invalid

from ..auth import Principal
from ..backend import Backend
from ..store.bookings import (
    BookingOps,
    BookingView,
    CheckedIn,
    booking_not_found,
    channel_of,
    window_of,
)
from ..store.throttle import Quota
from . import schemas, serialize
from .booking_limits import OptionalPrincipal, PublicWriteDep, ReadLimited, guarded_codes
from .deps import BackendDep, IdempotencyKey, IssuerDep

log = logging.getLogger(__name__)

PROBLEMS: dict[int | str, dict[str, object]] = {
    code: {"model": schemas.Problem} for code in (401, 403, 404, 409, 422, 429, 503)
}

_state_lock = threading.Lock()


def _ops_for(app: FastAPI) -> BookingOps:
    with _state_lock:
        ops: BookingOps | None = getattr(app.state, "cherha_bookings", None)
        if ops is None:
            be: Backend = app.state.backend
            ops = BookingOps(be.db, be.tickets.clock, be.settings.phone_hash_key())
            app.state.cherha_bookings = ops
        return ops


async def booking_ops(request: Request) -> BookingOps:
    return _ops_for(request.app)


OpsDep = Annotated[BookingOps, Depends(booking_ops)]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Marks no-shows and purges old personal data at start and then periodically."""
    interval = app.state.backend.settings.booking_sweep_seconds
    stop = threading.Event()

    def sweep() -> None:
        ops = _ops_for(app)
        last_purge = float("-inf")
        try:
            ops.rehash_phones()
        except Exception:
            log.exception("could not hash phone numbers with the current key")
        while True:
            try:
                ops.sweep_all()
                if time.monotonic() - last_purge > 3600:
                    ops.purge()
                    ops.tidy()
                    last_purge = time.monotonic()
            except OperationalError as exc:  # the database is away; the next pass tries again
                log.error("booking sweep: database unavailable: %s", exc.orig)
            except Exception:
                log.exception("booking sweep failed")
            if interval <= 0 or stop.wait(interval):
                return

    thread = threading.Thread(target=sweep, name="cherha-booking-sweeper", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # Off the event loop: a pass under way may need the loop to hand out its wake-ups.
        await asyncio.to_thread(thread.join, 30)


router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["bookings"], lifespan=lifespan)

ServiceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CodePath = Annotated[str, Path(min_length=1, max_length=40, description="ABC-DEF, any case")]
PhoneQuery = Annotated[str | None, Query(max_length=40, description="Номер, з яким записувалися")]
Channel = Annotated[
    Literal["online", "kiosk"],
    Query(description="kiosk: the kiosk's view, with the kiosk share (needs a kiosk key)"),
]


def _code(text: str) -> str:
    code = parse_code(text)
    if code is None:
        raise booking_not_found()
    return code


def _online(channel: str, who: Principal | None) -> bool:
    if channel == "online":
        return True
    if who is None or channel_of(who) == "online":
        raise Forbidden(
            "Перегляд для кіоску потрібен ключ кіоску",
            "The kiosk view needs a kiosk key",
            code="kiosk_only",
        )
    return False


def booking_out(v: BookingView, base_url: str) -> schemas.BookingOut:
    b, window = v.booking, window_of(v.branch)
    tz = ZoneInfo(v.branch.timezone)
    start, end = b.slot_start.astimezone(tz), b.slot_end.astimezone(tz)
    code = format_code(b.code)
    return schemas.BookingOut(
        code=code,
        status=b.status,
        channel=b.channel,
        service_id=v.service.id,
        service_name_uk=v.service.name_uk,
        service_name_en=v.service.name_en,
        branch_name_uk=v.branch.name_uk,
        branch_name_en=v.branch.name_en,
        start=start,
        end=end,
        name=b.name,
        phone_masked=mask_phone(b.phone),
        created_at=b.created_at,
        check_in_from=start - window.early,
        check_in_until=start + window.late,
        ticket_number=v.ticket_number,
        on_time=b.on_time,
        qr_url=f"{base_url}/book/qr/{code}.png",
        cancel_url=f"{base_url}/book/cancel?code={code}",
        cancel_reason=b.cancel_reason,
    )


@router.get("/services/{service_id}/slots", response_model=list[schemas.SlotOut])
def slots(
    service_id: ServiceId,
    ops: OpsDep,
    who: ReadLimited,
    day: Annotated[date, Query(alias="date", description="YYYY-MM-DD, the centre's local date")],
    channel: Channel = "online",
) -> list[schemas.SlotOut]:
    """The day's slots, each with `start` (ISO 8601 with offset) and `free` (places left)."""
    views = ops.slots(service_id, day, online=_online(channel, who))
    return [
        schemas.SlotOut(start=v.start, end=v.end, free=v.free, capacity=v.capacity) for v in views
    ]


@router.get("/services/{service_id}/booking-days", response_model=list[schemas.BookingDayOut])
def booking_days(
    service_id: ServiceId, ops: OpsDep, who: ReadLimited, channel: Channel = "online"
) -> list[schemas.BookingDayOut]:
    """Every date open for booking now, with its free places (0: closed or full)."""
    return [
        schemas.BookingDayOut(date=d.day, free=d.free, slots=d.slots)
        for d in ops.days(service_id, online=_online(channel, who))
    ]


@router.get("/services/{service_id}/booking-rules", response_model=schemas.BookingRulesOut)
def booking_rules(service_id: ServiceId, ops: OpsDep, _who: ReadLimited) -> schemas.BookingRulesOut:
    """The centre's booking rules (horizon, quotas, the check-in window) for this service."""
    b = ops.branch_of_service(service_id)
    service_slot = ops.service_slot_minutes(service_id)
    return schemas.BookingRulesOut(
        timezone=b.timezone,
        slot_minutes=service_slot or b.booking_slot_minutes,
        horizon_days=b.booking_horizon_days,
        opens_hour=b.booking_opens_hour,
        kiosk_share=b.booking_kiosk_share,
        min_lead_minutes=b.booking_min_lead_minutes,
        monthly_quota=b.booking_monthly_quota,
        no_show_block=b.booking_no_show_block,
        no_show_window_days=b.booking_no_show_window_days,
        check_in_early_minutes=b.check_in_early_minutes,
        check_in_late_minutes=b.check_in_late_minutes,
        personal_data_days=b.personal_data_days,
    )


@router.post("/bookings", response_model=schemas.BookingOut, status_code=201)
async def create_booking(
    body: schemas.BookingIn,
    be: BackendDep,
    ops: OpsDep,
    who: OptionalPrincipal,
    limits: PublicWriteDep,
    idempotency_key: IdempotencyKey = None,
) -> schemas.BookingOut:
    """Take a place: 201 with the booking's `code`; 409 `slot_full` with `next_free` when full.

    With an `Idempotency-Key`, a repeat answers with the booking that key made today.
    """

    def create(quota: Quota | None) -> BookingView:
        return ops.create(
            who,
            body.service_id,
            body.start.astimezone(UTC),
            body.name,
            body.phone,
            idempotency_key,
            quota,
            body.hold if who is not None and channel_of(who) == "kiosk" else None,
        )

    view = await (limits.run(create) if limits else be.writes.run(create, None))
    return booking_out(view, be.settings.base_url)


@router.get("/bookings/{code}", response_model=schemas.BookingOut)
def get_booking(
    code: CodePath, be: BackendDep, ops: OpsDep, who: ReadLimited, phone: PhoneQuery = None
) -> schemas.BookingOut:
    """A booking's details (the page, the kiosk's slip). The public and kiosks must give the
    phone to see the name; staff need not."""
    public = who is None or channel_of(who) == "online"
    if public and not phone:
        raise _phone_needed()
    out = booking_out(ops.get(_code(code), phone or None), be.settings.base_url)
    if not phone and (who is None or not who.is_user):
        out.name = ""  # a kiosk key alone does not read visitors' names
    return out


@router.post("/bookings/{code}/cancel", response_model=schemas.BookingOut)
async def cancel_booking(
    code: CodePath,
    body: schemas.CancelIn,
    be: BackendDep,
    ops: OpsDep,
    who: OptionalPrincipal,
    limits: PublicWriteDep,
) -> schemas.BookingOut:
    """Cancel with the code and the phone number, as on the public page (staff may leave the
    phone out)."""
    if not body.phone and (who is None or not who.is_user):
        raise _phone_needed()
    staff = who if who is not None and who.is_user else None
    parsed = _code(code)

    def cancel(quota: Quota | None) -> BookingView:
        return ops.cancel(staff, parsed, body.phone or None, quota)

    view = await (limits.run(cancel) if limits else be.writes.run(cancel, None))
    return booking_out(view, be.settings.base_url)


@router.post("/bookings/{code}/check-in", response_model=schemas.CheckInOut, status_code=201)
async def check_in(
    code: CodePath,
    be: BackendDep,
    ops: OpsDep,
    who: IssuerDep,
    idempotency_key: IdempotencyKey = None,
) -> schemas.CheckInOut:
    """At the kiosk: on time → a ticket in the slot's place; late → a walk-in ticket."""
    parsed = _code(code) if who.kind != "device" else parse_code(code)

    async def attempt() -> CheckedIn:
        if parsed is None:
            raise booking_not_found(phone_given=False)
        return await be.writes.run(ops.check_in, who, parsed, idempotency_key)

    done = await guarded_codes(be, who, attempt)
    be.metrics.tickets_issued.labels(done.issued.service.code).inc()
    return check_in_out(done, be.settings.base_url)


def check_in_out(done: CheckedIn, base_url: str) -> schemas.CheckInOut:
    ticket = serialize.issued(done.issued, base_url)
    window = window_of(done.issued.branch)
    late = int(window.late.total_seconds() // 60)
    if done.on_time:
        uk = f"Ви зареєструвалися вчасно: ваш талон {ticket.number} займає місце вашого запису"
        en = f"You are on time: ticket {ticket.number} keeps your booking's place in line"
    else:
        uk = (
            f"Ви запізнилися більш ніж на {late} хв, тому талон {ticket.number} — у загальну "
            "чергу, за часом реєстрації"
        )
        en = (
            f"You are more than {late} min late, so ticket {ticket.number} joins the general "
            "queue as of now"
        )
    booking = serialize.clerk_booking(done.booking, done.issued.branch.timezone)
    assert booking is not None
    return schemas.CheckInOut(
        **ticket.model_dump(),
        booking=schemas.CheckInBookingOut(
            code=booking.code, start=booking.start, on_time=done.on_time
        ),
        message=uk,
        message_en=en,
    )


def _phone_needed() -> Invalid:
    return Invalid(
        "Вкажіть номер телефону, з яким записувалися",
        "Give the phone number the booking was made with",
        code="phone_required",
    )
