"""Where to send the visitors of a window that is on a break or closed: the nearest open
windows that serve its services (the window display over it says so).

"Nearest" is by window number: windows are numbered along the hall in the centres we know,
so 4 is next to 3 and 5. One window that serves everything this one does is best; otherwise a
few that together cover its services, the one covering most first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_WINDOWS = 3


@dataclass(frozen=True, slots=True)
class WindowServices:
    number: int
    open: bool
    service_ids: frozenset[int]


def windows_instead(
    this: WindowServices, windows: Iterable[WindowServices], limit: int = MAX_WINDOWS
) -> list[int]:
    """Numbers of open windows to go to instead of `this`, best first (at most `limit`)."""
    remaining = set(this.service_ids)
    candidates = [
        w for w in windows if w.open and w.number != this.number and w.service_ids & remaining
    ]
    chosen: list[int] = []
    while remaining and candidates and len(chosen) < limit:
        best = max(
            candidates,
            key=lambda w: (len(w.service_ids & remaining), -abs(w.number - this.number), -w.number),
        )
        if not best.service_ids & remaining:
            break
        chosen.append(best.number)
        remaining -= best.service_ids
        candidates.remove(best)
    return chosen
