"""Finished days summarised per service (`report_daily`), and the open-data rows read from them.

A day is summarised once, when it is over and every visit of it has ended; its row never
changes after that. The open-data file is these rows with small counts suppressed, so a year
is a few thousand rows however busy the centre was.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core.reports import SUPPRESS_BELOW, summarise, suppress

from .report_models import ReportDaily, ReportVisit


def daily_rows(
    session: Session, branch_id: int, first: date, last: date, days: set[date]
) -> list[ReportDaily]:
    """Summaries of `days` (within first … last), one per day and service."""
    v = ReportVisit
    groups: dict[tuple[date, int], _Day] = defaultdict(_Day)
    for (
        day,
        service_id,
        seq,
        outcome,
        wait,
        target,
        out_of_order,
        uk,
        en,
        row_id,
    ) in session.execute(
        select(
            v.day,
            v.service_id,
            v.seq,
            v.outcome,
            v.wait_seconds,
            v.target_minutes,
            v.out_of_order,
            v.service_uk,
            v.service_en,
            v.id,
        ).where(v.branch_id == branch_id, v.day >= first, v.day <= last)
    ):
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        if day not in days:
            continue
        g = groups[(day, service_id)]
        g.issued += seq == 0
        g.served += outcome == "served"
        g.out_of_order += out_of_order
        if wait is not None:
            g.waits.append(float(wait))
            g.targets.append(None if target is None else target * 60.0)
        if row_id > g.newest:
            g.newest, g.uk, g.en = row_id, uk, en
    rows = []
    for (day, service_id), g in sorted(groups.items()):
        s = summarise(g.waits, g.targets)
        rows.append(
            ReportDaily(
                branch_id=branch_id,
                day=day,
                service_id=service_id,
                service_uk=g.uk,
                service_en=g.en,
                issued=g.issued,
                served=g.served,
                waited=s.count,
                wait_median_seconds=None if s.median is None else round(s.median),
                wait_p90_seconds=None if s.p90 is None else round(s.p90),
                with_target=s.with_target,
                within_target=s.within_target,
                out_of_order=g.out_of_order,
            )
        )
    return rows


@dataclass
class _Day:
    issued: int = 0
    served: int = 0
    out_of_order: int = 0
    newest: int = -1
    uk: str = ""
    en: str = ""

    def __post_init__(self) -> None:
        self.waits: list[float] = []
        self.targets: list[float | None] = []


# -- open data -------------------------------------------------------------------------------

OPEN_DATA_FIELDS: list[dict[str, Any]] = [
    {
        "name": "date",
        "type": "date",
        "title": "Дата / Date",
        "description": "День у часовому поясі центру / The day in the centre's time zone",
    },
    {
        "name": "service_id",
        "type": "integer",
        "title": "Код послуги / Service id",
        "description": "Незмінний номер послуги в системі / The service's fixed number",
    },
    {
        "name": "service_name_uk",
        "type": "string",
        "title": "Послуга / Service (uk)",
        "description": "Назва послуги того дня / The service's name on that day",
    },
    {
        "name": "service_name_en",
        "type": "string",
        "title": "Service (en)",
        "description": "The service's English name on that day (may be empty)",
    },
    {
        "name": "tickets_issued",
        "type": "integer",
        "title": "Видано талонів / Tickets issued",
        "description": "Талони, видані на цю послугу (живі й за записом) / Tickets issued",
    },
    {
        "name": "tickets_served",
        "type": "integer",
        "title": "Обслуговано / Served",
        "description": "Візити, завершені у вікні / Visits finished at a window",
    },
    {
        "name": "wait_median_minutes",
        "type": "number",
        "title": "Медіана очікування, хв / Median wait, min",
        "description": "Від талона до виклику / From the ticket to the call",
    },
    {
        "name": "wait_p90_minutes",
        "type": "number",
        "title": "90-й процентиль очікування, хв / 90th percentile wait, min",
        "description": "9 з 10 чекали не довше / 9 in 10 waited no longer",
    },
    {
        "name": "share_within_target",
        "type": "number",
        "title": "Частка в межах цілі, % / Share within target, %",
        "description": (
            "Частка тих, хто дочекався виклику не довше за ціль послуги; порожньо, якщо цілі "
            "немає / Share called within the service's wait target; empty without a target"
        ),
    },
    {
        "name": "out_of_order_calls",
        "type": "integer",
        "title": "Викликів поза чергою / Out-of-order calls",
        "description": "Виклики не за порядком черги, з причиною / Calls out of turn, with a reason",
    },
]
"""The open-data file's columns (a Frictionless Table Schema's fields; docs/reports.md)."""


def open_data_rows(
    session: Session, branch_id: int, first: date, last: date
) -> list[dict[str, Any]]:
    """The finished days in first … last, per service, with every cell that rests on fewer
    than SUPPRESS_BELOW visits left empty (None)."""
    rows = []
    for d in session.scalars(
        select(ReportDaily)
        .where(
            ReportDaily.branch_id == branch_id, ReportDaily.day >= first, ReportDaily.day <= last
        )
        .order_by(ReportDaily.day, ReportDaily.service_id)
    ):
        enough_waits = d.waited >= SUPPRESS_BELOW
        enough_targets = d.with_target >= SUPPRESS_BELOW
        rows.append(
            {
                "date": d.day.isoformat(),
                "service_id": d.service_id,
                "service_name_uk": d.service_uk,
                "service_name_en": d.service_en,
                "tickets_issued": suppress(d.issued),
                "tickets_served": suppress(d.served),
                "wait_median_minutes": _minutes(d.wait_median_seconds) if enough_waits else None,
                "wait_p90_minutes": _minutes(d.wait_p90_seconds) if enough_waits else None,
                "share_within_target": (
                    round(100.0 * d.within_target / d.with_target, 1) if enough_targets else None
                ),
                "out_of_order_calls": suppress(d.out_of_order),
            }
        )
    return rows


def _minutes(seconds: int | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)
