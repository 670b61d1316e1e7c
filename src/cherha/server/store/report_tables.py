"""The reports on visits and bookings, each a `core.reports.Table` built from the projections.

Counts are summed by the database (GROUP BY the period's bucket and the breakdown); waits and
service times are read as values and summarised here (medians and percentiles need them all).
Definitions: docs/reports.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from cherha.core.periods import WEEKDAY_NAMES
from cherha.core.reports import Breakdown, Column, Kind, Table, estimate_error, summarise

from .report_models import ReportBooking, ReportVisit
from .report_query import (
    GROUP_HEADINGS,
    GroupKey,
    Labels,
    ReportQuery,
    bucket_column,
    group_column,
    grouped,
    key_of,
    keyed,
    sort_key,
    visits_where,
)

Builder = Callable[[Session, ReportQuery], Table]


def _head(q: ReportQuery) -> list[Column]:
    uk, en = GROUP_HEADINGS[q.breakdown]
    return [
        Column("period", "Період", "Period", Kind.TEXT),
        Column("group", uk, en, Kind.TEXT),
    ]


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


FIRST = ReportVisit.seq == 0


def visitors(session: Session, q: ReportQuery) -> Table:
    """Tickets issued and what became of them."""
    table = Table(
        "visitors",
        ("Відвідувачі", "Visitors"),
        [
            *_head(q),
            Column("issued", "Видано талонів", "Tickets issued"),
            Column("walk_in", "Живої черги", "Walk-in"),
            Column("priority", "Пільгових", "Priority"),
            Column("booked", "За записом", "From bookings"),
            Column("served", "Обслуговано", "Served"),
            Column("no_show", "Не підійшли", "No-shows"),
            Column("cancelled", "Скасовано", "Cancelled"),
            Column("expired", "Не викликано до кінця дня", "Expired"),
            Column("transferred", "Переведено", "Transferred"),
            Column("open", "Ще в черзі чи у вікні", "Still waiting or at a window"),
        ],
    )
    v = ReportVisit
    rows = session.execute(
        grouped(
            q,
            _count(FIRST),
            _count(and_(FIRST, v.lane == "ordinary", v.source == "walk_in")),
            _count(and_(FIRST, v.lane == "priority")),
            _count(and_(FIRST, v.source.in_(("booking", "booking_late")))),
            _count(v.outcome == "served"),
            _count(v.outcome == "no_show"),
            _count(v.outcome == "cancelled"),
            _count(v.outcome == "expired"),
            _count(v.outcome == "transferred"),
            _count(v.outcome.in_(("waiting", "called", "serving"))),
        )
    ).all()
    labels = Labels(session, q)
    for row in sorted(rows, key=lambda r: sort_key(key_of(r[0], r[1], q))):
        key = key_of(row[0], row[1], q)
        table.add([labels.bucket(key[0]), labels.group(key[1]), *row[2:]])
    return table


def _values(
    session: Session, q: ReportQuery, value: Any, *conditions: Any
) -> tuple[dict[GroupKey, list[tuple[float, Any]]], Labels]:
    """Each group's (value, target seconds) pairs."""
    keys, _by = keyed(bucket_column(ReportVisit, q.bucket), group_column(q.breakdown))
    groups: dict[GroupKey, list[tuple[float, Any]]] = defaultdict(list)
    query: Select[Any] = select(*keys, value, ReportVisit.target_minutes).where(
        *visits_where(q), value.is_not(None), *conditions
    )
    for bucket, group, seconds, target in session.execute(query):
        groups[key_of(bucket, group, q)].append(
            (float(seconds), None if target is None else target * 60.0)
        )
    return groups, Labels(session, q)


def waits(session: Session, q: ReportQuery) -> Table:
    """How long visitors waited to be called (the last call, a recall counts)."""
    table = Table(
        "waits",
        ("Очікування", "Waiting time"),
        [
            *_head(q),
            Column("called", "Викликано", "Called"),
            Column("mean", "Середнє, хв", "Mean, min", Kind.MINUTES),
            Column("median", "Медіана, хв", "Median, min", Kind.MINUTES),
            Column("p90", "90-й процентиль, хв", "90th percentile, min", Kind.MINUTES),
            Column("max", "Найдовше, хв", "Longest, min", Kind.MINUTES),
            Column("within_target", "У межах цілі", "Within target", Kind.PERCENT),
        ],
    )
    groups, labels = _values(session, q, ReportVisit.wait_seconds)
    for key in sorted(groups, key=sort_key):
        pairs = groups[key]
        s = summarise((p[0] for p in pairs), [p[1] for p in pairs])
        table.add(
            [
                labels.bucket(key[0]),
                labels.group(key[1]),
                s.count,
                s.mean,
                s.median,
                s.p90,
                s.maximum,
                s.share_within_target,
            ]
        )
    return table


