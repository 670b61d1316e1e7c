"""Slot holds and finding a visitor's bookings, for the kiosk.

A hold keeps one place in a slot for a few minutes while a visitor at a kiosk types their
phone number and name, so the time they chose cannot be taken under their fingers. It counts
as a taken place for everybody else (`booking_slots.taken_places`) until it expires, is
released (the visitor went back or left) or becomes the booking (`BookingOps.create` with
its token). Taking it runs under the branch's write lock, like a booking, so two kiosks never
hold the last place both.

`find_bookings` answers a kiosk that asks for the bookings of a phone number on a day: the
time, the service and whether it can be checked in now, never a name or a phone.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cherha.core.booking_rules import normalise_phone
from cherha.core.errors import InvalidTransition, NotFound
from cherha.core.model import BookingStatus, EventType

from ..auth import Principal
from .booking_slots import (
    as_utc,
    horizon_of,
    load_plan,
    local_midnight_utc,
    next_free_starts,
    taken_places,
    window_of,
)
from .bookings import BookingOps, SlotFull
from .models import Booking, Branch, Service, SlotHold
from .records import ensure_branch_access, get_branch, get_service, record_event

HOLD_MINUTES = 5
"""How long a kiosk's visitor has to type phone and name before the time is offered again."""
LOOKUPS_PER_MINUTE = 10
"""Finding bookings by phone at one kiosk: enough for a queue of visitors, not for a script."""


@dataclass(frozen=True, slots=True)
class Held:
    hold: SlotHold
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class Found:
    booking: Booking
    service: Service
    can_check_in: bool
    check_in_from: datetime


@dataclass(frozen=True, slots=True)
class Lookup:
    day: date
    today: date
    zone: ZoneInfo
    found: list[Found]


class HoldOps:
    """Holding, releasing and consuming slot holds; finding bookings by phone (kiosk keys)."""

    def __init__(self, bookings: BookingOps, minutes: int = HOLD_MINUTES) -> None:
        self.bookings = bookings
        self.db = bookings.db
        self.minutes = minutes

    def hold(self, principal: Principal, service_id: int, start: datetime) -> Held:
        """Keep a place in the slot at `start`; SlotFull (with the next free) when none is left."""
        branch_id = self.bookings.branch_of_service(service_id).id
        ensure_branch_access(principal, branch_id)
        with self.db.write(branch_id) as session:
            now = self.bookings.clock()
            plan = load_plan(session, service_id)
            start = as_utc(start)
            day = start.astimezone(plan.zone).date()
            horizon = horizon_of(plan.branch)
            horizon.ensure_date(day, now, plan.zone)
            slot = next((s for s in plan.slots(day) if s.start.astimezone(UTC) == start), None)
            if slot is None or not horizon.slot_bookable(slot.start, now, plan.zone):
                raise InvalidTransition(
                    "На цей час записатися вже не можна: оберіть інший",
                    "This time can no longer be booked: pick another one",
                    code="slot_closed",
                )
            expire_holds(session, plan.branch.id, now)
            total, _online = taken_places(session, plan, day, now=now).get(start, (0, 0))
            if slot.capacity - total <= 0:
                raise SlotFull(next_free_starts(session, plan, start, now, online=False))
            hold = SlotHold(
                token=secrets.token_urlsafe(24),
                branch_id=plan.branch.id,
                service_id=service_id,
                slot_start=start,
                device_id=principal.id if principal.kind == "device" else None,
                created_at=now,
                expires_at=now + timedelta(minutes=self.minutes),
            )
            session.add(hold)
            session.flush()
            _hold_event(session, hold, EventType.SLOT_HELD, now, principal)
            return Held(hold, plan.zone)

    def release(self, principal: Principal, token: str) -> None:
        """Give the place back (idempotent: an unknown or expired hold is simply gone)."""
        with self.db.read() as session:
            branch_id = session.scalar(select(SlotHold.branch_id).where(SlotHold.token == token))
        if branch_id is None:
            return
        ensure_branch_access(principal, branch_id)
        with self.db.write(branch_id) as session:
            hold = session.scalars(select(SlotHold).where(SlotHold.token == token)).first()
            if hold is None:
                return
            now = self.bookings.clock()
            _hold_event(session, hold, EventType.SLOT_RELEASED, now, principal)
            session.delete(hold)

    def find_bookings(self, principal: Principal, phone: str, day: date | None) -> Lookup:
        """The bookings of `phone` on `day` (the centre's today when None) at the kiosk's branch."""
        digest = self.bookings.phone_hash(normalise_phone(phone))
        with self.db.read() as session:
            branch = _branch_of(session, principal)
            zone = ZoneInfo(branch.timezone)
            now = self.bookings.clock()
            today = now.astimezone(zone).date()
            day = day or today
            rows = session.scalars(
                select(Booking)
                .where(
                    Booking.branch_id == branch.id,
                    Booking.slot_start >= local_midnight_utc(day, zone),
                    Booking.slot_start < local_midnight_utc(day + timedelta(days=1), zone),
                )
                .order_by(Booking.slot_start)
            ).all()
            window = window_of(branch)
            found = []
            for b in rows:
                if not hmac.compare_digest(b.phone_hash, digest):
                    continue
                opens = as_utc(b.slot_start) - window.early
                checkable = b.status in (BookingStatus.BOOKED.value, BookingStatus.NO_SHOW.value)
                can = checkable and day == today and now >= opens
                found.append(Found(b, get_service(session, b.service_id), can, opens))
            return Lookup(day, today, zone, found)


def expire_holds(session: Session, branch_id: int, now: datetime) -> None:
    """Forget the branch's holds that have run out (they no longer count anyway)."""
    session.execute(
        delete(SlotHold).where(SlotHold.branch_id == branch_id, SlotHold.expires_at <= now)
    )


def _branch_of(session: Session, principal: Principal) -> Branch:
    if principal.branch_id is not None:
        return get_branch(session, principal.branch_id)
    branch = session.scalars(select(Branch).order_by(Branch.id)).first()
    if branch is None:
        raise NotFound("Центр не налаштовано", "No centre is configured", code="no_branch")
    return branch


def _hold_event(
    session: Session, hold: SlotHold, type_: EventType, now: datetime, principal: Principal
) -> None:
    """No name, no phone: the service and the slot (displays read the event stream)."""
    record_event(
        session,
        branch_id=hold.branch_id,
        type_=type_,
        at=now,
        actor=principal.actor,
        data={
            "hold_id": hold.id,
            "service_id": hold.service_id,
            "slot_start": as_utc(hold.slot_start).isoformat(),
        },
    )


__all__ = [
    "HOLD_MINUTES",
    "LOOKUPS_PER_MINUTE",
    "Found",
    "Held",
    "HoldOps",
    "Lookup",
    "expire_holds",
]
