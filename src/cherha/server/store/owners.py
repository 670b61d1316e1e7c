"""Which branch a window or a ticket belongs to, remembered.

A clerk's action names a window or a ticket; its write transaction needs the branch first (to
take that branch's lock). The answer is fixed when the row is made (windows and tickets are
never moved to another branch, nor deleted), so it is read once, not in a read transaction of
its own before every action.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy.orm import Session

from .db import Database
from .records import get_counter, get_ticket


class _Remembered:
    """The branch of the most recent `kept` rows asked about, by id (thread-safe)."""

    def __init__(self, db: Database, read: Callable[[Session, int], int], kept: int) -> None:
        self._db = db
        self._read = read
        self._kept = kept
        self._known: OrderedDict[int, int] = OrderedDict()
        self._lock = threading.Lock()

    def note(self, row_id: int, branch_id: int) -> None:
        with self._lock:
            self._known[row_id] = branch_id
            self._known.move_to_end(row_id)
            while len(self._known) > self._kept:
                self._known.popitem(last=False)

    def __call__(self, row_id: int) -> int:
        with self._lock:
            known = self._known.get(row_id)
            if known is not None:
                self._known.move_to_end(row_id)
                return known
        # Read outside the lock: a refusal (unknown id) is raised from here, as `get_*` raises it.
        with self._db.read() as session:
            branch_id = self._read(session, row_id)
        self.note(row_id, branch_id)
        return branch_id


class Owners:
    def __init__(
        self, db: Database, tickets_kept: int = 20_000, counters_kept: int = 5_000
    ) -> None:
        self.of_counter = _Remembered(
            db, lambda session, i: get_counter(session, i).branch_id, counters_kept
        )
        """The window's branch; an unknown window is refused as `get_counter` refuses it."""
        self.of_ticket = _Remembered(
            db, lambda session, i: get_ticket(session, i).branch_id, tickets_kept
        )
        """The ticket's branch; an unknown ticket is refused as `get_ticket` refuses it."""

    def note_ticket(self, ticket_id: int, branch_id: int) -> None:
        """Remember a ticket's branch learnt elsewhere (a ticket just called is acted on next)."""
        self.of_ticket.note(ticket_id, branch_id)
