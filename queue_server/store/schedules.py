"""Load a service's working hours from the database into the core's WeeklySchedule."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.schedule import Interval, WeeklySchedule
from .models import ScheduleException, WorkingHours


def load_schedule(session: Session, branch_id: int, service_id: int | None) -> WeeklySchedule:
    """A service's own weekly hours if it has any, else the branch's; dated exceptions on top.

    A branch-wide exception (a public holiday) applies to every service; a service's own
    exception for the same date wins over it.
    """
    rows = session.scalars(
        select(WorkingHours).where(
            WorkingHours.branch_id == branch_id,
            or_(WorkingHours.service_id.is_(None), WorkingHours.service_id == service_id),
        )
    ).all()
    own = [r for r in rows if r.service_id is not None]
    chosen = own or [r for r in rows if r.service_id is None]
    weekly: dict[int, list[Interval]] = defaultdict(list)
    for row in chosen:
        weekly[row.weekday].append(Interval(row.opens, row.closes))

    exception_rows = session.scalars(
        select(ScheduleException).where(
            ScheduleException.branch_id == branch_id,
            or_(ScheduleException.service_id.is_(None), ScheduleException.service_id == service_id),
        )
    ).all()
    branch_days: dict[date, list[Interval]] = defaultdict(list)
    service_days: dict[date, list[Interval]] = defaultdict(list)
    for exc in exception_rows:
        intervals = (service_days if exc.service_id is not None else branch_days)[exc.day]
        if exc.opens is not None and exc.closes is not None:
            intervals.append(Interval(exc.opens, exc.closes))
    exceptions = {**branch_days, **service_days}
    return WeeklySchedule(
        weekly={d: tuple(sorted(v)) for d, v in weekly.items()},
        exceptions={d: tuple(sorted(v)) for d, v in exceptions.items()},
    )
