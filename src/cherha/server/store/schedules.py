"""Load working hours from the database into the core's WeeklySchedule."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core.schedule import Interval, WeeklySchedule

from .models import ScheduleException, WorkingHours


def load_schedule(session: Session, branch_id: int, service_id: int | None) -> WeeklySchedule:
    """A service's own weekly hours if it has any, else the branch's; dated exceptions on top."""
    return load_schedules(session, branch_id, [service_id])[service_id]


def load_schedules(
    session: Session, branch_id: int, service_ids: Iterable[int | None]
) -> dict[int | None, WeeklySchedule]:
    """Schedules of several services of a branch in two queries.

    A service with weekly hours of its own uses them, others the branch's. A branch-wide
    exception (a public holiday) applies to every service; a service's own exception for the
    same date wins over it.
    """
    weekly: dict[int | None, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    for row in session.scalars(select(WorkingHours).where(WorkingHours.branch_id == branch_id)):
        weekly[row.service_id][row.weekday].append(Interval(row.opens, row.closes))
    dated: dict[int | None, dict[date, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    for exc in session.scalars(
        select(ScheduleException).where(ScheduleException.branch_id == branch_id)
    ):
        intervals = dated[exc.service_id][exc.day]  # touching the day marks it as an exception
        if exc.opens is not None and exc.closes is not None:
            intervals.append(Interval(exc.opens, exc.closes))

    schedules: dict[int | None, WeeklySchedule] = {}
    for service_id in service_ids:
        week = weekly.get(service_id) or weekly.get(None) or {}
        exceptions = (
            {**dated.get(None, {}), **dated.get(service_id, {})}
            if service_id
            else dated.get(None, {})
        )
        schedules[service_id] = WeeklySchedule(
            weekly={d: tuple(sorted(v)) for d, v in week.items()},
            exceptions={d: tuple(sorted(v)) for d, v in exceptions.items()},
        )
    return schedules


class ScheduleCache:
    """Schedules remembered for a few seconds per (branch, service).

    Issuing checks the hours for every ticket, and hours only change when an administrator
    loads a centre file or edits them in the console; this process forgets them at once on an
    edit (`clear`), another server instance within `seconds`.
    """

    def __init__(self, seconds: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._known: dict[tuple[int, int | None], tuple[WeeklySchedule, float]] = {}

    def get(self, session: Session, branch_id: int, service_id: int | None) -> WeeklySchedule:
        key = (branch_id, service_id)
        now = self.clock()
        with self._lock:
            cached = self._known.get(key)
        if cached is not None and now < cached[1]:
            return cached[0]
        schedule = load_schedule(session, branch_id, service_id)
        with self._lock:
            self._known[key] = (schedule, now + self.seconds)
        return schedule

    def clear(self) -> None:
        """Forget every schedule (the console changed hours: new tickets follow at once)."""
        with self._lock:
            self._known.clear()
