"""The reports as the API gives them (`/api/v1/reports`): the console's tables as JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from cherha.core.periods import Bucket
from cherha.core.reports import Breakdown, Kind

from .base import Reply


class ReportColumn(Reply):
    key: str
    uk: str
    en: str
    kind: Kind


class Report(Reply):
    """One report for one period, grouping and breakdown."""

    name: str
    title: dict[str, str] = Field(description="{'uk': …, 'en': …}")
    period: dict[str, date] = Field(description="{'from': YYYY-MM-DD, 'to': YYYY-MM-DD}")
    by: Bucket
    breakdown: Breakdown
    columns: tuple[ReportColumn, ...]
    rows: tuple[dict[str, Any], ...] = Field(
        description="Values as the console shows them: counts, minutes and percentages to one "
        "decimal, keyed by the columns' keys"
    )
    notes: tuple[dict[str, str], ...]


class ReportInfo(Reply):
    """A report the API and the console offer, with its defaults."""

    name: str
    title: dict[str, str]
    about: dict[str, str]
    by: Bucket
    breakdown: Breakdown
    breakdowns: tuple[Breakdown, ...]


class Staffing(Reply):
    """Windows to open each hour of a weekday (Erlang C), next to those that were open."""

    weekday: int = Field(description="0 Monday … 6 Sunday")
    days: tuple[date, ...] = Field(description="The past days the arrivals were taken from")
    target_minutes: float
    share: float = Field(description="The share (0…1) that should wait under the target")
    service_minutes: float | None
    columns: tuple[ReportColumn, ...]
    rows: tuple[dict[str, Any], ...]
