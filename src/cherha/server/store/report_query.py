"""What a report is asked for (period, grouping in time, breakdown) and the SQL pieces every
report shares: the period's rows of a projection, its group columns, and the groups' labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select
from sqlalchemy.orm import Session

from cherha.core.errors import Invalid
from cherha.core.periods import Bucket, Period, bucket_label
from cherha.core.reports import Breakdown

from .models import Service
from .report_models import ReportBooking, ReportVisit

BREAKDOWN_NAMES: dict[Breakdown, tuple[str, str]] = {
    Breakdown.CENTRE: ("увесь центр", "whole centre"),
    Breakdown.SERVICE: ("за послугами", "by service"),
    Breakdown.COUNTER: ("за вікнами", "by window"),
    Breakdown.CLERK: ("за працівниками", "by clerk"),
}
GROUP_HEADINGS: dict[Breakdown, tuple[str, str]] = {
    Breakdown.CENTRE: ("Центр", "Centre"),
    Breakdown.SERVICE: ("Послуга", "Service"),
    Breakdown.COUNTER: ("Вікно", "Window"),
    Breakdown.CLERK: ("Працівник", "Clerk"),
}


def parse_breakdown(text: str | None) -> Breakdown:
    try:
        return Breakdown(text or Breakdown.CENTRE.value)
    except ValueError:
        raise Invalid(
            f"Невідомий розподіл «{str(text)[:40]}»: {', '.join(b.value for b in Breakdown)}",
            f"Unknown breakdown '{str(text)[:40]}': {', '.join(b.value for b in Breakdown)}",
            code="bad_breakdown",
        ) from None


@dataclass(frozen=True, slots=True)
class ReportQuery:
    branch_id: int
    zone: str
    period: Period
    bucket: Bucket = Bucket.TOTAL
    breakdown: Breakdown = Breakdown.CENTRE
    service_id: int | None = None
    """Only this service (None: all)."""


GroupKey = tuple[Any, Any]
"""(bucket key, breakdown key) of a row."""


def bucket_column(table: type[ReportVisit] | type[ReportBooking], bucket: Bucket) -> Any:
    """The column a bucket groups by; None for the whole period."""
    if bucket is Bucket.TOTAL:
        return None
    return getattr(table, bucket.value)


def group_column(breakdown: Breakdown) -> Any:
    """The column a breakdown groups by; None for the whole centre."""
    if breakdown is Breakdown.SERVICE:
        return ReportVisit.service_id
    if breakdown is Breakdown.COUNTER:
        return ReportVisit.counter_number
    if breakdown is Breakdown.CLERK:
        return ReportVisit.clerk
    return None


def keyed(bucket: Any, group: Any) -> tuple[list[Any], list[Any]]:
    """The two key columns to select (a constant where there is none) and those to group by."""
    constant: Any = literal_column("0")
    selected = [
        (bucket if bucket is not None else constant).label("b"),
        (group if group is not None else constant).label("g"),
    ]
    return selected, [c for c in (bucket, group) if c is not None]


def visits_where(q: ReportQuery) -> list[ColumnElement[bool]]:
    conditions = [
        ReportVisit.branch_id == q.branch_id,
        ReportVisit.day >= q.period.first,
        ReportVisit.day <= q.period.last,
    ]
    if q.service_id is not None:
        conditions.append(ReportVisit.service_id == q.service_id)
    return conditions


def grouped(q: ReportQuery, *columns: Any) -> Select[Any]:
    """SELECT bucket, group, *columns FROM the period's visits GROUP BY bucket, group."""
    keys, by = keyed(bucket_column(ReportVisit, q.bucket), group_column(q.breakdown))
    return select(*keys, *columns).where(*visits_where(q)).group_by(*by)


def sort_key(key: GroupKey) -> tuple[Any, ...]:
    bucket, group = key
    return (_orderable(bucket), _orderable(group))


def _orderable(value: Any) -> tuple[int, Any]:
    """None last; numbers, dates and text each among their own kind."""
    if value is None:
        return (3, 0)
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, date):
        return (1, value.toordinal())
    return (2, str(value))


class Labels:
    """How a row's bucket and group read: dates and hours, and services by the name they had
    during the period (the newest within it), not the name they have today."""

    def __init__(self, session: Session, q: ReportQuery) -> None:
        self.q = q
        self.services: dict[int, tuple[str, str]] = {}
        if q.breakdown is Breakdown.SERVICE:
            newest = (
                select(ReportVisit.service_id, func.max(ReportVisit.id).label("newest"))
                .where(*visits_where(q))
                .group_by(ReportVisit.service_id)
                .subquery()
            )
            for service_id, uk, en in session.execute(
                select(ReportVisit.service_id, ReportVisit.service_uk, ReportVisit.service_en).join(
                    newest, ReportVisit.id == newest.c.newest
                )
            ):
                self.services[service_id] = (uk, en or uk)
            for service in session.scalars(select(Service).where(Service.branch_id == q.branch_id)):
                self.services.setdefault(service.id, (service.name_uk, service.name_en))

    def bucket(self, key: Any) -> str:
        uk, en = bucket_label(self.q.bucket, _as_date(key) if self._dated() else key)
        return uk if uk == en else f"{uk} / {en}"

    def group(self, key: Any) -> str:
        breakdown = self.q.breakdown
        if breakdown is Breakdown.CENTRE:
            return "усього / all"
        if breakdown is Breakdown.SERVICE:
            uk, en = self.services.get(int(key), (f"#{key}", f"#{key}"))
            return uk if uk == en or not en else f"{uk} / {en}"
        if breakdown is Breakdown.COUNTER:
            return "не викликано / not called" if key is None else f"{key}"
        return key or "— / none"

    def _dated(self) -> bool:
        return self.q.bucket in (Bucket.DAY, Bucket.WEEK, Bucket.MONTH)


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def key_of(bucket: Any, group: Any, q: ReportQuery) -> GroupKey:
    """Normalise a row's keys (SQLite hands dates back as text from a GROUP BY on a literal)."""
    if q.bucket in (Bucket.DAY, Bucket.WEEK, Bucket.MONTH) and bucket is not None:
        bucket = _as_date(bucket)
    return (bucket, group)
