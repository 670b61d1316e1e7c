"""Folding the events into the reports' projections (`report_models`), branch by branch.

`refresh(db, branch_id)` reads the branch's events after its cursor, in id order (commit order
within a branch: every write holds the branch's lock), and updates visits, bookings and
intervals, a chunk per transaction so the queue's own writes go on in between. It then
summarises the finished days that have no summary yet (`report_daily`). Reports call it before
they read; the server also runs it every minute, so there is little left to do on a request.
In the server, `pause` lets the requests have the interpreter between chunks (PG_CHUNK).

The rules of what a visit is (docs/reports.md) are here, in `_Fold.apply`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cherha.core.model import EventType
from cherha.core.periods import calendar_of

from .clock import Clock, utcnow
from .db import Database
from .models import Branch, Counter, Event, Service
from .report_models import ReportBooking, ReportCursor, ReportDaily, ReportInterval, ReportVisit

log = logging.getLogger(__name__)

CHUNK = 2000
"""Events per transaction at most."""

SQLITE_CHUNK_SECONDS = 0.015
"""On SQLite each transaction holds the one writer the queue's writes need: events are folded
in chunks sized to take about this long. 2,000 at a time held it for over a second, and
issuing stalled behind it once a minute (docs/benchmarks.md, the login flood)."""

SQLITE_FIRST_CHUNK = 20

PG_CHUNK = 100
"""Events per transaction on PostgreSQL when the fold runs beside the requests. Its work is
Python's: while a 2,000-event chunk was built, the one thread holding a branch's lock got the
interpreter only in turns, and every write of that branch queued behind it (issuing stalled
0.4-2 s once a minute, docs/benchmarks.md). After each chunk the fold pauses as long as the
chunk took (at least PG_PAUSE_SECONDS), so the requests have the interpreter at least half the
time."""

PG_PAUSE_SECONDS = 0.02

Pause = Callable[[float], object]
"""Called with a number of seconds to wait (`time.sleep` in the server)."""

OPEN_OUTCOMES = ("waiting", "called", "serving")
ENDED_OUTCOMES = ("served", "no_show", "cancelled", "expired", "transferred")


def refresh(
    db: Database, branch_id: int, clock: Clock = utcnow, *, pause: Pause | None = None
) -> int:
    """Bring the branch's projections up to its newest event; the number of events read.

    `pause`: given where the fold shares its process with the requests (the server); a fold of
    its own (`cherha-server reports`) goes at full speed."""
    _ensure_cursor(db, branch_id)
    total = 0
    size = SQLITE_FIRST_CHUNK if db.is_sqlite else CHUNK if pause is None else PG_CHUNK
    while True:
        with db.write(None) as session:
            started = time.perf_counter()  # once the writer lock is held
            cursor = _locked_cursor(session, db, branch_id)
            events = list(
                session.scalars(
                    select(Event)
                    .where(Event.branch_id == branch_id, Event.id > cursor.last_event_id)
                    .order_by(Event.id)
                    .limit(size)
                )
            )
            if not events:
                break
            branch = session.get(Branch, branch_id)
            assert branch is not None
            _Fold(session, branch).run(events)
            cursor.last_event_id = events[-1].id
            cursor.folded_at = clock()
            total += len(events)
        if len(events) < size:
            break
        took = time.perf_counter() - started
        if db.is_sqlite:
            size = max(1, min(CHUNK, int(size * SQLITE_CHUNK_SECONDS / max(took, 1e-4))))
        elif pause is not None:
            pause(max(took, PG_PAUSE_SECONDS))
    summarise_days(db, branch_id, clock)
    return total


def rebuild(db: Database, branch_id: int, clock: Clock = utcnow) -> int:
    """Forget the projections of a branch and fold all its events again."""
    with db.write(None) as session:
        for table in (ReportVisit, ReportBooking, ReportInterval, ReportDaily):
            session.execute(delete(table).where(table.branch_id == branch_id))
        session.execute(delete(ReportCursor).where(ReportCursor.branch_id == branch_id))
    return refresh(db, branch_id, clock)


def refresh_all(db: Database, clock: Clock = utcnow) -> int:
    with db.read() as session:
        ids = list(session.scalars(select(Branch.id).order_by(Branch.id)))
    return sum(refresh(db, i, clock) for i in ids)


def _ensure_cursor(db: Database, branch_id: int) -> None:
    with db.read() as session:
        if session.get(ReportCursor, branch_id) is not None:
            return
    # Under the branch's lock: two first reports at once make one cursor, not two.
    with db.write(branch_id) as session:
        if session.get(ReportCursor, branch_id) is None:
            session.add(ReportCursor(branch_id=branch_id, last_event_id=0))


def _locked_cursor(session: Session, db: Database, branch_id: int) -> ReportCursor:
    """The cursor row, held for this transaction (SQLite's writer lock does that already)."""
    query = select(ReportCursor).where(ReportCursor.branch_id == branch_id)
    if not db.is_sqlite:
        query = query.with_for_update()
    return session.scalars(query).one()


@dataclass
class _Fold:
    """One chunk of events applied to the rows they touch."""

    session: Session
    branch: Branch
    visits: dict[int, ReportVisit] = field(default_factory=dict)
    """The current (highest seq) visit of each ticket touched."""
    bookings: dict[int, ReportBooking] = field(default_factory=dict)
    intervals: dict[tuple[str, int | None], ReportInterval] = field(default_factory=dict)
    services: dict[int, Service] | None = None

    def run(self, events: list[Event]) -> None:
        self.zone = ZoneInfo(self.branch.timezone)
        self._load(events)
        for event in events:
            self.apply(event)

    def _load(self, events: list[Event]) -> None:
        ticket_ids = {e.ticket_id for e in events if e.ticket_id is not None}
        for chunk in _chunks(sorted(ticket_ids), 500):
            for row in self.session.scalars(
                select(ReportVisit)
                .where(ReportVisit.ticket_id.in_(chunk))
                .order_by(ReportVisit.seq)
            ):
                self.visits[row.ticket_id] = row
        booking_ids = {
            int(e.data["booking_id"])
            for e in events
            if e.type.startswith("booking_") and "booking_id" in e.data
        }
        for chunk in _chunks(sorted(booking_ids), 500):
            for booking in self.session.scalars(
                select(ReportBooking).where(ReportBooking.booking_id.in_(chunk))
            ):
                self.bookings[booking.booking_id] = booking
        if any(e.type.startswith(("counter_", "branch_")) for e in events):
            for interval in self.session.scalars(
                select(ReportInterval).where(
                    ReportInterval.branch_id == self.branch.id, ReportInterval.ended_at.is_(None)
                )
            ):
                self.intervals[(interval.kind, interval.counter_id)] = interval

    # -- the rules ---------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        kind = event.type
        if kind.startswith("ticket_") and event.ticket_id is not None:
            self._ticket(event)
        elif kind.startswith("booking_") and "booking_id" in event.data:
            self._booking(event)
        elif kind in (EventType.COUNTER_OPEN, EventType.COUNTER_PAUSED, EventType.COUNTER_CLOSED):
            self._counter(event)
        elif kind == EventType.BRANCH_PAUSED:
            self._start_interval("pause", None, event, reason=str(event.data.get("reason", "")))
        elif kind == EventType.BRANCH_RESUMED:
            self._end_interval("pause", None, event.at)

    def _ticket(self, event: Event) -> None:
        assert event.ticket_id is not None
        data = event.data
        visit = self.visits.get(event.ticket_id)
        if event.type == EventType.TICKET_ISSUED or visit is None:
            if visit is not None:
                return  # folded already (a rebuild never gets here; kept for safety)
            visit = self._new_visit(event, seq=0, service_id=int(data.get("service_id", 0)))
            visit.estimate_minutes = _int_or_none(data.get("estimated_wait_minutes"))
            visit.people_ahead = _int_or_none(data.get("people_ahead"))
            if data.get("source") == "booking":
                visit.source = "booking"
            if event.type == EventType.TICKET_ISSUED:
                return
        kind = event.type
        if kind in (EventType.TICKET_CALLED, EventType.TICKET_RECALLED):
            visit.called_at = event.at
            visit.calls += 1
            if visit.first_called_at is None:
                visit.first_called_at = event.at
            if kind == EventType.TICKET_RECALLED:
                visit.recalls += 1
            if data.get("out_of_order"):
                visit.out_of_order += 1
            self._at_window(visit, event)
            visit.outcome = "called"
            visit.wait_seconds = _seconds(visit.joined_at, event.at)
        elif kind == EventType.TICKET_STARTED:
            visit.started_at = event.at
            visit.outcome = "serving"
            self._at_window(visit, event)
        elif kind == EventType.TICKET_FINISHED:
            self._end(visit, "served", event.at)
            visit.finish_outcome = str(data.get("outcome", ""))[:40]
            self._at_window(visit, event)
        elif kind == EventType.TICKET_NO_SHOW:
            self._end(visit, "no_show", event.at)
        elif kind == EventType.TICKET_RETURNED:
            visit.outcome = "waiting"
            visit.ended_at = None
            visit.returned += 1
        elif kind == EventType.TICKET_CANCELLED:
            self._end(visit, "cancelled", event.at)
        elif kind == EventType.TICKET_EXPIRED:
            if visit.outcome != "no_show":  # a no-show closed out at day's end stays a no-show
                self._end(visit, "expired", event.at)
        elif kind == EventType.TICKET_TRANSFERRED:
            self._end(visit, "transferred", event.at)
            target = int(data.get("to_service_id", data.get("service_id", visit.service_id)))
            after = self._new_visit(event, seq=visit.seq + 1, service_id=target, transfer=True)
            after.lane = visit.lane
            after.issued_at = visit.issued_at
            after.source = "transfer"

    def _new_visit(
        self, event: Event, *, seq: int, service_id: int, transfer: bool = False
    ) -> ReportVisit:
        assert event.ticket_id is not None
        data = event.data
        prefix = "to_" if transfer else ""
        service = self._service(service_id)
        day, week, month, weekday, hour = calendar_of(event.at, self.zone)
        visit = ReportVisit(
            branch_id=self.branch.id,
            ticket_id=event.ticket_id,
            seq=seq,
            number=str(data.get("number", ""))[:16],
            day=day,
            week=week,
            month=month,
            weekday=weekday,
            hour=hour,
            service_id=service_id,
            service_uk=str(
                data.get(f"{prefix}service_name_uk") or (service.name_uk if service else "")
            )[:200],
            service_en=str(
                data.get(f"{prefix}service_name_en") or (service.name_en if service else "")
            )[:200],
            target_minutes=_int_or_none(
                data.get(
                    f"{prefix}wait_target_minutes",
                    service.wait_target_minutes if service else None,
                )
            ),
            lane=str(data.get("lane", "ordinary"))[:16],
            source="walk_in",
            issued_at=event.at,
            joined_at=event.at,
            outcome="waiting",
            clerk="",
            calls=0,
            recalls=0,
            out_of_order=0,
            returned=0,
            finish_outcome="",
        )
        self.session.add(visit)
        self.visits[event.ticket_id] = visit
        return visit

    def _at_window(self, visit: ReportVisit, event: Event) -> None:
        if event.counter_id is not None:
            visit.counter_id = event.counter_id
            number = event.data.get("counter_number")
            if number is not None:
                visit.counter_number = int(number)
        if event.actor.startswith("user:"):
            visit.clerk = event.actor[5:85]

    @staticmethod
    def _end(visit: ReportVisit, outcome: str, at: datetime) -> None:
        visit.outcome = outcome
        visit.ended_at = at
        if visit.started_at is not None and outcome in ("served", "transferred"):
            visit.service_seconds = _seconds(visit.started_at, at)

    def _booking(self, event: Event) -> None:
        data = event.data
        booking_id = int(data["booking_id"])
        booking = self.bookings.get(booking_id)
        if booking is None:
            slot = datetime.fromisoformat(str(data["slot_start"]))
            day, week, month, weekday, hour = calendar_of(slot, self.zone)
            booking = ReportBooking(
                booking_id=booking_id,
                branch_id=self.branch.id,
                service_id=int(data.get("service_id", 0)),
                slot_start=slot,
                day=day,
                week=week,
                month=month,
                weekday=weekday,
                hour=hour,
                channel="",
                state="booked",
            )
            self.session.add(booking)
            self.bookings[booking_id] = booking
        kind = event.type
        if kind == EventType.BOOKING_CREATED:
            booking.created_at = event.at
            booking.channel = str(data.get("channel", ""))[:16]
        elif kind == EventType.BOOKING_CANCELLED:
            booking.state = "cancelled"
        elif kind == EventType.BOOKING_NO_SHOW:
            booking.state = "no_show"
        elif kind == EventType.BOOKING_CHECKED_IN:
            booking.state = "checked_in"
            booking.on_time = bool(data.get("on_time"))
            booking.ticket_id = event.ticket_id
            visit = self.visits.get(event.ticket_id) if event.ticket_id is not None else None
            if visit is not None and visit.seq == 0:
                visit.source = "booking" if booking.on_time else "booking_late"
                if booking.on_time and booking.slot_start > visit.joined_at:
                    # Early for the slot: the wait is counted from the slot's start.
                    visit.joined_at = booking.slot_start

    def _counter(self, event: Event) -> None:
        counter_id = event.counter_id or _int_or_none(event.data.get("counter_id"))
        if counter_id is None:
            return
        self._end_interval("open", counter_id, event.at)
        self._end_interval("break", counter_id, event.at)
        reason = str(event.data.get("reason", event.data.get("pause_reason", "")))
        if event.type == EventType.COUNTER_OPEN:
            self._start_interval("open", counter_id, event)
        elif event.type == EventType.COUNTER_PAUSED:
            self._start_interval("break", counter_id, event, reason=reason)

    def _start_interval(
        self, kind: str, counter_id: int | None, event: Event, *, reason: str = ""
    ) -> None:
        if (kind, counter_id) in self.intervals:
            return
        number = event.data.get("counter_number")
        if counter_id is not None and number is None:
            counter = self.session.get(Counter, counter_id)
            number = counter.number if counter else None
        interval = ReportInterval(
            branch_id=self.branch.id,
            kind=kind,
            counter_id=counter_id,
            counter_number=_int_or_none(number),
            clerk=event.actor[5:85] if event.actor.startswith("user:") else "",
            reason=reason[:200],
            started_at=event.at,
        )
        self.session.add(interval)
        self.intervals[(kind, counter_id)] = interval

    def _end_interval(self, kind: str, counter_id: int | None, at: datetime) -> None:
        interval = self.intervals.pop((kind, counter_id), None)
        if interval is not None:
            interval.ended_at = at

    def _service(self, service_id: int) -> Service | None:
        """Today's service: only for events older than the names carried in event data."""
        if self.services is None:
            self.services = {
                s.id: s
                for s in self.session.scalars(
                    select(Service).where(Service.branch_id == self.branch.id)
                )
            }
        return self.services.get(service_id)


# -- finished days, summarised once ----------------------------------------------------------


def summarise_days(db: Database, branch_id: int, clock: Clock = utcnow) -> int:
    """Write `report_daily` for every past day that has visits, no summary and no visit still
    open (a day's leftovers are closed out at the next day's first ticket)."""
    from cherha.core.numbering import local_day

    from .report_daily import daily_rows

    with db.read() as session:
        branch = session.get(Branch, branch_id)
        assert branch is not None
        today = local_day(clock(), branch.timezone)
        latest = session.scalar(
            select(func.max(ReportDaily.day)).where(ReportDaily.branch_id == branch_id)
        )
        # Days before the newest summary less a fortnight are done (or still open for good
        # reason); looking at them again every minute would read a year of visits.
        since = latest - timedelta(days=14) if latest is not None else date.min
        done = set(
            session.scalars(
                select(ReportDaily.day)
                .where(ReportDaily.branch_id == branch_id, ReportDaily.day >= since)
                .distinct()
            )
        )
        days = [
            day
            for d, still_open in session.execute(
                select(ReportVisit.day, func.sum(_open_case()))
                .where(
                    ReportVisit.branch_id == branch_id,
                    ReportVisit.day >= since,
                    ReportVisit.day < today,
                )
                .group_by(ReportVisit.day)
            )
            if (day := d if isinstance(d, date) else date.fromisoformat(str(d))) not in done
            and not still_open
        ]
    if not days:
        return 0
    written = 0
    for chunk in _chunks(sorted(days), 31):
        with db.read() as session:
            rows = daily_rows(session, branch_id, chunk[0], chunk[-1], set(chunk))
        with db.write(None) as session:
            present = set(
                session.scalars(
                    select(ReportDaily.day).where(
                        ReportDaily.branch_id == branch_id, ReportDaily.day.in_(chunk)
                    )
                )
            )
            for row in rows:
                if row.day not in present:
                    session.add(row)
                    written += 1
    return written


def _open_case() -> Any:
    from sqlalchemy import case

    return case((ReportVisit.outcome.in_(OPEN_OUTCOMES), 1), else_=0)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds()))


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


__all__ = ["ENDED_OUTCOMES", "OPEN_OUTCOMES", "Pause", "rebuild", "refresh", "refresh_all"]
