"""Reports for the console, the API and open data: one entry point over the projections.

`Reports.table(name, query)` brings the projections up to date (`report_fold.refresh`) and
builds the named report; `staffing(...)` and `open_data(...)` likewise. The list of reports,
with the grouping each opens with, is `REPORTS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cherha.core.errors import Invalid, NotFound
from cherha.core.model import EventType
from cherha.core.numbering import local_day
from cherha.core.periods import Bucket, Period
from cherha.core.reports import Breakdown, Table

from ..auth import Principal
from . import report_outcomes, report_tables, report_time
from .audit import record_audit
from .clock import Clock, utcnow
from .db import Database
from .models import Branch, Event
from .records import get_branch, record_event
from .report_daily import open_data_rows
from .report_fold import refresh, summarise_days
from .report_models import ReportCursor, ReportDaily
from .report_query import ReportQuery


@dataclass(frozen=True, slots=True)
class ReportSpec:
    name: str
    title: tuple[str, str]
    about: tuple[str, str]
    bucket: Bucket
    breakdown: Breakdown
    build: Callable[[Session, ReportQuery, datetime], Table]
    breakdowns: tuple[Breakdown, ...] = tuple(Breakdown)


def _plain(
    builder: Callable[[Session, ReportQuery], Table],
) -> Callable[[Session, ReportQuery, datetime], Table]:
    return lambda session, q, _now: builder(session, q)


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            "visitors",
            ("Відвідувачі", "Visitors"),
            (
                "Видані талони (живі, пільгові, за записом) і що з ними сталося.",
                "Tickets issued (walk-in, priority, from bookings) and what became of them.",
            ),
            Bucket.DAY,
            Breakdown.CENTRE,
            _plain(report_tables.visitors),
        ),
        ReportSpec(
            "waits",
            ("Очікування", "Waiting time"),
            (
                "Від талона до виклику (останнього, якщо викликали повторно).",
                "From the ticket to the call (the last one, when recalled).",
            ),
            Bucket.HOUR,
            Breakdown.CENTRE,
            _plain(report_tables.waits),
        ),
        ReportSpec(
            "service_times",
            ("Час обслуговування", "Service time"),
            ("Від початку обслуговування до завершення.", "From starting service to finishing."),
            Bucket.TOTAL,
            Breakdown.SERVICE,
            _plain(report_tables.service_times),
        ),
        ReportSpec(
            "bookings",
            ("Записи", "Bookings"),
            (
                "Записи на прийом за днем візиту: прийшли вчасно, запізнилися, не прийшли.",
                "Bookings by the day of the visit: on time, late, no-shows.",
            ),
            Bucket.DAY,
            Breakdown.CENTRE,
            _plain(report_tables.bookings),
            (Breakdown.CENTRE, Breakdown.SERVICE),
        ),
        ReportSpec(
            "outcomes",
            ("Результати", "Outcomes"),
            (
                "Що стало з візитом, за списком центру: обслуговано, потрібен ще візит …",
                "What came of a visit, from the centre's list: served, another visit needed …",
            ),
            Bucket.TOTAL,
            Breakdown.SERVICE,
            _plain(report_outcomes.outcomes),
        ),
        ReportSpec(
            "calls",
            ("Черговість", "Fairness"),
            (
                "Виклики поза чергою (з причиною в журналі), повторні виклики, повернення.",
                "Out-of-order calls (their reasons are in the audit), recalls, returns.",
            ),
            Bucket.DAY,
            Breakdown.COUNTER,
            _plain(report_tables.calls),
        ),
        ReportSpec(
            "pauses",
            ("Паузи", "Pauses"),
            (
                "Паузи центру (тривоги) і перерви вікон з тривалістю.",
                "Centre pauses (alerts) and windows' breaks with their durations.",
            ),
            Bucket.DAY,
            Breakdown.CENTRE,
            report_time.pauses,
            (Breakdown.CENTRE, Breakdown.COUNTER, Breakdown.CLERK),
        ),
        ReportSpec(
            "arrivals",
            ("Прихід за годинами", "Arrivals by hour"),
            (
                "Скільки талонів видано в кожну годину кожного дня тижня.",
                "Tickets issued in each hour of each weekday.",
            ),
            Bucket.TOTAL,
            Breakdown.CENTRE,
            _plain(report_tables.arrivals),
            (Breakdown.CENTRE,),
        ),
        ReportSpec(
            "estimates",
            ("Точність прогнозу", "Estimate accuracy"),
            (
                "Прогноз очікування на талоні проти часу до виклику.",
                "The wait estimate on the ticket against the time to the call.",
            ),
            Bucket.HOUR,
            Breakdown.SERVICE,
            _plain(report_tables.estimates),
            (Breakdown.CENTRE, Breakdown.SERVICE),
        ),
    )
}


def report_spec(name: str) -> ReportSpec:
    spec = REPORTS.get(name)
    if spec is None:
        raise NotFound(
            f"Звіту «{name[:40]}» немає: {', '.join(REPORTS)}",
            f"There is no report '{name[:40]}': {', '.join(REPORTS)}",
            code="no_report",
        )
    return spec


class Reports:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._refreshing = threading.Lock()

    # -- keeping up ----------------------------------------------------------------------------

    def refresh(self, branch_id: int) -> int:
        """Fold new events (a read first: nothing new takes no write lock)."""
        with self.db.read() as session:
            newest = session.scalar(select(func.max(Event.id)).where(Event.branch_id == branch_id))
            cursor = session.get(ReportCursor, branch_id)
        if newest is None or (cursor is not None and cursor.last_event_id >= newest):
            return 0
        with self._refreshing:
            # Beside the requests: the fold lets them have the interpreter between its chunks.
            return refresh(self.db, branch_id, self.clock, pause=time.sleep)

    def refresh_all(self) -> int:
        with self.db.read() as session:
            ids = list(session.scalars(select(Branch.id).order_by(Branch.id)))
        return sum(self.refresh(i) for i in ids)

    # -- reading -------------------------------------------------------------------------------

    def branch(self, branch_id: int) -> Branch:
        with self.db.read() as session:
            return get_branch(session, branch_id)

    def today(self, branch: Branch) -> date:
        return local_day(self.clock(), branch.timezone)

    def table(self, name: str, q: ReportQuery) -> Table:
        spec = report_spec(name)
        if q.breakdown not in spec.breakdowns:
            raise Invalid(
                f"Звіт «{spec.title[0]}» не розподіляється так: "
                f"{', '.join(b.value for b in spec.breakdowns)}",
                f"The report '{spec.title[1]}' has no such breakdown: "
                f"{', '.join(b.value for b in spec.breakdowns)}",
                code="bad_breakdown",
            )
        self.refresh(q.branch_id)
        with self.db.read() as session:
            return spec.build(session, q, self.clock())

    def staffing(
        self,
        branch_id: int,
        *,
        weekday: int,
        weeks: int = 4,
        target_minutes: float | None = None,
        share: float = report_time.DEFAULT_SHARE,
    ) -> report_time.StaffingPlan:
        if not 0 <= weekday <= 6:
            raise Invalid("День тижня — від 0 (пн) до 6 (нд)", "Weekday is 0 (Mon) to 6 (Sun)")
        if not 1 <= weeks <= 26:
            raise Invalid("Тижнів — від 1 до 26", "Weeks must be 1 to 26")
        if not 0.5 <= share <= 0.99:
            raise Invalid("Частка — від 50 до 99 %", "The share must be 50 to 99 %")
        if target_minutes is not None and not 1 <= target_minutes <= 480:
            raise Invalid("Ціль — від 1 до 480 хв", "The target must be 1 to 480 min")
        self.refresh(branch_id)
        with self.db.read() as session:
            branch = get_branch(session, branch_id)
            now = self.clock()
            return report_time.staffing(
                session,
                branch_id,
                branch.timezone,
                local_day(now, branch.timezone),
                now,
                weekday=weekday,
                weeks=weeks,
                target_minutes=target_minutes,
                share=share,
            )

    def open_data(self, branch_id: int, period: Period | None = None) -> tuple[Period, list[dict]]:  # type: ignore[type-arg]
        """Finished days' rows (suppressed) for the period; default the last 365 days."""
        if not self.refresh(branch_id):
            summarise_days(self.db, branch_id, self.clock)  # a day may have ended since
        with self.db.read() as session:
            branch = get_branch(session, branch_id)
            yesterday = local_day(self.clock(), branch.timezone) - timedelta(days=1)
            if period is None:
                period = Period(yesterday - timedelta(days=364), yesterday)
            last = min(period.last, yesterday)
            rows = (
                open_data_rows(session, branch_id, period.first, last)
                if last >= period.first
                else []
            )
            return period, rows

    def set_open_data(self, who: Principal, branch_id: int, on: bool) -> Branch:
        """Publish the daily statistics at /open-data/, or stop; audited with before and after."""
        with self.db.write(branch_id) as session:
            now = self.clock()
            branch = get_branch(session, branch_id)
            before = branch.open_data
            branch.open_data = on
            record_audit(
                session,
                at=now,
                actor=who.actor,
                action="open_data_changed",
                target=branch.code,
                branch_id=branch_id,
                data={"before": {"open_data": before}, "after": {"open_data": on}},
            )
            record_event(
                session,
                branch_id=branch_id,
                type_=EventType.CONFIG_CHANGED,
                at=now,
                actor=who.actor,
                data={"what": "open_data", "id": branch_id},
            )
            return branch

    def summarised_through(self, branch_id: int) -> date | None:
        with self.db.read() as session:
            return session.scalar(
                select(func.max(ReportDaily.day)).where(ReportDaily.branch_id == branch_id)
            )
