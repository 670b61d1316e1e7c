"""What did idempotency key K give? Asked by a device that gave up waiting for its answer."""

from __future__ import annotations

from dataclasses import dataclass

from cherha.core.numbering import local_day

from ..auth import Principal
from . import request_keys
from .bookings import BookingOps, BookingView, CheckedIn, checked_in_view, get_booking
from .clock import Clock
from .db import Database
from .issuing import Issued, issued_view
from .records import ensure_branch_access, get_branch, get_ticket


@dataclass(frozen=True, slots=True)
class Settled:
    action: str  # ticket, booking, check_in
    issued: Issued | None = None
    booking: BookingView | None = None
    checked_in: CheckedIn | None = None


def settle_request(
    db: Database, clock: Clock, principal: Principal, branch_id: int, key: str
) -> Settled | None:
    """What the key made today, or None; after None the key makes nothing any more.

    Runs under the branch's write lock, so a copy of the request that is still waiting for
    the lock comes after it and is refused (`request_abandoned`) instead of making a ticket
    the kiosk has already told the visitor it could not make.
    """
    ensure_branch_access(principal, branch_id)
    with db.write(branch_id) as session:
        now = clock()
        branch = get_branch(session, branch_id)
        row = request_keys.settle(
            session, branch_id, principal, local_day(now, branch.timezone), key, now
        )
        if row is None:
            return None
        if row.action == "booking" and row.booking_id is not None:
            booking = get_booking(session, row.booking_id)
            return Settled("booking", booking=BookingOps.view(session, booking))
        assert row.ticket_id is not None
        if row.action == "check_in":
            return Settled("check_in", checked_in=checked_in_view(session, row.ticket_id, branch))
        return Settled(
            "ticket", issued=issued_view(session, get_ticket(session, row.ticket_id), branch)
        )
