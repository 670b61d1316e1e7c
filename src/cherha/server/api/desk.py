"""What the clerk's desk reads: a window's waiting list, today's no-shows, the outcomes to pick
from, who is at work, the kiosks' printer faults. Parse, call the store, serialise."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from cherha import wire

from ..store.desk_views import NoShowView, WaitingEntry, WaitingList
from ..store.models import Booking, Device
from . import serialize
from .deps import BackendDep, StaffDep
from .routes import PROBLEMS, BranchQuery, Id, _branch_id
from .serialize import build

router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["clerk"])


@router.get("/counters/{counter_id}/waiting", response_model=wire.WaitingList)
def waiting_list(counter_id: Id, be: BackendDep, _who: StaffDep) -> wire.WaitingList:
    """Who waits for this window, in the order call-next will take them (same rule), and the
    bookings due within the hour that have not checked in yet."""
    return _waiting_list(be.desk.waiting_list(counter_id))


@router.get("/counters/{counter_id}/no-shows", response_model=list[wire.NoShow])
def no_shows(counter_id: Id, be: BackendDep, _who: StaffDep) -> list[wire.NoShow]:
    """Today's no-shows of this window's services, newest first, with until when each may
    be put back in line (POST /tickets/{id}/return)."""
    return [_no_show(v) for v in be.desk.no_shows(counter_id)]


@router.get("/outcomes", response_model=list[wire.Outcome])
def outcomes(be: BackendDep, who: StaffDep, branch_id: BranchQuery = None) -> list[wire.Outcome]:
    """The centre's list of what came of a visit, for finishing (POST /tickets/{id}/finish)."""
    return [build(wire.Outcome, o) for o in be.desk.outcomes(_branch_id(be, branch_id, who))]


@router.get("/staff/at-work", response_model=list[wire.ClerkAtWork])
def clerks_at_work(
    be: BackendDep, who: StaffDep, branch_id: BranchQuery = None
) -> list[wire.ClerkAtWork]:
    """Who holds which window now (POST /tickets/{id}/transfer takes a `clerk_id`)."""
    return [
        build(
            wire.ClerkAtWork,
            user,
            name=user.display_name or user.username,
            counter_id=counter.id,
            counter_number=counter.number,
            state=counter.state,
        )
        for user, counter in be.desk.clerks_at_work(_branch_id(be, branch_id, who))
    ]


@router.get("/staff/device-faults", response_model=list[wire.DeviceFault])
def device_faults(
    be: BackendDep, who: StaffDep, branch_id: BranchQuery = None
) -> list[wire.DeviceFault]:
    """Kiosks whose printer needs a person (paper out, cover open …)."""
    return [_fault(d) for d in be.desk.device_faults(_branch_id(be, branch_id, who))]


def _waiting_list(w: WaitingList) -> wire.WaitingList:
    return wire.WaitingList(
        counter_id=w.counter.id,
        counter_number=w.counter.number,
        generated_at=w.generated_at,
        tickets=tuple(_waiting(e, w.generated_at, w.branch.timezone) for e in w.entries),
        bookings_due=tuple(_due(b, w.branch.timezone) for b in w.due),
    )


def _due(b: Booking, timezone: str) -> wire.DueBooking:
    shown = serialize.clerk_booking(b, timezone)  # the code and the slot in the centre's time
    assert shown is not None
    return build(wire.DueBooking, shown, b)


def _waiting(e: WaitingEntry, now: datetime, timezone: str) -> wire.WaitingTicket:
    t = e.ticket
    return build(
        wire.WaitingTicket,
        t,
        e,
        waited_seconds=max(0, int((now - t.issued_at).total_seconds())),
        booking=serialize.clerk_booking(e.booking, timezone),
    )


def _no_show(v: NoShowView) -> wire.NoShow:
    return build(wire.NoShow, v.ticket, v)


def _fault(d: Device) -> wire.DeviceFault:
    return build(
        wire.DeviceFault, d, printer=d.printer_status, message=d.status_message, since=d.status_at
    )
