"""Reports on time itself: the centre's pauses and windows' breaks, the windows open each hour,
and staffing advice (Erlang C) set beside them."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cherha.core.periods import WEEKDAY_NAMES, Bucket, Period, calendar_of, local_midnight
from cherha.core.reports import Breakdown, Column, Kind, Table
from cherha.core.staffing import windows_needed

from .models import Service
from .report_models import ReportInterval, ReportVisit
from .report_query import Labels, ReportQuery, key_of, sort_key

DEFAULT_TARGET_MINUTES = 15
DEFAULT_SHARE = 0.8


def intervals_within(
    session: Session, branch_id: int, kinds: tuple[str, ...], start: datetime, end: datetime
) -> list[ReportInterval]:
    """Intervals of these kinds overlapping [start, end) (open ones included)."""
    return list(
        session.scalars(
            select(ReportInterval)
            .where(
                ReportInterval.branch_id == branch_id,
                ReportInterval.kind.in_(kinds),
                ReportInterval.started_at < end,
                or_(ReportInterval.ended_at.is_(None), ReportInterval.ended_at > start),
            )
            .order_by(ReportInterval.started_at)
        )
    )


def pauses(session: Session, q: ReportQuery, now: datetime) -> Table:
    """Centre pauses (air-raid alerts, power cuts) and windows' breaks, with their minutes.

    Each pause counts in the bucket it started in; its minutes are those inside the period
    (one still going counts up to now).
    """
    by_window = q.breakdown in (Breakdown.COUNTER, Breakdown.CLERK)
    heading = {Breakdown.COUNTER: ("Вікно", "Window"), Breakdown.CLERK: ("Працівник", "Clerk")}
    uk, en = heading.get(q.breakdown, ("Центр", "Centre"))
    table = Table(
        "pauses",
        ("Паузи і перерви", "Pauses and breaks"),
        [
            Column("period", "Період", "Period", Kind.TEXT),
            Column("group", uk, en, Kind.TEXT),
            Column("pauses", "Пауз центру", "Centre pauses"),
            Column("pause_minutes", "Хвилин паузи центру", "Centre pause, min", Kind.DECIMAL),
            Column("breaks", "Перерв вікон", "Window breaks"),
            Column("break_minutes", "Хвилин перерв", "Breaks, min", Kind.DECIMAL),
        ],
        notes=[
            (
                "Пауза центру зупиняє всі вікна (повітряна тривога, знеструмлення).",
                "A centre pause stops every window (air-raid alert, power cut).",
            )
        ],
    )
    start, end = q.period.utc_range(q.zone)
    zone = ZoneInfo(q.zone)
    groups: dict[tuple[Any, Any], list[float]] = defaultdict(lambda: [0, 0.0, 0, 0.0])
    for interval in intervals_within(session, q.branch_id, ("pause", "break"), start, end):
        began = max(interval.started_at, start)
        finished = min(interval.ended_at or now, end)
        minutes = max(0.0, (finished - began).total_seconds() / 60.0)
        day, week, month, weekday, hour = calendar_of(interval.started_at, zone)
        bucket = {
            Bucket.TOTAL: 0,
            Bucket.DAY: day,
            Bucket.WEEK: week,
            Bucket.MONTH: month,
            Bucket.WEEKDAY: weekday,
            Bucket.HOUR: hour,
        }[q.bucket]
        if interval.kind == "pause":
            group: Any = "весь центр / whole centre" if by_window else 0
            cell = groups[(bucket, group)]
            cell[0] += 1
            cell[1] += minutes
        else:
            if q.breakdown is Breakdown.COUNTER:
                group = interval.counter_number
            elif q.breakdown is Breakdown.CLERK:
                group = interval.clerk or "—"
            else:
                group = 0
            cell = groups[(bucket, group)]
            cell[2] += 1
            cell[3] += minutes
    labels = Labels(session, _as_centre(q) if not by_window else q)
    for key in sorted(groups, key=sort_key):
        bucket, group = key_of(key[0], key[1], q)
        n_pauses, pause_minutes, n_breaks, break_minutes = groups[key]
        shown = group if isinstance(group, str) else labels.group(group)
        table.add([labels.bucket(bucket), shown, n_pauses, pause_minutes, n_breaks, break_minutes])
    return table


def _as_centre(q: ReportQuery) -> ReportQuery:
    return ReportQuery(q.branch_id, q.zone, q.period, q.bucket, Breakdown.CENTRE, q.service_id)


def open_windows_by_hour(
    session: Session, branch_id: int, zone: str, days: list[date], now: datetime
) -> dict[int, float]:
    """The windows open in each hour of day, on average over `days` (time-weighted: a window
    open half an hour counts one half)."""
    if not days:
        return {}
    tz = ZoneInfo(zone)
    totals: dict[int, float] = defaultdict(float)
    for day in days:
        start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
        for interval in intervals_within(session, branch_id, ("open",), start, end):
            began = max(interval.started_at, start)
            finished = min(interval.ended_at or now, end)
            moment = began
            while moment < finished:
                local = moment.astimezone(tz)
                hour_end = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
                step_end = min(finished, hour_end.astimezone(UTC))
                totals[local.hour] += (step_end - moment).total_seconds() / 3600.0
                moment = step_end
    return {hour: value / len(days) for hour, value in totals.items()}


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    weekday: int
    days: list[date]
    """The past days of that weekday the advice learned from (those with visitors)."""
    target_minutes: float
    share: float
    service_minutes: float | None
    table: Table


def past_weekdays(today: date, weekday: int, weeks: int) -> list[date]:
    """The last `weeks` dates falling on `weekday`, before today."""
    back = (today.weekday() - weekday) % 7 or 7
    latest = today - timedelta(days=back)
    return [latest - timedelta(weeks=i) for i in range(weeks)]


def staffing(
    session: Session,
    branch_id: int,
    zone: str,
    today: date,
    now: datetime,
    *,
    weekday: int,
    weeks: int = 4,
    target_minutes: float | None = None,
    share: float = DEFAULT_SHARE,
) -> StaffingPlan:
    """Windows to open each hour of a weekday so that `share` wait at most the target, from
    the last weeks' arrivals and service times, beside the windows that were open."""
    candidates = past_weekdays(today, weekday, weeks)
    v = ReportVisit
    counts = session.execute(
        select(v.day, v.hour, func.count())
        .where(v.branch_id == branch_id, v.day.in_(candidates))
        .group_by(v.day, v.hour)
    ).all()
    days = sorted({_as_date(d) for d, _h, _n in counts})
    per_hour: dict[int, int] = defaultdict(int)
    for _d, hour, n in counts:
        per_hour[hour] += n
    mean_service = session.scalar(
        select(func.avg(v.service_seconds)).where(
            v.branch_id == branch_id,
            v.day.in_(candidates),
            v.service_seconds.is_not(None),
            v.outcome.in_(("served", "transferred")),
        )
    )
    service_minutes = float(mean_service) / 60.0 if mean_service else None
    target = target_minutes if target_minutes is not None else _centre_target(session, branch_id)
    actual = open_windows_by_hour(session, branch_id, zone, days, now)
    table = Table(
        "staffing",
        ("Скільки вікон відкривати", "Windows to open"),
        [
            Column("hour", "Година", "Hour", Kind.TEXT),
            Column("arrivals", "Приходить за годину", "Arrivals per hour", Kind.DECIMAL),
            Column("load", "Навантаження, ерланг", "Load, erlangs", Kind.DECIMAL),
            Column("advised", "Порада: вікон", "Advised windows"),
            Column("advised_within", "Дочекаються в межах цілі", "Within target", Kind.PERCENT),
            Column("mean_wait", "Середнє очікування, хв", "Mean wait, min", Kind.DECIMAL),
            Column("open", "Було відкрито в середньому", "Open on average", Kind.DECIMAL),
        ],
        notes=[
            (
                f"Ціль: {share:.0%} чекають не довше {target:g} хв. Модель Ерланга C (M/M/c).",
                f"Target: {share:.0%} wait at most {target:g} min. Erlang C model (M/M/c).",
            )
        ],
    )
    hours = sorted(set(per_hour) | {h for h, value in actual.items() if value > 0.01})
    for hour in hours:
        rate = per_hour.get(hour, 0) / len(days) if days else 0.0
        label = f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"
        if service_minutes is None:
            table.add([label, rate, None, None, None, None, actual.get(hour, 0.0)])
            continue
        advice = windows_needed(rate, service_minutes, target, share)
        mean_wait = advice.mean_wait_minutes if advice.windows else 0.0
        table.add(
            [
                label,
                rate,
                advice.load,
                advice.windows,
                advice.share_within,
                mean_wait,
                actual.get(hour, 0.0),
            ]
        )
    return StaffingPlan(weekday, days, target, share, service_minutes, table)


def _centre_target(session: Session, branch_id: int) -> float:
    """The median of the active services' wait targets; 15 minutes where none is set."""
    targets = [
        t
        for t in session.scalars(
            select(Service.wait_target_minutes).where(
                Service.branch_id == branch_id, Service.active.is_(True)
            )
        )
        if t
    ]
    return float(statistics.median(targets)) if targets else float(DEFAULT_TARGET_MINUTES)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


__all__ = ["WEEKDAY_NAMES", "Period", "StaffingPlan", "pauses", "staffing"]
