"""A whole day at a centre against the real store, on a virtual clock (`cherha-server simulate`).

Visitors arrive at random (Poisson, a rate per hour from the profile) for the services in the
profile's mix; each visit takes a random time (log-normal around the service's average);
clerks open their windows, call the next visitor, serve, take a break and close; the centre
pauses for an air-raid alert; booked visitors check in early, late or not at all; some called
visitors never come to the window. Every step is the store's own operation (`TicketOps`,
`CounterOps`, `BranchOps`, `BookingOps`) with the virtual clock, so the events, the
projections and the reports are those a real day would make. The same seed gives the same day.

It measures the wait estimate given at issuing against the wait that came, for the estimate
in use and for the first rule (`core.estimates.legacy_estimate`).
"""

from __future__ import annotations

import contextlib
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from cherha.core.errors import BranchPaused, DomainError
from cherha.core.estimates import legacy_estimate
from cherha.core.reports import estimate_error, summarise

from ..auth import DeviceKind, Passwords, Principal, Role
from ..store.accounts import Accounts
from ..store.bookings import BookingOps
from ..store.centre import load_centre
from ..store.centre_file import SAMPLE_CENTRE, always_open, read_centre_file
from ..store.counters import BranchOps, CounterOps
from ..store.db import Database
from ..store.issuing import Issued
from ..store.migrate import upgrade
from ..store.models import Counter, CounterService, Service
from ..store.tickets import TicketOps
from .profile import ZONE, Profile, WindowPlan, service_seconds
from .results import Estimate, Result, as_json, describe


@dataclass
class _Visit:
    """What one visitor will do (drawn from the seed when they arrive)."""

    service: str
    seconds: float
    comes: bool = True
    transfer_seconds: float | None = None


class VirtualClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def prepare(url: str) -> Database:
    """A database with the sample centre open around the clock (the profile sets the hours)."""
    db = Database(url, sqlite_synchronous="OFF")
    upgrade(db.engine)
    load_centre(db, always_open(read_centre_file(SAMPLE_CENTRE)))
    return db


