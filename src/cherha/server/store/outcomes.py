"""What came of a visit: the centre's short list of outcomes, chosen when a visit is finished.

The list comes from the centre file (`[[outcomes]]`, docs/clerk.md); a centre that lists none
gets `DEFAULT_OUTCOMES`. A finished ticket keeps the code; the reports count them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core.errors import Invalid

from .models import Outcome


class OutcomeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]*$")
    name_uk: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)


DEFAULT_OUTCOMES: tuple[OutcomeSpec, ...] = (
    OutcomeSpec(code="served", name_uk="Обслуговано", name_en="Served"),
    OutcomeSpec(code="another_visit", name_uk="Потрібен ще візит", name_en="Needs another visit"),
    OutcomeSpec(code="documents_missing", name_uk="Бракує документів", name_en="Documents missing"),
    OutcomeSpec(code="redirected", name_uk="Переадресовано", name_en="Redirected"),
)


def default_outcomes() -> list[OutcomeSpec]:
    return list(DEFAULT_OUTCOMES)


def apply_outcomes(session: Session, branch_id: int, specs: list[OutcomeSpec]) -> None:
    """Create or update the branch's list in the file's order; ones left out are retired
    (kept, so finished tickets still name them)."""
    existing = {
        o.code: o for o in session.scalars(select(Outcome).where(Outcome.branch_id == branch_id))
    }
    for position, spec in enumerate(specs):
        row = existing.pop(spec.code, None)
        if row is None:
            row = Outcome(branch_id=branch_id, code=spec.code)
            session.add(row)
        row.name_uk, row.name_en = spec.name_uk, spec.name_en
        row.position, row.active = position, True
    for row in existing.values():
        row.active = False


def active_outcomes(session: Session, branch_id: int) -> list[Outcome]:
    return list(
        session.scalars(
            select(Outcome)
            .where(Outcome.branch_id == branch_id, Outcome.active.is_(True))
            .order_by(Outcome.position, Outcome.id)
        )
    )


def check_outcome(session: Session, branch_id: int, code: str) -> str:
    """The code if it is one of the branch's outcomes in use; else a clear refusal."""
    known = {o.code for o in active_outcomes(session, branch_id)}
    if code not in known:
        listed = ", ".join(sorted(known)) or "—"
        raise Invalid(
            f"Невідомий результат «{code}»; можливі: {listed}",
            f"Unknown outcome '{code}'; possible: {listed}",
            code="unknown_outcome",
        )
    return code
