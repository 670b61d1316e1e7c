"""The arithmetic of reports: percentiles, wait summaries, estimate error, suppression of small
counts, and the table every report is shown, downloaded and served as.

Pure: the store hands in numbers, this module hands back numbers and their text. The page, the
CSV and the XLSX all take a cell's value through `cell_value`, so the three show the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SUPPRESS_BELOW = 5
"""Open data publishes no count from 1 to 4 (nor a figure computed from so few visits)."""
ESTIMATE_TOLERANCE_MINUTES = 5.0
"""An estimate «within ±5 minutes» of the wait that came."""


class Breakdown(StrEnum):
    """Whom a report's rows are for: the whole centre, or each service, window or clerk."""

    CENTRE = "centre"
    SERVICE = "service"
    COUNTER = "counter"
    CLERK = "clerk"


def percentile(values: Sequence[float], share: float) -> float | None:
    """The `share` (0…1) quantile with linear interpolation between ranks (as PostgreSQL's
    percentile_cont and Excel's PERCENTILE.INC): the median of 1, 2, 3, 4 is 2.5.

    `values` must be sorted; None for none.
    """
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be within 0 and 1")
    if not values:
        return None
    position = (len(values) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    fraction = position - low
    return float(values[low]) + (float(values[high]) - float(values[low])) * fraction


@dataclass(frozen=True, slots=True)
class WaitSummary:
    """Waiting (or service) times of a group of visits, in seconds."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None
    maximum: float | None
    with_target: int = 0
    within_target: int = 0

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.with_target if self.with_target else None


def summarise(
    seconds: Iterable[float], targets: Iterable[float | None] | None = None
) -> WaitSummary:
    """Count, mean, median, 90th percentile and maximum; with targets (seconds, one per value,
    None where the service has none), how many of those with a target were within it."""
    values = list(seconds)
    with_target = within = 0
    if targets is not None:
        for value, target in zip(values, targets, strict=True):
            if target is not None:
                with_target += 1
                within += value <= target
    if not values:
        return WaitSummary(0, None, None, None, None, with_target, within)
    ordered = sorted(values)
    return WaitSummary(
        count=len(ordered),
        mean=math.fsum(ordered) / len(ordered),
        median=percentile(ordered, 0.5),
        p90=percentile(ordered, 0.9),
        maximum=float(ordered[-1]),
        with_target=with_target,
        within_target=within,
    )


@dataclass(frozen=True, slots=True)
class EstimateError:
    """How far the estimates given at issuing were from the waits that came (minutes)."""

    count: int
    mean_absolute: float | None
    mean_signed: float | None
    """Positive: estimates too long on average; negative: too short."""
    within_tolerance: int

    @property
    def share_within(self) -> float | None:
        return self.within_tolerance / self.count if self.count else None


def estimate_error(
    pairs: Iterable[tuple[float, float]], tolerance: float = ESTIMATE_TOLERANCE_MINUTES
) -> EstimateError:
    """Pairs of (estimated minutes, actual minutes)."""
    errors = [estimated - actual for estimated, actual in pairs]
    if not errors:
        return EstimateError(0, None, None, 0)
    return EstimateError(
        count=len(errors),
        mean_absolute=math.fsum(abs(e) for e in errors) / len(errors),
        mean_signed=math.fsum(errors) / len(errors),
        within_tolerance=sum(abs(e) <= tolerance for e in errors),
    )


def suppress(count: int | None, floor: int = SUPPRESS_BELOW) -> int | None:
    """A count fit to publish: None (an empty cell) for 1 … floor-1; 0 and larger stay."""
    if count is None or 0 < count < floor:
        return None
    return count


# -- the table every report is -----------------------------------------------------------------


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    MINUTES = "minutes"
    """Held in seconds, shown in minutes with one decimal."""
    DECIMAL = "decimal"
    """A number with one decimal (minutes of error, windows)."""
    PERCENT = "percent"
    """Held as a share 0…1, shown as a percentage with one decimal."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    uk: str
    en: str
    kind: Kind = Kind.COUNT

    @property
    def heading(self) -> str:
        return f"{self.uk} / {self.en}"


@dataclass
class Table:
    """A report: its columns and rows of raw values (seconds, shares, counts, labels)."""

    name: str
    title: tuple[str, str]
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def add(self, values: Sequence[Any]) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        self.rows.append(list(values))

    def cells(self) -> list[list[str]]:
        """Every cell as the page shows it."""
        return [
            [cell_text(v, c.kind) for v, c in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def values(self) -> list[list[Any]]:
        """Every cell as a spreadsheet holds it: the shown number, unrounded text never."""
        return [
            [cell_value(v, c.kind) for v, c in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def records(self) -> list[dict[str, Any]]:
        """Rows for JSON: keys as the columns', numbers as shown."""
        return [
            {c.key: cell_value(v, c.kind) for v, c in zip(row, self.columns, strict=True)}
            for row in self.rows
        ]

    def column(self, key: str) -> list[Any]:
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        return [row[index] for row in self.rows]


def cell_value(value: Any, kind: Kind) -> Any:
    """The value a cell shows, as a number (None for an empty cell)."""
    if value is None:
        return None
    if kind is Kind.TEXT:
        return str(value)
    if kind is Kind.COUNT:
        return int(value)
    if kind is Kind.MINUTES:
        return round(float(value) / 60.0, 1)
    if kind is Kind.PERCENT:
        return round(float(value) * 100.0, 1)
    return round(float(value), 1)


def cell_text(value: Any, kind: Kind) -> str:
    shown = cell_value(value, kind)
    if shown is None:
        return ""
    if isinstance(shown, float):
        return f"{shown:.1f}"
    return str(shown)
