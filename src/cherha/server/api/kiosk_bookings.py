"""The kiosk's booking helpers (kiosk key only): hold a slot while the visitor types, release
it, and find a visitor's bookings by phone number and day.

    POST   /api/v1/holds            {"service_id", "start"}  → 201 the hold (409 slot_full)
    DELETE /api/v1/holds/{token}                             → 204
    POST   /api/v1/bookings/lookup  {"phone", "date"?}       → the day's bookings of that number

The look-up answers only what a kiosk may show — the time, the service, whether it can be
checked in now; never a name or a phone — and is limited per kiosk (a stolen key cannot walk
the phone book). The phone travels in the body, never in an address.
"""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from cherha import wire
from cherha.core.booking_rules import format_code
from cherha.core.errors import Forbidden
from cherha.core.ratelimit import RateLimited
from cherha.wire.kiosk import HOLD_TOKEN_LENGTH

from ..auth import DeviceKind, Principal
from ..store.holds import HoldOps
from .deps import BackendDep, PrincipalDep

PROBLEMS: dict[int | str, dict[str, object]] = {
    code: {"model": wire.Problem} for code in (401, 403, 404, 409, 422, 429, 503)
}


router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["kiosk"])


async def holds(be: BackendDep) -> HoldOps:
    return be.holds


async def kiosk(p: PrincipalDep) -> Principal:
    if p.kind != "device" or p.role != DeviceKind.KIOSK:
        raise Forbidden(
            "Це може робити лише кіоск (ключ кіоску)",
            "Only a kiosk can do this (a kiosk key)",
            code="kiosk_only",
        )
    return p


HoldsDep = Annotated[HoldOps, Depends(holds)]
KioskDep = Annotated[Principal, Depends(kiosk)]


@router.post("/holds", response_model=wire.SlotHold, status_code=201)
async def hold_slot(
    body: wire.NewHold, be: BackendDep, ops: HoldsDep, who: KioskDep
) -> wire.SlotHold:
    """Keep a place in a slot for a few minutes while the visitor types; 409 `slot_full`."""
    start = body.start.astimezone(UTC)
    held = await be.writes.run(ops.hold, who, body.service_id, start)
    h = held.hold
    return wire.SlotHold(
        token=h.token,
        service_id=h.service_id,
        start=h.slot_start.astimezone(held.zone),
        expires_at=h.expires_at.astimezone(held.zone),
    )


Token = Annotated[str, Path(min_length=1, max_length=HOLD_TOKEN_LENGTH)]


@router.delete("/holds/{token}", status_code=204)
async def release_hold(token: Token, be: BackendDep, ops: HoldsDep, who: KioskDep) -> Response:
    """Give a held place back (the visitor went back or left); an unknown hold is fine."""
    await be.writes.run(ops.release, who, token)
    return Response(status_code=204)


@router.post("/bookings/lookup", response_model=wire.FoundBookings)
def find_bookings(
    body: wire.FindBookings, be: BackendDep, ops: HoldsDep, who: KioskDep
) -> wire.FoundBookings:
    """A visitor lost their code: their bookings on a day, by the phone they booked with."""
    try:
        be.booking_limiter.take("lookup", f"device:{who.id}")
    except RateLimited as exc:
        raise RateLimited(
            f"Забагато пошуків на цьому кіоску. Спробуйте знову через {exc.retry_after} с",
            f"Too many look-ups at this kiosk. Try again in {exc.retry_after} s",
            retry_after=exc.retry_after,
        ) from None
    found = ops.find_bookings(who, body.phone, body.date)
    return wire.FoundBookings(
        date=found.day,
        today=found.today,
        bookings=[
            wire.FoundBooking(
                code=format_code(f.booking.code),
                service_id=f.service.id,
                service_name_uk=f.service.name_uk,
                service_name_en=f.service.name_en,
                start=f.booking.slot_start.astimezone(found.zone),
                status=f.booking.status,
                can_check_in=f.can_check_in,
                check_in_from=f.check_in_from.astimezone(found.zone),
            )
            for f in found.found
        ],
    )


__all__ = ["router"]
