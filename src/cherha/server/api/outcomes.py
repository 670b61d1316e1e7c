"""POST /api/v1/requests/{key}/outcome: what did a request with this Idempotency-Key make?"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from cherha import wire
from cherha.core.errors import NotFound

from ..store.settle import Settled, settle_request
from . import serialize
from .deps import BackendDep, IssuerDep
from .routes import PROBLEMS, BranchQuery, branch_for

router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["tickets"])


@router.post("/requests/{request_key}/outcome", response_model=wire.RequestOutcome)
async def request_outcome(
    request_key: Annotated[str, Path(min_length=8, max_length=100)],
    be: BackendDep,
    who: IssuerDep,
    branch_id: BranchQuery = None,
) -> wire.RequestOutcome:
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
        return wire.RequestOutcome(action="ticket", ticket=serialize.issued(settled.issued, base))
    if settled.checked_in is not None:
        return wire.RequestOutcome(
            action="check_in", check_in=serialize.check_in(settled.checked_in, base)
        )
    assert settled.booking is not None
    return wire.RequestOutcome(action="booking", booking=serialize.booking(settled.booking, base))
