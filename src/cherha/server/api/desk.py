"""What the clerk's desk reads: a window's waiting list, today's no-shows, the outcomes to pick
from, the kiosks' printer faults. Parse, call the store, serialise."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from ..store.desk_views import NoShowView, WaitingEntry, WaitingList
from ..store.models import Booking, Device
from . import schemas, serialize
from .deps import BackendDep, StaffDep
from .routes import PROBLEMS, BranchQuery, Id, _branch_id

router = APIRouter(prefix="/api/v1", responses=PROBLEMS, tags=["clerk"])


@router.get("/counters/{counter_id}/waiting", response_model=schemas.WaitingListOut)
def waiting_list(counter_id: Id, be: BackendDep, _who: StaffDep) -> schemas.WaitingListOut:
    """Who waits for this window, in the order call-next will take them (same rule), and the
    bookings due within the hour that have not checked in yet."""
    return _waiting_list(be.desk.waiting_list(counter_id))


@router.get("/counters/{counter_id}/no-shows", response_model=list[schemas.NoShowOut])
def no_shows(counter_id: Id, be: BackendDep, _who: StaffDep) -> list[schemas.NoShowOut]:
    """Today's no-shows of this window's services, newest first, with until when each may
    be put back in line (POST /tickets/{id}/return)."""
    return [_no_show(v) for v in be.desk.no_shows(counter_id)]


@router.get("/outcomes", response_model=list[schemas.OutcomeOut])
def outcomes(
    be: BackendDep, who: StaffDep, branch_id: BranchQuery = None
) -> list[schemas.OutcomeOut]:
    """The centre's list of what came of a visit, for finishing (POST /tickets/{id}/finish)."""
    return [
        schemas.OutcomeOut(code=o.code, name_uk=o.name_uk, name_en=o.name_en)
        for o in be.desk.outcomes(_branch_id(be, branch_id, who))
    ]


@router.get("/staff/at-work", response_model=list[schemas.ClerkAtWorkOut])
def clerks_at_work(
    be: BackendDep, who: StaffDep, branch_id: BranchQuery = None
) -> list[schemas.ClerkAtWorkOut]:
    """Who holds which window now (POST /tickets/{id}/transfer takes a `clerk_id`)."""
    return [
        schemas.ClerkAtWorkOut(
            id=user.id,
            name=user.display_name or user.username,
            counter_id=counter.id,
            counter_number=counter.number,
            state=counter.state,
        )
        for user, counter in be.desk.clerks_at_work(_branch_id(be, branch_id, who))
    ]


@router.get("/staff/device-faults", response_model=list[schemas.DeviceFaultOut])
def device_faults(
    be: BackendDep, who: StaffDep, branch_id: BranchQuery = None
) -> list[schemas.DeviceFaultOut]:
    """Kiosks whose printer needs a person (paper out, cover open …)."""
    return [_fault(d) for d in be.desk.device_faults(_branch_id(be, branch_id, who))]


def _waiting_list(w: WaitingList) -> schemas.WaitingListOut:
    return schemas.WaitingListOut(
        counter_id=w.counter.id,
        counter_number=w.counter.number,
        generated_at=w.generated_at,
        tickets=[_waiting(e, w.generated_at, w.branch.timezone) for e in w.entries],
        bookings_due=[_due(b, w.branch.timezone) for b in w.due],
    )


def _due(b: Booking, timezone: str) -> schemas.DueBookingOut:
    shown = serialize.clerk_booking(b, timezone)  # the code and the slot in the centre's time
    assert shown is not None
    return schemas.DueBookingOut(
        code=shown.code, service_id=b.service_id, start=shown.start, name=b.name
    )


def _waiting(e: WaitingEntry, now: datetime, timezone: str) -> schemas.WaitingTicketOut:
    t = e.ticket
    return schemas.WaitingTicketOut(
        id=t.id,
        number=t.number,
        service_id=t.service_id,
        lane=t.lane,
        issued_at=t.issued_at,
        waited_seconds=max(0, int((now - t.issued_at).total_seconds())),
        handed_over=e.handed_over,
        note=t.note,
        note_by=t.note_by,
        booking=serialize.clerk_booking(e.booking, timezone),
    )


def _no_show(v: NoShowView) -> schemas.NoShowOut:
    t = v.ticket
    assert t.no_show_at is not None
    return schemas.NoShowOut(
        id=t.id,
        number=t.number,
        service_id=t.service_id,
        service_name_uk=v.service_name_uk,
        service_name_en=v.service_name_en,
        lane=t.lane,
        no_show_at=t.no_show_at,
        counter_number=v.counter_number,
        return_until=v.return_until,
        returnable=v.returnable,
    )


def _fault(d: Device) -> schemas.DeviceFaultOut:
    return schemas.DeviceFaultOut(
        name=d.name,
        kind=d.kind,
        printer=d.printer_status,
        message=d.status_message,
        since=d.status_at,
    )
