"""The audit log: what staff and devices did beyond the queue's own events (see AuditEntry)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEntry


def record_audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str = "",
    branch_id: int | None = None,
    address: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit entry inside the caller's transaction (it commits with the change)."""
    entry = AuditEntry(
        at=at,
        actor=actor[:120],
        action=action,
        target=target[:200],
        branch_id=branch_id,
        address=address[:64],
        data=data or {},
    )
    session.add(entry)
    return entry
