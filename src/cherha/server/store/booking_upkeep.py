"""Keeping bookings tidy: marking no-shows after their window and purging personal data.

Both run at start and then periodically in the server (`api.bookings.lifespan`) and on demand
(`cherha-server purge`). Each looks first with a read and takes a branch's write lock only
when there is something to change, so an idle pass wakes no event stream.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from cherha.core.checkin import no_show_after
from cherha.core.model import BookingStatus, EventType

from ..auth import Principal
from .booking_slots import window_of
from .clock import Clock
from .db import Database
from .models import Booking, Branch
from .records import get_branch, record_event


def booking_event(
    session: Session,
    booking: Booking,
    type_: EventType,
    now: datetime,
    principal: Principal | None,
    *,
    ticket_id: int | None = None,
    **extra: Any,
) -> None:
    """No name, no phone, no code: displays read the event stream."""
    record_event(
        session,
        branch_id=booking.branch_id,
        type_=type_,
        at=now,
        actor=principal.actor if principal else "public",
        ticket_id=ticket_id,
        data={
            "booking_id": booking.id,
            "service_id": booking.service_id,
            "slot_start": booking.slot_start.astimezone(UTC).isoformat(),
            "status": booking.status,
            **extra,
        },
    )


def keep_hash(branch: Branch) -> timedelta:
    """How long the phone hash outlives the visit: the no-show window, and two months for
    the monthly quota of bookings made ahead."""
    return timedelta(days=max(branch.booking_no_show_window_days, 62))


# -- no-shows ------------------------------------------------------------------------------


def _no_show_due(branch: Branch, now: datetime) -> Select[int]:
    return select(Booking.id).where(
        Booking.branch_id == branch.id,
        Booking.status == BookingStatus.BOOKED,
        Booking.slot_start < now - window_of(branch).late,
    )


def _mark_no_shows(session: Session, branch: Branch, now: datetime) -> int:
    rows = session.scalars(
        select(Booking).where(Booking.id.in_(_no_show_due(branch, now))).order_by(Booking.id)
    ).all()
    window = window_of(branch)
    for row in rows:
        if no_show_after(row.slot_start, window) < now:
            row.status = BookingStatus.NO_SHOW
            row.no_show_at = now
            booking_event(session, row, EventType.BOOKING_NO_SHOW, now, None)
    return len(rows)


def sweep_if_due(db: Database, clock: Clock, branch_id: int) -> int:
    """Mark no-shows, taking the write lock only when there is one to mark."""
    with db.read() as session:
        branch = get_branch(session, branch_id)
        due = session.scalar(_no_show_due(branch, clock()).limit(1))
    if due is None:
        return 0
    with db.write(branch_id) as session:
        return _mark_no_shows(session, get_branch(session, branch_id), clock())


def sweep_all(db: Database, clock: Clock) -> int:
    with db.read() as session:
        ids = list(session.scalars(select(Branch.id)))
    return sum(sweep_if_due(db, clock, i) for i in ids)


# -- personal data -------------------------------------------------------------------------


def _purge_due(branch: Branch, now: datetime) -> Select[int]:
    return select(Booking.id).where(
        Booking.branch_id == branch.id,
        or_(
            and_(
                Booking.purged_at.is_(None),
                Booking.slot_end < now - timedelta(days=branch.personal_data_days),
            ),
            and_(Booking.phone_hash != "", Booking.slot_end < now - keep_hash(branch)),
        ),
    )


def purge(db: Database, clock: Clock) -> int:
    """Blank name and phone `personal_data_days` after the visit; the phone hash is kept
    while quotas and no-show blocks still need it, then blanked too. A branch with nothing
    to purge is only read (no write lock, no wake-up of the event streams)."""
    with db.read() as session:
        ids = list(session.scalars(select(Branch.id)))
    purged = 0
    for branch_id in ids:
        with db.read() as session:
            due = session.scalar(_purge_due(get_branch(session, branch_id), clock()).limit(1))
        if due is None:
            continue
        with db.write(branch_id) as session:
            now = clock()
            branch = get_branch(session, branch_id)
            cutoff = now - timedelta(days=branch.personal_data_days)
            count = 0
            for row in session.scalars(
                select(Booking).where(Booking.id.in_(_purge_due(branch, now)))
            ):
                if row.purged_at is None and row.slot_end < cutoff:
                    row.name, row.phone, row.purged_at = "", "", now
                    count += 1
                if row.slot_end < now - keep_hash(branch):
                    row.phone_hash = ""
            if count:
                record_event(
                    session,
                    branch_id=branch_id,
                    type_=EventType.BOOKINGS_PURGED,
                    at=now,
                    actor="system:purge",
                    data={"count": count},
                )
            purged += count
    return purged


def rehash_phones(db: Database, phone_hash: Callable[[str], str]) -> int:
    """Hash again, with the current key, the phones of bookings not yet purged.

    Runs at start: bookings made before the server had its secret key (or under an older
    key) keep counting for quotas and no-show blocks.
    """
    with db.read() as session:
        rows = session.execute(
            select(Booking.id, Booking.phone, Booking.phone_hash).where(Booking.phone != "")
        ).all()
    stale = {id_: phone_hash(phone) for id_, phone, old in rows if phone_hash(phone) != old}
    if stale:
        with db.write(None) as session:
            for row in session.scalars(select(Booking).where(Booking.id.in_(stale))):
                row.phone_hash = stale[row.id]
    return len(stale)


def tidy(db: Database, clock: Clock) -> None:
    """Forget what the security tables no longer need: old idempotency keys, throttles and
    counters (hourly, with the purge)."""
    from . import request_keys, throttle

    now = clock()
    with db.write(None) as session:
        request_keys.forget_before(session, now.date())
        throttle.forget_old(session, now)
        throttle.forget_full_buckets(session, now, timedelta(days=1))
