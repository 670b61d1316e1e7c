"""Bookings: slots with their free places, taking and cancelling a place, check-in, no-shows.

Taking a place runs under the branch's write lock (`Database.write(branch_id)`): the places
already taken in the slot are counted under the lock, so of two visitors racing for the last
place exactly one gets it, on SQLite and on PostgreSQL alike. Every change writes its event in
the same transaction; events carry ids, the service and the slot, never a name or a phone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cherha.core.booking_rules import (
    ensure_not_blocked,
    ensure_within_quota,
    new_code,
    normalise_name,
    normalise_phone,
)
from cherha.core.checkin import check_in
from cherha.core.errors import DomainError, Invalid, InvalidTransition, NotFound
from cherha.core.model import BookingStatus, EventType
from cherha.core.slots import free_places

from ..auth import DeviceKind, Principal, new_public_token
from . import booking_upkeep as upkeep
from . import request_keys
from .booking_slots import (
    DayView,
    Plan,
    SlotView,
    as_utc,
    horizon_of,
    limits_of,
    load_plan,
    local_midnight_utc,
    next_free_starts,
    slot_views,
    taken_places,
    window_of,
)
from .booking_upkeep import booking_event
from .clock import Clock, utcnow
from .db import Database
from .issuing import Issued, issue_in, issued_view
from .models import Booking, Branch, Service, SlotHold, Ticket
from .records import ensure_branch_access, get_branch, get_service
from .request_keys import KeyedRequest
from .throttle import Quota

__all__ = [
    "BookingOps",
    "BookingView",
    "CheckedIn",
    "DayView",
    "SlotFull",
    "SlotView",
    "channel_of",
    "window_of",
]


class SlotFull(DomainError):
    code = "slot_full"

    def __init__(self, next_free: Sequence[datetime]) -> None:
        super().__init__(
            "На цей час вільних місць уже немає: його щойно зайняли. Оберіть інший час",
            "This time has no free places left: it was just taken. Please pick another time",
        )
        self.details: dict[str, Any] = {"next_free": [s.isoformat() for s in next_free]}


def booking_not_found(*, phone_given: bool = True) -> NotFound:
    """One answer for an unknown code and a wrong phone, so neither can be probed."""
    if not phone_given:  # the kiosk asks by code alone
        return NotFound(
            "Запису з таким кодом немає: перевірте код (6 знаків, напр. ABC-DEF)",
            "There is no booking with this code: check the code (6 characters, e.g. ABC-DEF)",
            code="booking_not_found",
        )
    return NotFound(
        "Запис не знайдено: перевірте код і номер телефону",
        "Booking not found: check the code and the phone number",
        code="booking_not_found",
    )


@dataclass(frozen=True, slots=True)
class BookingView:
    booking: Booking
    service: Service
    branch: Branch
    ticket_number: str | None = None


@dataclass(frozen=True, slots=True)
class CheckedIn:
    issued: Issued
    booking: Booking
    on_time: bool


def get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise booking_not_found()
    return booking


def checked_in_view(session: Session, ticket_id: int, branch: Branch, now: datetime) -> CheckedIn:
    """A check-in as it was answered, for a repeat of its request."""
    ticket = session.get(Ticket, ticket_id)
    assert ticket is not None
    assert ticket.booking_id is not None
    booking = get_booking(session, ticket.booking_id)
    return CheckedIn(issued_view(session, ticket, branch, now), booking, bool(booking.on_time))


def channel_of(principal: Principal | None) -> str:
    """online (the public page), kiosk (a kiosk key) or desk (staff booking for a visitor)."""
    if principal is None or (principal.kind == "device" and principal.role != DeviceKind.KIOSK):
        return "online"
    return "kiosk" if principal.kind == "device" else "desk"


class BookingOps:
    def __init__(self, db: Database, clock: Clock = utcnow, hash_key: str = "") -> None:
        self.db = db
        self.clock = clock
        self.hash_key = hash_key.encode()

    def phone_hash(self, phone: str) -> str:
        return hmac.new(self.hash_key, phone.encode(), hashlib.sha256).hexdigest()

    # -- reading -----------------------------------------------------------------------------

    def branch_of_service(self, service_id: int) -> Branch:
        with self.db.read() as session:
            return get_branch(session, get_service(session, service_id).branch_id)

    def slots(self, service_id: int, day: date, *, online: bool) -> list[SlotView]:
        self.sweep_if_due(self.branch_of_service(service_id).id)
        with self.db.read() as session:
            now = self.clock()
            plan = load_plan(session, service_id)
            horizon_of(plan.branch).ensure_date(day, now, plan.zone)
            return slot_views(session, plan, day, now, online=online)

    def days(self, service_id: int, *, online: bool) -> list[DayView]:
        """Every bookable date with its free places (0 on closed or full days)."""
        with self.db.read() as session:
            now = self.clock()
            plan = load_plan(session, service_id)
            result = []
            for day in horizon_of(plan.branch).dates(now, plan.zone):
                views = slot_views(session, plan, day, now, online=online)
                result.append(DayView(day, sum(v.free for v in views), len(views)))
            return result

    def get(self, code: str, phone: str | None) -> BookingView:
        with self.db.read() as session:
            booking = self._find(session, code, phone)
            return self.view(session, booking)

    def service_slot_minutes(self, service_id: int) -> int | None:
        with self.db.read() as session:
            return get_service(session, service_id).slot_minutes

    # -- writing -----------------------------------------------------------------------------

    def create(
        self,
        principal: Principal | None,
        service_id: int,
        start: datetime,
        name: str,
        phone: str,
        key: str | None = None,
        quota: Quota | None = None,
        hold: str | None = None,
    ) -> BookingView:
        """Take a place; with an idempotency `key`, the booking that key made today if any;
        `hold` (a kiosk's slot hold for this visitor) makes the held place this one's."""
        name, phone = normalise_name(name), normalise_phone(phone)
        channel = channel_of(principal)
        branch_id = self.branch_of_service(service_id).id
        if principal is not None:
            ensure_branch_access(principal, branch_id)
        # The phone is in the fingerprint only as its keyed hash (personal data).
        keyed = KeyedRequest.of(
            key, "booking", service_id=service_id, start=as_utc(start), phone=self.phone_hash(phone)
        )
        self.sweep_if_due(branch_id)  # its own transaction: a refusal below does not undo it
        with self.db.write(branch_id) as session:
            now = self.clock()
            plan = load_plan(session, service_id)
            today = now.astimezone(plan.zone).date()
            if keyed is not None:
                earlier = request_keys.replay(session, branch_id, principal, today, keyed)
                if earlier is not None and earlier.booking_id is not None:
                    return self.view(session, get_booking(session, earlier.booking_id))
            if quota is not None:
                quota.spend(session, now)
            start = as_utc(start)
            day = start.astimezone(plan.zone).date()
            horizon = horizon_of(plan.branch)
            horizon.ensure_date(day, now, plan.zone)
            slot = next((s for s in plan.slots(day) if s.start.astimezone(UTC) == start), None)
            if slot is None:
                local = start.astimezone(plan.zone)
                raise Invalid(
                    f"На {local:%d.%m.%Y %H:%M} запису на цю послугу немає: оберіть час зі списку",
                    f"There is no booking slot for this service at {local:%d.%m.%Y %H:%M}: "
                    "pick a time from the list",
                    code="no_such_slot",
                )
            if not horizon.slot_bookable(slot.start, now, plan.zone):
                raise InvalidTransition(
                    "На цей час записатися вже не можна: оберіть пізніший",
                    "This time can no longer be booked: pick a later one",
                    code="slot_closed",
                )
            digest = self.phone_hash(phone)
            self._ensure_may_book(session, plan, digest, channel, day, now)
            taken = taken_places(session, plan, day, now=now, except_hold=hold).get(start, (0, 0))
            if free_places(slot, *taken, online=channel == "online") <= 0:
                raise SlotFull(
                    next_free_starts(session, plan, start, now, online=channel == "online")
                )
            booking = Booking(
                branch_id=plan.branch.id,
                service_id=plan.service.id,
                slot_start=start,
                slot_end=slot.end.astimezone(UTC),
                code=self._unique_code(session),
                name=name,
                phone=phone,
                phone_hash=digest,
                link_token=new_public_token(),
                status=BookingStatus.BOOKED,
                channel=channel,
                created_at=now,
            )
            session.add(booking)
            if hold:  # the held place became this booking
                session.execute(
                    delete(SlotHold).where(
                        SlotHold.token == hold,
                        SlotHold.service_id == plan.service.id,
                        SlotHold.slot_start == start,
                    )
                )
            session.flush()
            booking_event(
                session, booking, EventType.BOOKING_CREATED, now, principal, channel=channel
            )
            if keyed is not None:
                request_keys.remember(
                    session, branch_id, principal, today, keyed, now, booking_id=booking.id
                )
            return BookingView(booking, plan.service, plan.branch)

    def cancel(
        self,
        principal: Principal | None,
        code: str,
        phone: str | None,
        quota: Quota | None = None,
        reason: str = "",
    ) -> BookingView:
        """Cancel a booking: the visitor (code and phone), or the centre's staff with a reason
        the visitor is shown."""
        branch_id = self._branch_of_code(code, phone_given=phone is not None)
        with self.db.write(branch_id) as session:
            now = self.clock()
            if quota is not None:
                quota.spend(session, now)
            booking = self._find(session, code, phone)
            if principal is not None:
                ensure_branch_access(principal, booking.branch_id)
            if booking.status != BookingStatus.BOOKED:
                raise InvalidTransition(*_status_refusal(booking), code="booking_" + booking.status)
            if booking.slot_start <= now:
                raise InvalidTransition(
                    "Час цього запису вже настав, скасувати його не можна",
                    "The time of this booking has come; it can no longer be cancelled",
                    code="booking_started",
                )
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.cancel_reason = reason.strip()[:200]
            # The reason stays on the booking: the event stream is public, a reason may be personal.
            booking_event(session, booking, EventType.BOOKING_CANCELLED, now, principal)
            return self.view(session, booking)

    def check_in(self, principal: Principal, code: str, key: str | None = None) -> CheckedIn:
        """The visitor at the kiosk: on time → the slot's place in line; late → a walk-in.

        With an idempotency `key`, a repeat answers with the ticket the key made today.
        """
        keyed = KeyedRequest.of(key, "check_in", code=code)
        branch_id = self._branch_of_code(code, phone_given=False)
        ensure_branch_access(principal, branch_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            booking = self._find(session, code, None)
            branch = get_branch(session, booking.branch_id)
            zone = ZoneInfo(branch.timezone)
            today = now.astimezone(zone).date()
            if keyed is not None:
                earlier = request_keys.replay(session, branch_id, principal, today, keyed)
                if earlier is not None and earlier.ticket_id is not None:
                    return checked_in_view(session, earlier.ticket_id, branch, now)
            if booking.status not in (BookingStatus.BOOKED, BookingStatus.NO_SHOW):
                raise InvalidTransition(*_status_refusal(booking), code="booking_" + booking.status)
            slot = booking.slot_start.astimezone(zone)
            if slot.date() < now.astimezone(zone).date():
                raise InvalidTransition(
                    f"Цей запис був на {slot:%d.%m.%Y} о {slot:%H:%M}; він уже недійсний. "
                    "Візьміть талон у загальну чергу",
                    f"This booking was for {slot:%d.%m.%Y} at {slot:%H:%M} and is no longer "
                    "valid. Please take a ticket for the general queue",
                    code="booking_expired",
                )
            result = check_in(slot, now, window_of(branch))
            service = get_service(session, booking.service_id)
            issued = issue_in(
                session,
                principal,
                branch,
                service,
                now,
                source="booking",
                order_key=result.order_key.astimezone(UTC),
                check_hours=not result.on_time,
                booking_id=booking.id,
            )
            booking.status = BookingStatus.CHECKED_IN
            booking.checked_in_at = now
            booking.on_time = result.on_time
            booking.no_show_at = None
            booking.ticket_id = issued.ticket.id
            booking_event(
                session,
                booking,
                EventType.BOOKING_CHECKED_IN,
                now,
                principal,
                ticket_id=issued.ticket.id,
                on_time=result.on_time,
            )
            if keyed is not None:
                request_keys.remember(
                    session,
                    branch_id,
                    principal,
                    today,
                    keyed,
                    now,
                    ticket_id=issued.ticket.id,
                    booking_id=booking.id,
                )
            return CheckedIn(issued, booking, result.on_time)

    # -- no-shows and the purge (booking_upkeep) ------------------------------------------

    def sweep_if_due(self, branch_id: int) -> int:
        """Mark no-shows, taking the write lock only when there is one to mark."""
        return upkeep.sweep_if_due(self.db, self.clock, branch_id)

    def sweep_all(self) -> int:
        return upkeep.sweep_all(self.db, self.clock)

    def purge(self) -> int:
        """Blank names and phones that are due (see `booking_upkeep.purge`)."""
        return upkeep.purge(self.db, self.clock)

    def rehash_phones(self) -> int:
        return upkeep.rehash_phones(self.db, self.phone_hash)

    def tidy(self) -> None:
        upkeep.tidy(self.db, self.clock)

    # -- helpers -----------------------------------------------------------------------------

    def _ensure_may_book(
        self, session: Session, plan: Plan, digest: str, channel: str, day: date, now: datetime
    ) -> None:
        limits = limits_of(plan.branch)
        mine = select(func.count(Booking.id)).where(Booking.phone_hash == digest)
        if channel == "online":
            last_visit = session.scalar(
                select(func.max(Booking.slot_start)).where(
                    Booking.phone_hash == digest,
                    Booking.status == BookingStatus.CHECKED_IN,
                )
            )
            since = now - timedelta(days=limits.no_show_window_days)
            if last_visit is not None:
                since = max(since, as_utc(last_visit))
            no_shows = session.scalar(
                mine.where(Booking.status == BookingStatus.NO_SHOW, Booking.slot_start > since)
            )
            ensure_not_blocked(int(no_shows or 0), limits)
        local_now = now.astimezone(plan.zone)
        month_start = local_midnight_utc(local_now.date().replace(day=1), plan.zone)
        made = session.scalar(mine.where(Booking.created_at >= month_start))
        ensure_within_quota(int(made or 0), limits)
        same_day = session.scalars(
            select(Booking).where(
                Booking.phone_hash == digest,
                Booking.service_id == plan.service.id,
                Booking.status == BookingStatus.BOOKED,
                Booking.slot_start >= local_midnight_utc(day, plan.zone),
                Booking.slot_start < local_midnight_utc(day + timedelta(days=1), plan.zone),
            )
        ).first()
        if same_day is not None:
            at = same_day.slot_start.astimezone(plan.zone)
            raise InvalidTransition(
                f"На цей номер уже є запис на цю послугу {at:%d.%m.%Y} о {at:%H:%M}. "
                "Щоб змінити час, спершу скасуйте його",
                f"This number already has a booking for this service on {at:%d.%m.%Y} at "
                f"{at:%H:%M}. To change the time, cancel it first",
                code="already_booked",
            )

    def _unique_code(self, session: Session) -> str:
        while True:
            code = new_code()
            if session.scalar(select(Booking.id).where(Booking.code == code)) is None:
                return code

    def _branch_of_code(self, code: str, *, phone_given: bool) -> int:
        with self.db.read() as session:
            branch_id = session.scalar(select(Booking.branch_id).where(Booking.code == code))
        if branch_id is None:
            raise booking_not_found(phone_given=phone_given)
        return branch_id

    def _find(self, session: Session, code: str, phone: str | None) -> Booking:
        booking = session.scalars(select(Booking).where(Booking.code == code)).first()
        if booking is None:
            raise booking_not_found(phone_given=phone is not None)
        if phone is not None:
            try:
                digest = self.phone_hash(normalise_phone(phone))
            except DomainError:
                raise booking_not_found() from None
            if not hmac.compare_digest(digest, booking.phone_hash):
                raise booking_not_found()
        return booking

    @staticmethod
    def view(session: Session, booking: Booking) -> BookingView:
        ticket = session.get(Ticket, booking.ticket_id) if booking.ticket_id else None
        return BookingView(
            booking,
            get_service(session, booking.service_id),
            get_branch(session, booking.branch_id),
            ticket.number if ticket else None,
        )


def _status_refusal(booking: Booking) -> tuple[str, str]:
    if booking.status == BookingStatus.CANCELLED and booking.cancel_reason:
        return (
            f"Цей запис скасував центр: {booking.cancel_reason}",
            f"The centre cancelled this booking: {booking.cancel_reason}",
        )
    return {
        BookingStatus.CANCELLED: (
            "Цей запис скасовано",
            "This booking has been cancelled",
        ),
        BookingStatus.CHECKED_IN: (
            "За цим записом уже зареєструвалися і отримали талон",
            "This booking has already been checked in and its ticket issued",
        ),
        BookingStatus.NO_SHOW: (
            "Час цього запису минув: візит пропущено",
            "The time of this booking has passed: the visit was missed",
        ),
        BookingStatus.EXPIRED: (
            "Цей запис уже недійсний",
            "This booking is no longer valid",
        ),
    }.get(booking.status, ("Цей запис не можна змінити", "This booking cannot be changed"))
