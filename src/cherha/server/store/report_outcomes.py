"""The report of what came of finished visits: the clerk's outcome from the centre's list.

A row per period bucket, group (centre, service, window, clerk) and outcome. Only visits
finished at a window count (the «Served» of the visitors report, which they add up to): an
outcome is recorded when finishing, never for a no-show, a cancellation or a transfer.
Definitions: docs/reports.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cherha.core.reports import Column, Kind, Table

from .models import Outcome
from .report_models import ReportVisit
from .report_query import (
    GROUP_HEADINGS,
    GroupKey,
    Labels,
    ReportQuery,
    grouped,
    key_of,
    sort_key,
)

NOT_RECORDED = ("не вказано", "not recorded")
RETIRED = ("вилучено", "retired")


@dataclass(frozen=True, slots=True)
class OutcomeName:
    code: str
    uk: str
    en: str
    active: bool

    @property
    def label(self) -> str:
        """«Назва / Name», a retired outcome marked so (its visits still count under it)."""
        uk, en = self.uk, self.en or self.uk
        if not self.active:
            uk, en = f"{uk} ({RETIRED[0]})", f"{en} ({RETIRED[1]})"
        return uk if uk == en else f"{uk} / {en}"


def outcome_names(session: Session, branch_id: int) -> list[OutcomeName]:
    """The centre's outcomes in its order, the retired ones after those in use."""
    rows = session.scalars(
        select(Outcome)
        .where(Outcome.branch_id == branch_id)
        .order_by(Outcome.active.desc(), Outcome.position, Outcome.id)
    )
    return [OutcomeName(o.code, o.name_uk, o.name_en, o.active) for o in rows]


def outcomes(session: Session, q: ReportQuery) -> Table:
    """Finished visits by the outcome the clerk recorded, and each outcome's share."""
    uk, en = GROUP_HEADINGS[q.breakdown]
    table = Table(
        "outcomes",
        ("Результати візитів", "Visit outcomes"),
        [
            Column("period", "Період", "Period", Kind.TEXT),
            Column("group", uk, en, Kind.TEXT),
            Column("outcome", "Результат", "Outcome", Kind.TEXT),
            Column("visits", "Завершено візитів", "Visits finished"),
            Column("share", "Частка", "Share", Kind.PERCENT),
        ],
        notes=[
            (
                "Лише візити, завершені у вікні (разом — «Обслуговано» у звіті «Відвідувачі»). "
                "Кожен результат центру показано, навіть із нулем; вилучений — коли він є. "
                "«Не вказано»: працівник завершив візит без результату.",
                "Only visits finished at a window (together the «Served» of the Visitors "
                "report). Each of the centre's outcomes is shown, with zero too; a retired one "
                "where it occurs. «Not recorded»: the clerk finished without an outcome.",
            )
        ],
    )
    v = ReportVisit
    rows = session.execute(
        grouped(q, v.finish_outcome, func.count())
        .where(v.outcome == "served")
        .group_by(v.finish_outcome)
    ).all()
    counts: dict[GroupKey, dict[str, int]] = defaultdict(dict)
    for bucket, group, code, n in rows:
        counts[key_of(bucket, group, q)][code or ""] = int(n)
    names = outcome_names(session, q.branch_id)
    known = {o.code: o for o in names}
    labels = Labels(session, q)
    for key in sorted(counts, key=sort_key):
        found = counts[key]
        total = sum(found.values())
        shown = [o.code for o in names if o.active or o.code in found]
        shown += sorted(c for c in found if c and c not in known)  # not in the list: its code
        for code in [*shown, ""]:
            n = found.get(code, 0)
            name = known.get(code)
            if code == "":
                label = f"{NOT_RECORDED[0]} / {NOT_RECORDED[1]}"
            else:
                label = name.label if name is not None else code
            table.add([labels.bucket(key[0]), labels.group(key[1]), label, n, n / total])
    return table
