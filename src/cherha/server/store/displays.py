"""What the display pages start from: the centre's screens and viewing distances."""

from __future__ import annotations

from typing import Literal

from cherha.core.legibility import Viewing

from .db import Database
from .records import get_branch

DisplayKind = Literal["hall", "window"]


def viewing_for(db: Database, branch_id: int, kind: DisplayKind) -> Viewing:
    """The centre's viewing setup for its hall display or its window displays."""
    with db.read() as session:
        b = get_branch(session, branch_id)
        hall = kind == "hall"
        return Viewing(
            diagonal_inches=b.display_hall_diagonal_inches
            if hall
            else b.display_window_diagonal_inches,
            distance_m=b.display_hall_distance_m if hall else b.display_window_distance_m,
            english_scale=b.display_english_scale,
            last_calls=b.display_last_calls,
        )
