"""What a simulated day measured: waits, and the estimates given against the waits that came."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cherha.core.reports import EstimateError, WaitSummary, estimate_error


@dataclass
class Estimate:
    ticket_id: int
    hour: int
    service_id: int
    given: int
    legacy: int
    issued_at: datetime
    called_at: datetime | None = None

    @property
    def actual_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.issued_at).total_seconds() / 60.0


@dataclass
class Result:
    issued: int
    called: int
    waits: WaitSummary
    estimate: EstimateError
    legacy: EstimateError
    estimates: list[Estimate]
    seed: int
    day: date
    lost: int
    """Arrivals refused (outside hours)."""

    def by_hour(self) -> list[tuple[int, int, EstimateError, EstimateError]]:
        hours: dict[int, list[Estimate]] = {}
        for e in self.estimates:
            if e.actual_minutes is not None:
                hours.setdefault(e.hour, []).append(e)
        return [
            (
                hour,
                len(items),
                estimate_error((e.given, e.actual_minutes or 0.0) for e in items),
                estimate_error((e.legacy, e.actual_minutes or 0.0) for e in items),
            )
            for hour, items in sorted(hours.items())
        ]


def describe(result: Result) -> str:
    """The day in a few lines and a table per hour (Ukrainian, English beside)."""
    w = result.waits

    def minutes(value: float | None) -> str:
        return "—" if value is None else f"{value / 60.0:.1f}"

    def err(e: EstimateError) -> str:
        if not e.count:
            return "—"
        share = e.share_within or 0.0
        return f"MAE {e.mean_absolute:.1f} хв/min, ±5 хв/min: {share:.0%}, зсув/bias {e.mean_signed:+.1f}"

    lines = [
        f"Симуляція / simulation: {result.day.isoformat()}, seed {result.seed}",
        f"Талонів / tickets: {result.issued}, викликано / called: {result.called}, "
        f"не видано / refused: {result.lost}",
        f"Очікування / wait, хв/min: середнє/mean {minutes(w.mean)}, медіана/median "
        f"{minutes(w.median)}, p90 {minutes(w.p90)}, найдовше/max {minutes(w.maximum)}",
        f"Прогноз / estimate (now):    {err(result.estimate)}",
        f"Перше правило / first rule:  {err(result.legacy)}",
        "",
        "година/hour  талонів/tickets  MAE now  MAE first  ±5 now  ±5 first",
    ]
    for hour, count, now, first in result.by_hour():
        lines.append(
            f"{hour:02d}:00       {count:>8}  {now.mean_absolute or 0:>8.1f}  "
            f"{first.mean_absolute or 0:>9.1f}  {now.share_within or 0:>6.0%}  "
            f"{first.share_within or 0:>8.0%}"
        )
    return "\n".join(lines)


def as_json(result: Result) -> dict[str, Any]:
    def err(e: EstimateError) -> dict[str, Any]:
        return {
            "count": e.count,
            "mae_minutes": e.mean_absolute,
            "bias_minutes": e.mean_signed,
            "share_within_5_minutes": e.share_within,
        }

    return {
        "day": result.day.isoformat(),
        "seed": result.seed,
        "tickets": result.issued,
        "called": result.called,
        "refused": result.lost,
        "wait_seconds": {
            "mean": result.waits.mean,
            "median": result.waits.median,
            "p90": result.waits.p90,
            "max": result.waits.maximum,
        },
        "estimate": err(result.estimate),
        "first_rule": err(result.legacy),
        "hours": [
            {"hour": h, "tickets": n, "estimate": err(now), "first_rule": err(first)}
            for h, n, now, first in result.by_hour()
        ],
    }
