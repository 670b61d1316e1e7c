"""The live floor a centre head watches: lines, windows, today's totals and the alerts to act on.

Read-only. Alerts are worked out from the state now, each with the moment it started:
- a kiosk's printer out of paper, its cover open, offline or failing (from its status reports);
- a kiosk or display seen before and then silent for `device_silent` (it uses its key for
  every request and keeps its event stream open; a display that does not use a key cannot
  be followed);
- a service whose longest wait passed its target;
- an open window that called nobody for `idle_window` while people wait for its services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cherha.core.model import BookingStatus, CounterState, TicketStatus
from cherha.core.numbering import local_day

from .booking_slots import local_midnight_utc
from .clock import Clock, utcnow
from .db import Database
from .models import Booking, Branch, Device, Event, Ticket, User
from .records import get_branch
from .views import CounterView, ServiceView, Views

PRINTER_FAULTS = {
    "paper_out": ("Принтер: закінчився папір", "Printer: out of paper"),
    "cover_open": ("Принтер: відкрита кришка", "Printer: cover open"),
    "offline": ("Принтер не відповідає", "Printer offline"),
    "error": ("Помилка принтера", "Printer error"),
    "paper_near_end": ("Принтер: папір закінчується", "Printer: paper running out"),
}


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # printer, device_silent, wait_target, idle_window
    severity: Severity
    since: datetime
    subject: str
    text_uk: str
    text_en: str


@dataclass(frozen=True, slots=True)
class WindowRow:
    view: CounterView
    clerk: str
    busy_since: datetime | None
    """When the ticket at the window was called (or service started)."""


@dataclass(frozen=True, slots=True)
class Totals:
    issued: int
    waiting: int
    served: int
    no_shows: int
    bookings_due: int
    checked_in: int


@dataclass(frozen=True, slots=True)
class FloorView:
    branch: Branch
    services: list[ServiceView]
    windows: list[WindowRow]
    totals: Totals
    alerts: list[Alert]
    last_event_id: int
    at: datetime


class Floor:
    def __init__(
        self,
        db: Database,
        views: Views,
        clock: Clock = utcnow,
        *,
        device_silent: timedelta = timedelta(minutes=5),
        idle_window: timedelta = timedelta(minutes=10),
    ) -> None:
        self.db = db
        self.views = views
        self.clock = clock
        self.device_silent = device_silent
        self.idle_window = idle_window

    def view(self, branch_id: int) -> FloorView:
        services = self.views.services(branch_id)
        counters = self.views.counters(branch_id)
        last_event_id = self.views.last_event_id(branch_id)
        now = self.clock()
        with self.db.read() as session:
            branch = get_branch(session, branch_id)
            clerks = _clerk_names(session, [c.counter.clerk_id for c in counters])
            windows = [
                WindowRow(
                    view=c,
                    clerk=clerks.get(c.counter.clerk_id or 0, ""),
                    busy_since=(c.current.started_at or c.current.called_at) if c.current else None,
                )
                for c in counters
            ]
            totals = self._totals(session, branch, now)
            alerts = [
                *self._device_alerts(session, branch_id, now),
                *_wait_alerts(services, now),
                *self._idle_alerts(session, branch_id, counters, services, now),
            ]
        alerts.sort(key=lambda a: (a.severity != Severity.CRITICAL, a.since))
        return FloorView(branch, services, windows, totals, alerts, last_event_id, now)

    def _totals(self, session: Session, branch: Branch, now: datetime) -> Totals:
        day = local_day(now, branch.timezone)
        counts = dict(
            session.execute(
                select(Ticket.status, func.count(Ticket.id))
                .where(Ticket.branch_id == branch.id, Ticket.day == day)
                .group_by(Ticket.status)
            ).all()
        )
        zone = ZoneInfo(branch.timezone)
        start = local_midnight_utc(day, zone)
        bookings = dict(
            session.execute(
                select(Booking.status, func.count(Booking.id))
                .where(
                    Booking.branch_id == branch.id,
                    Booking.slot_start >= start,
                    Booking.slot_start < local_midnight_utc(day + timedelta(days=1), zone),
                )
                .group_by(Booking.status)
            ).all()
        )
        return Totals(
            issued=sum(counts.values()),
            waiting=counts.get(TicketStatus.WAITING, 0),
            served=counts.get(TicketStatus.DONE, 0),
            no_shows=counts.get(TicketStatus.NO_SHOW, 0),
            bookings_due=sum(
                n for status, n in bookings.items() if status != BookingStatus.CANCELLED
            ),
            checked_in=bookings.get(BookingStatus.CHECKED_IN, 0),
        )

    def _device_alerts(self, session: Session, branch_id: int, now: datetime) -> list[Alert]:
        alerts = []
        for d in session.scalars(
            select(Device).where(Device.branch_id == branch_id, Device.active.is_(True))
        ):
            fault = PRINTER_FAULTS.get(d.printer_status)
            if fault is not None:
                detail = f" ({d.status_message})" if d.status_message else ""
                alerts.append(
                    Alert(
                        "printer",
                        Severity.WARNING
                        if d.printer_status == "paper_near_end"
                        else Severity.CRITICAL,
                        d.status_at or now,
                        d.name,
                        f"{d.name}: {fault[0]}{detail}",
                        f"{d.name}: {fault[1]}{detail}",
                    )
                )
            if d.last_seen_at is not None and now - d.last_seen_at >= self.device_silent:
                minutes = int((now - d.last_seen_at).total_seconds() // 60)
                kind_uk = "Кіоск" if d.kind == "kiosk" else "Дисплей"
                kind_en = "Kiosk" if d.kind == "kiosk" else "Display"
                alerts.append(
                    Alert(
                        "device_silent",
                        Severity.CRITICAL,
                        d.last_seen_at,
                        d.name,
                        f"{kind_uk} {d.name} не на зв'язку {minutes} хв",
                        f"{kind_en} {d.name} not seen for {minutes} min",
                    )
                )
        return alerts

    def _idle_alerts(
        self,
        session: Session,
        branch_id: int,
        counters: list[CounterView],
        services: list[ServiceView],
        now: datetime,
    ) -> list[Alert]:
        waiting = {s.service.id for s in services if s.waiting}
        candidates = [
            c
            for c in counters
            if c.counter.state == CounterState.OPEN
            and c.current is None
            and waiting.intersection(c.service_ids)
        ]
        if not candidates:
            return []
        since = now - timedelta(days=1)
        last_activity = dict(
            session.execute(
                select(Event.counter_id, func.max(Event.at))
                .where(
                    Event.branch_id == branch_id,
                    Event.at >= since,
                    Event.counter_id.in_([c.counter.id for c in candidates]),
                )
                .group_by(Event.counter_id)
            ).all()
        )
        alerts = []
        for c in candidates:
            moments = [m for m in (c.counter.opened_at, last_activity.get(c.counter.id)) if m]
            quiet_since = _aware(max(_aware(m) for m in moments)) if moments else now
            if now - quiet_since >= self.idle_window:
                minutes = int((now - quiet_since).total_seconds() // 60)
                n = c.counter.number
                alerts.append(
                    Alert(
                        "idle_window",
                        Severity.WARNING,
                        quiet_since,
                        f"window-{n}",
                        f"Вікно {n} відкрите, але нікого не викликає {minutes} хв, хоча люди чекають",
                        f"Window {n} is open but has called nobody for {minutes} min while people wait",
                    )
                )
        return alerts


def _wait_alerts(services: list[ServiceView], now: datetime) -> list[Alert]:
    alerts = []
    for v in services:
        target = v.service.wait_target_minutes
        if target is None or not v.waiting:
            continue
        if v.longest_wait_seconds > target * 60:
            s = v.service
            waited = v.longest_wait_seconds // 60
            alerts.append(
                Alert(
                    "wait_target",
                    Severity.WARNING,
                    now - timedelta(seconds=v.longest_wait_seconds - target * 60),
                    f"service-{s.id}",
                    f"«{s.name_uk}» ({s.prefix}): найдовше чекають {waited} хв, мета {target} хв",
                    f"'{s.name_en or s.name_uk}' ({s.prefix}): longest wait {waited} min, "
                    f"target {target} min",
                )
            )
    return alerts


def _clerk_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        u.id: u.display_name or u.username
        for u in session.scalars(select(User).where(User.id.in_(wanted)))
    }


def _aware(moment: datetime) -> datetime:
    """Aggregates bypass the column type: SQLite hands back naive UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