def service_times(session: Session, q: ReportQuery) -> Table:
    """How long a visit took at the window (started to finished or handed on)."""
    table = Table(
        "service_times",
        ("Час обслуговування", "Service time"),
        [
            *_head(q),
            Column("visits", "Обслуговувань", "Visits served"),
            Column("mean", "Середнє, хв", "Mean, min", Kind.MINUTES),
            Column("median", "Медіана, хв", "Median, min", Kind.MINUTES),
            Column("p90", "90-й процентиль, хв", "90th percentile, min", Kind.MINUTES),
        ],
    )
    groups, labels = _values(
        session,
        q,
        ReportVisit.service_seconds,
        ReportVisit.outcome.in_(("served", "transferred")),
    )
    for key in sorted(groups, key=sort_key):
        s = summarise(p[0] for p in groups[key])
        table.add([labels.bucket(key[0]), labels.group(key[1]), s.count, s.mean, s.median, s.p90])
    return table


def calls(session: Session, q: ReportQuery) -> Table:
    """First-come order at a glance: calls, out-of-order calls, recalls, returned no-shows."""
    table = Table(
        "calls",
        ("Виклики і черговість", "Calls and fairness"),
        [
            *_head(q),
            Column("calls", "Викликів", "Calls"),
            Column("out_of_order", "Поза чергою", "Out of order"),
            Column("out_of_order_share", "Частка поза чергою", "Share out of order", Kind.PERCENT),
            Column("recalls", "Повторних викликів", "Recalls"),
            Column("returned", "Повернуто після неявки", "Returned after a no-show"),
        ],
    )
    v = ReportVisit
    rows = session.execute(
        grouped(
            q,
            func.coalesce(func.sum(v.calls), 0),
            func.coalesce(func.sum(v.out_of_order), 0),
            func.coalesce(func.sum(v.recalls), 0),
            func.coalesce(func.sum(v.returned), 0),
        ).having(func.sum(v.calls) > 0)
    ).all()
    labels = Labels(session, q)
    for bucket, group, n_calls, out, recalls, returned in sorted(
        rows, key=lambda r: sort_key(key_of(r[0], r[1], q))
    ):
        key = key_of(bucket, group, q)
        share = out / n_calls if n_calls else None
        table.add(
            [labels.bucket(key[0]), labels.group(key[1]), n_calls, out, share, recalls, returned]
        )
    return table


def estimates(session: Session, q: ReportQuery) -> Table:
    """The wait estimate given at issuing against the time to the first call."""
    table = Table(
        "estimates",
        ("Точність прогнозу очікування", "Wait estimate accuracy"),
        [
            *_head(q),
            Column("tickets", "Талонів", "Tickets"),
            Column("estimated", "Прогноз у середньому, хв", "Mean estimate, min", Kind.DECIMAL),
            Column("actual", "Насправді в середньому, хв", "Mean actual, min", Kind.DECIMAL),
            Column("mae", "Середня похибка, хв", "Mean absolute error, min", Kind.DECIMAL),
            Column("bias", "Зсув, хв", "Bias, min", Kind.DECIMAL),
            Column("within_5", "У межах ±5 хв", "Within ±5 min", Kind.PERCENT),
        ],
        notes=[
            (
                "Зсув: додатний — прогноз довший за очікування, відʼємний — коротший.",
                "Bias: positive — estimates longer than the wait, negative — shorter.",
            )
        ],
    )
    keys, _by = keyed(bucket_column(ReportVisit, q.bucket), group_column(q.breakdown))
    v = ReportVisit
    groups: dict[GroupKey, list[tuple[float, float]]] = defaultdict(list)
    query: Select[Any] = select(*keys, v.estimate_minutes, v.issued_at, v.first_called_at).where(
        *visits_where(q), FIRST, v.estimate_minutes.is_not(None), v.first_called_at.is_not(None)
    )
    for bucket, group, estimate, issued, called in session.execute(query):
        actual = max(0.0, (called - issued).total_seconds() / 60.0)
        groups[key_of(bucket, group, q)].append((float(estimate), actual))
    labels = Labels(session, q)
    for key in sorted(groups, key=sort_key):
        pairs = groups[key]
        err = estimate_error(pairs)
        table.add(
            [
                labels.bucket(key[0]),
                labels.group(key[1]),
                err.count,
                sum(p[0] for p in pairs) / len(pairs),
                sum(p[1] for p in pairs) / len(pairs),
                err.mean_absolute,
                err.mean_signed,
                err.share_within,
            ]
        )
    return table


