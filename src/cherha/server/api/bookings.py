"""The booking API: slots, booking, look-up, cancel (public, rate-limited) and check-in (kiosk).

The public endpoints take no credentials and are limited per client address (token buckets,
`cherha.core.ratelimit`, the backend's `booking_limiter`); requests with a kiosk key or a staff
token are not limited that way. No-shows and the purge of old personal data are the sweeper's
(`cherha.server.sweeper`, started by the app's lifespan).
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from cherha import wire
from cherha.core.booking_rules import parse_code
from cherha.core.errors import Forbidden, Invalid

from ..auth import Principal
from ..store.bookings import BookingOps, BookingView, CheckedIn, booking_not_found, channel_of
from ..store.throttle import Quota
from . import serialize
from .booking_limits import OptionalPrincipal, PublicWriteDep, ReadLimited, guarded_codes
from .deps import BackendDep, IdempotencyKey, IssuerDep

PROBLEMS: dict[int | str, dict[str, object]] = {
    code: {"model": wire.Problem} for code in (401, 403, 404, 409, 422, 429, 503)
}


async def booking_ops(be: BackendDep) -> BookingOps:
    return be.bookings


OpsDep = Annotated[BookingOps, Depends(booking_ops)]


router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["bookings"])

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


@router.get("/services/{service_id}/slots", response_model=list[wire.Slot])
def slots(
    service_id: ServiceId,
    ops: OpsDep,
    who: ReadLimited,
    day: Annotated[date, Query(alias="date", description="YYYY-MM-DD, the centre's local date")],
    channel: Channel = "online",
) -> list[wire.Slot]:
    """The day's slots, each with `start` (ISO 8601 with offset) and `free` (places left)."""
    views = ops.slots(service_id, day, online=_online(channel, who))
    return [serialize.build(wire.Slot, v) for v in views]


@router.get("/services/{service_id}/booking-days", response_model=list[wire.BookingDay])
def booking_days(
    service_id: ServiceId, ops: OpsDep, who: ReadLimited, channel: Channel = "online"
) -> list[wire.BookingDay]:
    """Every date open for booking now, with its free places (0: closed or full)."""
    return [
        serialize.build(wire.BookingDay, d, date=d.day)
        for d in ops.days(service_id, online=_online(channel, who))
    ]


@router.get("/services/{service_id}/booking-rules", response_model=wire.BookingRules)
def booking_rules(service_id: ServiceId, ops: OpsDep, _who: ReadLimited) -> wire.BookingRules:
    """The centre's booking rules (horizon, quotas, the check-in window) for this service."""
    b = ops.branch_of_service(service_id)
    return serialize.booking_rules(b, ops.service_slot_minutes(service_id))


@router.post("/bookings", response_model=wire.Booking, status_code=201)
async def create_booking(
    body: wire.NewBooking,
    be: BackendDep,
    ops: OpsDep,
    who: OptionalPrincipal,
    limits: PublicWriteDep,
    idempotency_key: IdempotencyKey = None,
) -> wire.Booking:
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
        )

    view = await (limits.run(create) if limits else be.writes.run(create, None))
    return serialize.booking(view, be.settings.base_url)


@router.get("/bookings/{code}", response_model=wire.Booking)
def get_booking(
    code: CodePath, be: BackendDep, ops: OpsDep, who: ReadLimited, phone: PhoneQuery = None
) -> wire.Booking:
    """A booking's details (the page, the kiosk's slip). The public and kiosks must give the
    phone to see the name; staff need not."""
    public = who is None or channel_of(who) == "online"
    if public and not phone:
        raise _phone_needed()
    out = serialize.booking(ops.get(_code(code), phone or None), be.settings.base_url)
    if not phone and (who is None or not who.is_user):
        out = out.model_copy(update={"name": ""})  # a kiosk key alone reads no visitor's name
    return out


@router.post("/bookings/{code}/cancel", response_model=wire.Booking)
async def cancel_booking(
    code: CodePath,
    body: wire.CancelBooking,
    be: BackendDep,
    ops: OpsDep,
    who: OptionalPrincipal,
    limits: PublicWriteDep,
) -> wire.Booking:
    """Cancel with the code and the phone number, as on the public page (staff may leave the
    phone out)."""
    if not body.phone and (who is None or not who.is_user):
        raise _phone_needed()
    staff = who if who is not None and who.is_user else None
    parsed = _code(code)

    def cancel(quota: Quota | None) -> BookingView:
        return ops.cancel(staff, parsed, body.phone or None, quota)

    view = await (limits.run(cancel) if limits else be.writes.run(cancel, None))
    return serialize.booking(view, be.settings.base_url)


@router.post("/bookings/{code}/check-in", response_model=wire.CheckIn, status_code=201)
async def check_in(
    code: CodePath,
    be: BackendDep,
    ops: OpsDep,
    who: IssuerDep,
    idempotency_key: IdempotencyKey = None,
) -> wire.CheckIn:
    """At the kiosk: on time → a ticket in the slot's place; late → a walk-in ticket."""
    parsed = _code(code) if who.kind != "device" else parse_code(code)

    async def attempt() -> CheckedIn:
        if parsed is None:
            raise booking_not_found(phone_given=False)
        return await be.writes.run(ops.check_in, who, parsed, idempotency_key)

    done = await guarded_codes(be, who, attempt)
    be.metrics.tickets_issued.labels(done.issued.service.code).inc()
    return serialize.check_in(done, be.settings.base_url)


def _phone_needed() -> Invalid:
    return Invalid(
        "Вкажіть номер телефону, з яким записувалися",
        "Give the phone number the booking was made with",
        code="phone_required",
    )
