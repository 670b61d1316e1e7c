"""POST /api/v1/requests/{key}/outcome: what did a request with this Idempotency-Key make?"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from cherha.core.errors import NotFound

from ..store.settle import Settled, settle_request
from . import schemas, serialize
from .bookings import booking_out, check_in_out
from .deps import BackendDep, IssuerDep
from .routes import PROBLEMS, BranchQuery, branch_for

router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["tickets"])


@router.post("/requests/{request_key}/outcome", response_model=schemas.RequestOutcomeOut)
async def request_outcome(
    request_key: Annotated[str, Path(min_length=8, max_length=100)],
    be: BackendDep,
    who: IssuerDep,
    branch_id: BranchQuery = None,
) -> schemas.RequestOutcomeOut:
    """What did the request sent with `Idempotency-Key: key` make today?

    For a kiosk that gave up waiting: 200 with the ticket, booking or check-in it made, or 404
    `nothing_made`, after which that key makes nothing (a late copy is refused with 409
    `request_abandoned`), so the "no ticket" the kiosk showed stays true.
    """

    def settle() -> Settled | None:
        return settle_request(
            be.db, be.tickets.clock, who, branch_for(be, branch_id, who), request_key
        )

    settled = await be.writes.run(settle)
    if settled is None:
        raise NotFound(
            "За цим запитом нічого не створено; тепер і не буде",
            "Nothing was made by this request, and now nothing will be",
            code="nothing_made",
        )
    base = be.settings.base_url
    if settled.issued is not None:
        return schemas.RequestOutcomeOut(
            action="ticket", ticket=serialize.issued(settled.issued, base)
        )
    if settled.checked_in is not None:
        return schemas.RequestOutcomeOut(
            action="check_in", check_in=check_in_out(settled.checked_in, base)
        )
    assert settled.booking is not None
    return schemas.RequestOutcomeOut(action="booking", booking=booking_out(settled.booking, base))