def arrivals(session: Session, q: ReportQuery) -> Table:
    """Tickets issued by weekday and hour of day (the heat map's numbers)."""
    rows = session.execute(
        select(ReportVisit.weekday, ReportVisit.hour, func.count())
        .where(*visits_where(q), FIRST)
        .group_by(ReportVisit.weekday, ReportVisit.hour)
    ).all()
    counts = {(w, h): n for w, h, n in rows}
    hours = sorted({h for _w, h in counts}) or list(range(8, 18))
    hours = list(range(min(hours), max(hours) + 1))
    table = Table(
        "arrivals",
        ("Прихід відвідувачів за днями і годинами", "Arrivals by weekday and hour"),
        [Column("weekday", "День тижня", "Weekday", Kind.TEXT)]
        + [Column(f"h{h:02d}", f"{h:02d}", f"{h:02d}") for h in hours]
        + [Column("total", "Усього", "Total")],
    )
    for weekday in range(7):
        values = [counts.get((weekday, h), 0) for h in hours]
        uk, en = WEEKDAY_NAMES[weekday]
        table.add([f"{uk} / {en}", *values, sum(values)])
    return table


def bookings(session: Session, q: ReportQuery) -> Table:
    """Bookings for slots in the period (by the slot's day), and what became of them."""
    breakdown = Breakdown.SERVICE if q.breakdown is Breakdown.SERVICE else Breakdown.CENTRE
    uk, en = GROUP_HEADINGS[breakdown]
    table = Table(
        "bookings",
        ("Записи на прийом", "Bookings"),
        [
            Column("period", "Період", "Period", Kind.TEXT),
            Column("group", uk, en, Kind.TEXT),
            Column("made", "Записано", "Made"),
            Column("cancelled", "Скасовано", "Cancelled"),
            Column("on_time", "Прийшли вчасно", "Checked in on time"),
            Column("late", "Запізнилися (жива черга)", "Late (became walk-ins)"),
            Column("no_show", "Не прийшли", "No-shows"),
            Column("pending", "Ще попереду", "Still ahead"),
            Column("used", "Використано місць", "Slots used", Kind.PERCENT),
        ],
        notes=[
            (
                "Використано місць: прийшли (вчасно чи із запізненням) ÷ записи, які не скасовано.",
                "Slots used: checked in (on time or late) ÷ bookings not cancelled.",
            )
        ],
    )
    bk = ReportBooking
    keys, by = keyed(
        bucket_column(bk, q.bucket), bk.service_id if breakdown is Breakdown.SERVICE else None
    )
    conditions = [bk.branch_id == q.branch_id, bk.day >= q.period.first, bk.day <= q.period.last]
    if q.service_id is not None:
        conditions.append(bk.service_id == q.service_id)
    query = (
        select(
            *keys,
            func.count(),
            _count(bk.state == "cancelled"),
            _count(and_(bk.state == "checked_in", bk.on_time.is_(True))),
            _count(and_(bk.state == "checked_in", bk.on_time.is_(False))),
            _count(bk.state == "no_show"),
            _count(bk.state == "booked"),
        )
        .where(*conditions)
        .group_by(*by)
        .having(func.count() > 0)
    )
    labels = Labels(session, ReportQuery(**{**_fields(q), "breakdown": breakdown}))
    for row in sorted(session.execute(query).all(), key=lambda r: sort_key(key_of(r[0], r[1], q))):
        key = key_of(row[0], row[1], q)
        made, cancelled, on_time, late = row[2], row[3], row[4], row[5]
        kept = made - cancelled
        used = (on_time + late) / kept if kept else None
        table.add([labels.bucket(key[0]), labels.group(key[1]), *row[2:], used])
    return table


def _fields(q: ReportQuery) -> dict[str, Any]:
    return {name: getattr(q, name) for name in q.__slots__}