class Simulation:
    def __init__(self, db: Database, profile: Profile, seed: int = 1) -> None:
        self.db = db
        self.profile = profile
        self.seed = seed
        self.rng = random.Random(seed)
        start = datetime.combine(profile.day, time(0), ZONE).astimezone(UTC)
        self.clock = VirtualClock(start - timedelta(hours=6))
        self.tickets = TicketOps(db, self.clock)
        self.counters = CounterOps(db, self.clock)
        self.branches = BranchOps(db, self.clock)
        self.booking_ops = BookingOps(db, self.clock)
        self.queue: list[tuple[datetime, int, str, tuple[Any, ...]]] = []
        self.order = 0
        self.estimates: dict[int, Estimate] = {}
        self.plans: dict[int, _Visit] = {}
        self.idle: set[int] = set()
        self.closing: set[int] = set()
        self.break_due: set[int] = set()
        self.break_minutes: dict[int, int] = {}
        self.deferred: list[tuple[str, tuple[Any, ...]]] = []
        self.paused = False
        self.lost = 0
        self._setup()

    # -- setting up --------------------------------------------------------------------------

    def _setup(self) -> None:
        accounts = Accounts(self.db, timedelta(days=2), self.clock, Passwords.cheapest())
        with self.db.read() as session:
            self.services = {s.code: s.id for s in session.scalars(select(Service))}
            self.averages = {s.id: s.average_seconds for s in session.scalars(select(Service))}
            self.window_ids = {c.number: c.id for c in session.scalars(select(Counter))}
            self.serves: dict[int, set[int]] = {}
            for counter_id, service_id in session.execute(
                select(CounterService.counter_id, CounterService.service_id)
            ):
                self.serves.setdefault(counter_id, set()).add(service_id)
        suffix = f"{self.seed}-{self.profile.day.isoformat()}"
        _device, key = accounts.add_device(f"sim-kiosk-{suffix}", DeviceKind.KIOSK)
        self.kiosk = accounts.resolve(key)
        self.clerks: dict[int, Principal] = {}
        for plan in self.profile.windows:
            name = f"sim-clerk-{plan.number}-{suffix}"
            accounts.add_user(name, "simulated", Role.CLERK)
            self.clerks[self.window_ids[plan.number]] = accounts.login(name, "simulated").principal
        accounts.add_user(f"sim-head-{suffix}", "simulated", Role.HEAD)
        self.head = accounts.login(f"sim-head-{suffix}", "simulated").principal

    def _at(self, moment: time) -> datetime:
        return datetime.combine(self.profile.day, moment, ZONE).astimezone(UTC)

    def schedule(self, when: datetime, kind: str, *args: Any) -> None:
        self.order += 1
        heapq.heappush(self.queue, (when, self.order, kind, args))

    def _plan_day(self) -> None:
        p = self.profile
        for hour, rate in sorted(p.arrivals.items()):
            moment = self._at(time(hour))
            end = moment + timedelta(hours=1)
            while rate > 0:
                moment += timedelta(hours=self.rng.expovariate(rate * p.scale))
                if moment >= end:
                    break
                self.schedule(moment, "arrive", self._draw_visit(), False)
        for plan in p.windows:
            window = self.window_ids[plan.number]
            self.schedule(self._at(plan.opens), "open", window)
            self.schedule(self._at(plan.closes), "close", window)
            if plan.break_at is not None:
                self.schedule(self._at(plan.break_at), "break", window, plan.break_minutes)
        if p.pause_at is not None:
            self.schedule(self._at(p.pause_at), "pause")
            self.schedule(self._at(p.pause_at) + timedelta(minutes=p.pause_minutes), "resume")
        self._book()
        last = max(w.closes for w in p.windows)
        self.schedule(self._at(last) + timedelta(minutes=1), "sweep")

    def _draw_visit(self, service: str | None = None) -> _Visit:
        p = self.profile
        if service is None:
            codes = list(p.mix)
            service = self.rng.choices(codes, weights=[p.mix[c] for c in codes])[0]
        mean = self.averages[self.services[service]]
        visit = _Visit(service, service_seconds(self.rng, mean, p.variation))
        visit.comes = self.rng.random() >= p.no_show_share
        if self.rng.random() < p.transfer_share and service != p.transfer_to:
            target = self.averages[self.services[p.transfer_to]]
            visit.transfer_seconds = service_seconds(self.rng, target, p.variation)
        return visit

    def _book(self) -> None:
        """Bookings made the evening before, each with how its visitor will come."""
        p = self.profile
        self.clock.now = self._at(time(0)) - timedelta(hours=6)
        for index in range(p.bookings):
            code_name = p.booking_services[index % len(p.booking_services)]
            service_id = self.services[code_name]
            first, last = self._at(p.booking_hours[0]), self._at(p.booking_hours[1])
            slots = [
                s.start
                for s in self.booking_ops.slots(service_id, p.day, online=True)
                if s.free > 0 and first <= s.start < last
            ]
            if not slots:
                continue
            start = self.rng.choice(slots)
            phone = f"+38067{self.seed % 1000:03d}{index:04d}"
            view = self.booking_ops.create(None, service_id, start, "Відвідувач", phone)
            roll = self.rng.random()
            if roll < p.booking_no_show_share:
                continue
            if roll < p.booking_no_show_share + p.booking_late_share:
                arrive = start + timedelta(minutes=self.rng.uniform(6, 20))
            else:
                arrive = start - timedelta(minutes=self.rng.uniform(0, 15))
            self.schedule(arrive, "check_in", view.booking.code, self._draw_visit(code_name))

    # -- running -----------------------------------------------------------------------------

    def run(self) -> Result:
        self._plan_day()
        handlers: dict[str, Callable[..., None]] = {
            "arrive": self._arrive,
            "check_in": self._check_in,
            "open": self._open,
            "close": self._close,
            "break": self._break,
            "call": self._call,
            "start": self._start,
            "finish": self._finish,
            "transfer": self._transfer,
            "recall": self._recall,
            "no_show": self._no_show,
            "pause": self._pause,
            "resume": self._resume,
            "sweep": self._sweep,
        }
        while self.queue:
            when, _order, kind, args = heapq.heappop(self.queue)
            self.clock.now = max(self.clock.now, when)
            handlers[kind](*args)
        return self._result()

    def _issued(self, issued: Issued, visit: _Visit) -> None:
        ticket = issued.ticket
        self.plans[ticket.id] = visit
        legacy = legacy_estimate(issued.inputs) if issued.inputs else issued.estimated_wait_minutes
        self.estimates[ticket.id] = Estimate(
            ticket.id,
            ticket.issued_at.astimezone(ZONE).hour,
            ticket.service_id,
            issued.estimated_wait_minutes,
            legacy,
            ticket.issued_at,
        )
        self._wake(ticket.service_id)

    def _arrive(self, visit: _Visit, _deferred: bool) -> None:
        if self.paused:  # the kiosk does not issue: they wait at the door
            self.deferred.append(("arrive", (visit, True)))
            return
        priority = self.rng.random() < self.profile.priority_share
        service_id = self.services[visit.service]
        try:
            issued = self.tickets.issue(
                self.kiosk, self.kiosk.branch_id or 1, service_id, priority=priority
            )
        except BranchPaused:
            self.deferred.append(("arrive", (visit, True)))
            return
        except DomainError:
            self.lost += 1
            return
        self._issued(issued, visit)

    def _check_in(self, code: str, visit: _Visit) -> None:
        if self.paused:
            self.deferred.append(("check_in", (code, visit)))
            return
        try:
            checked = self.booking_ops.check_in(self.kiosk, code)
        except BranchPaused:
            self.deferred.append(("check_in", (code, visit)))
            return
        except DomainError:
            self.lost += 1
            return
        self._issued(checked.issued, visit)

    def _wake(self, service_id: int | None = None) -> None:
        for window in sorted(self.idle):
            if service_id is None or service_id in self.serves.get(window, set()):
                self.idle.discard(window)
                self.schedule(self.clock.now, "call", window)

    def _open(self, window: int) -> None:
        self.counters.open(self.clerks[window], window)
        self.idle.add(window)
        self._wake()

    def _close(self, window: int) -> None:
        self.closing.add(window)
        if window in self.idle:
            self.idle.discard(window)
            self.counters.close(self.clerks[window], window)

    def _break(self, window: int, minutes: int) -> None:
        self.break_due.add(window)
        self.break_minutes[window] = minutes
        if window in self.idle:
            self.idle.discard(window)
            self._take_break(window)

    def _take_break(self, window: int) -> None:
        self.break_due.discard(window)
        self.counters.pause(self.clerks[window], window)
        minutes = self.break_minutes.pop(window, 30)
        self.schedule(self.clock.now + timedelta(minutes=minutes), "open", window)

    def _free(self, window: int) -> None:
        """The window's visitor is done: close, take the break, or call the next."""
        if window in self.closing:
            self.counters.close(self.clerks[window], window)
        elif window in self.break_due:
            self._take_break(window)
        else:
            self.schedule(self.clock.now, "call", window)

    def _call(self, window: int) -> None:
        if window in self.closing or window in self.break_due:
            self._free(window)
            return
        try:
            called = self.tickets.call_next(self.clerks[window], window)
        except BranchPaused:
            self.idle.add(window)
            return
        if called is None:
            self.idle.add(window)
            return
        ticket = called.ticket
        estimate = self.estimates.get(ticket.id)
        if estimate is not None and estimate.called_at is None:
            estimate.called_at = self.clock.now
        visit = self.plans.get(ticket.id) or self._draw_visit()
        if visit.comes:
            walk = timedelta(seconds=self.profile.walk_seconds)
            self.schedule(self.clock.now + walk, "start", window, ticket.id)
        else:
            self.schedule(self.clock.now + timedelta(minutes=1), "recall", window, ticket.id)

    def _recall(self, window: int, ticket_id: int) -> None:
        with contextlib.suppress(DomainError):  # paused or out of recalls: a no-show follows
            self.tickets.act(self.clerks[window], ticket_id, "recall")
        self.schedule(self.clock.now + timedelta(minutes=1), "no_show", window, ticket_id)

    def _no_show(self, window: int, ticket_id: int) -> None:
        self.tickets.act(self.clerks[window], ticket_id, "no_show")
        self._free(window)

    def _start(self, window: int, ticket_id: int) -> None:
        self.tickets.act(self.clerks[window], ticket_id, "start")
        visit = self.plans[ticket_id]
        done = self.clock.now + timedelta(seconds=visit.seconds)
        step = "transfer" if visit.transfer_seconds is not None else "finish"
        self.schedule(done, step, window, ticket_id)

    def _finish(self, window: int, ticket_id: int) -> None:
        self.tickets.finish(self.clerks[window], ticket_id)
        self._free(window)

    def _transfer(self, window: int, ticket_id: int) -> None:
        target = self.services[self.profile.transfer_to]
        self.tickets.transfer(self.clerks[window], ticket_id, service_id=target)
        visit = self.plans[ticket_id]
        seconds = visit.transfer_seconds or visit.seconds
        self.plans[ticket_id] = _Visit(self.profile.transfer_to, seconds)
        self._wake(target)
        self._free(window)

    def _pause(self) -> None:
        self.branches.pause(self.head, self.head.branch_id or 1, "Повітряна тривога")
        self.paused = True

    def _resume(self) -> None:
        self.branches.resume(self.head, self.head.branch_id or 1)
        self.paused = False
        waiting, self.deferred = self.deferred, []
        for kind, args in waiting:
            self.schedule(self.clock.now, kind, *args)
        self._wake()

    def _sweep(self) -> None:
        self.booking_ops.sweep_all()

    def _result(self) -> Result:
        called = [e for e in self.estimates.values() if e.actual_minutes is not None]
        waits = summarise((e.actual_minutes or 0.0) * 60.0 for e in called)
        return Result(
            issued=len(self.estimates),
            called=len(called),
            waits=waits,
            estimate=estimate_error((e.given, e.actual_minutes or 0.0) for e in called),
            legacy=estimate_error((e.legacy, e.actual_minutes or 0.0) for e in called),
            estimates=list(self.estimates.values()),
            seed=self.seed,
            day=self.profile.day,
            lost=self.lost,
        )


def simulate(url: str, profile: Profile | None = None, seed: int = 1) -> Result:
    """Prepare the sample centre in the database at `url` and run the day on it."""
    db = prepare(url)
    try:
        return Simulation(db, profile or Profile(), seed).run()
    finally:
        db.dispose()


__all__ = [
    "Estimate",
    "Profile",
    "Result",
    "Simulation",
    "WindowPlan",
    "as_json",
    "describe",
    "prepare",
    "simulate",
]
