"""The slots of one service as the store sees them: its plan (hours, windows, rules) and the
places already taken, counted per slot. Used by `store.bookings` inside its transactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cherha.core.booking_rules import Limits
from cherha.core.checkin import CheckInWindow
from cherha.core.errors import Invalid
from cherha.core.model import BookingStatus
from cherha.core.schedule import WeeklySchedule
from cherha.core.slots import Horizon, Slot, day_slots, free_places

from .models import Booking, Branch, Counter, CounterService, Service
from .records import get_branch, get_service
from .schedules import load_schedule

NEXT_FREE_COUNT = 5


HOLDS_PLACE = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)
"""A place stays taken whatever happened to its visitor; only a cancellation frees it."""


@dataclass(frozen=True, slots=True)
class SlotView:
    start: datetime
    end: datetime
    capacity: int
    free: int


@dataclass(frozen=True, slots=True)
class DayView:
    day: date
    free: int
    slots: int


def window_of(branch: Branch) -> CheckInWindow:
    return CheckInWindow(
        early=timedelta(minutes=branch.check_in_early_minutes),
        late=timedelta(minutes=branch.check_in_late_minutes),
    )


def horizon_of(branch: Branch) -> Horizon:
    return Horizon(
        days=branch.booking_horizon_days,
        opens_hour=branch.booking_opens_hour,
        min_lead=timedelta(minutes=branch.booking_min_lead_minutes),
    )


def limits_of(branch: Branch) -> Limits:
    return Limits(
        monthly_quota=branch.booking_monthly_quota,
        no_show_block=branch.booking_no_show_block,
        no_show_window_days=branch.booking_no_show_window_days,
    )


def local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Plan:
    """What the slots of one service follow (loaded once per request)."""

    branch: Branch
    service: Service
    zone: ZoneInfo
    schedule: WeeklySchedule
    windows: int

    def slots(self, day: date) -> list[Slot]:
        return day_slots(
            day,
            self.schedule,
            timezone=self.zone,
            slot_minutes=self.service.slot_minutes or self.branch.booking_slot_minutes,
            windows=self.windows,
            average_minutes=self.service.average_seconds / 60,
            kiosk_share=self.branch.booking_kiosk_share,
        )


def load_plan(session: Session, service_id: int) -> Plan:
    service = get_service(session, service_id)
    branch = get_branch(session, service.branch_id)
    if not service.active or not service.bookable:
        raise Invalid(
            f"На послугу «{service.name_uk}» записатися наперед не можна: візьміть талон у центрі",
            f"The service '{service.name_en or service.name_uk}' cannot be booked ahead: "
            "take a ticket at the centre",
            code="not_bookable",
        )
    windows = session.scalar(
        select(func.count(Counter.id))
        .join(CounterService, CounterService.counter_id == Counter.id)
        .where(CounterService.service_id == service.id, Counter.active.is_(True))
    )
    return Plan(
        branch,
        service,
        ZoneInfo(branch.timezone),
        load_schedule(session, branch.id, service.id),
        int(windows or 0),
    )


def taken_places(session: Session, plan: Plan, day: date) -> dict[datetime, tuple[int, int]]:
    """Places taken per slot start (UTC): (all channels, online)."""
    start = local_midnight_utc(day, plan.zone)
    end = local_midnight_utc(day + timedelta(days=1), plan.zone)
    online = func.sum(case((Booking.channel == "online", 1), else_=0))
    rows = session.execute(
        select(Booking.slot_start, func.count(Booking.id), online)
        .where(
            Booking.service_id == plan.service.id,
            Booking.slot_start >= start,
            Booking.slot_start < end,
            Booking.status.in_(HOLDS_PLACE),
        )
        .group_by(Booking.slot_start)
    ).all()
    return {as_utc(s): (int(total), int(on or 0)) for s, total, on in rows}


def slot_views(
    session: Session, plan: Plan, day: date, now: datetime, *, online: bool
) -> list[SlotView]:
    taken = taken_places(session, plan, day)
    horizon = horizon_of(plan.branch)
    views = []
    for slot in plan.slots(day):
        total, on = taken.get(slot.start.astimezone(UTC), (0, 0))
        free = free_places(slot, total, on, online=online)
        if not horizon.slot_bookable(slot.start, now, plan.zone):
            free = 0
        views.append(SlotView(slot.start, slot.end, slot.capacity, free))
    return views


def next_free_starts(
    session: Session, plan: Plan, after: datetime, now: datetime, *, online: bool
) -> list[datetime]:
    found: list[datetime] = []
    horizon = horizon_of(plan.branch)
    for day in horizon.dates(now, plan.zone):
        if day < after.astimezone(plan.zone).date():
            continue
        for view in slot_views(session, plan, day, now, online=online):
            if view.free > 0 and view.start > after:
                found.append(view.start)
                if len(found) == NEXT_FREE_COUNT:
                    return found
    return found


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
