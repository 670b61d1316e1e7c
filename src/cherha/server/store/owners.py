"""Which branch a window or a ticket belongs to, remembered.

A clerk's action names a window or a ticket; its write transaction needs the branch first (to
take that branch's lock). The answer is fixed when the row is made (windows and tickets are
never moved to another branch, nor deleted), so it is read once, not in a read transaction of
its own before every action.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .db import Database
from .records import get_counter, get_ticket


class Owners:
    def __init__(self, db: Database, tickets_kept: int = 20_000) -> None:
        self.db = db
        self.tickets_kept = tickets_kept
        self._counters: dict[int, int] = {}
        self._tickets: OrderedDict[int, int] = OrderedDict()
        self._lock = threading.Lock()

    def of_counter(self, counter_id: int) -> int:
        """The window's branch; an unknown window is refused as `get_counter` refuses it."""
        with self._lock:
            known = self._counters.get(counter_id)
        if known is not None:
            return known
        with self.db.read() as session:
            branch_id = get_counter(session, counter_id).branch_id
        with self._lock:
            self._counters[counter_id] = branch_id
        return branch_id

    def note_ticket(self, ticket_id: int, branch_id: int) -> None:
        """Remember a ticket's branch learnt elsewhere (a ticket just called is acted on next)."""
        with self._lock:
            self._tickets[ticket_id] = branch_id
            self._tickets.move_to_end(ticket_id)
            while len(self._tickets) > self.tickets_kept:
                self._tickets.popitem(last=False)

    def of_ticket(self, ticket_id: int) -> int:
        """The ticket's branch (the most recent `tickets_kept` tickets asked about are kept)."""
        with self._lock:
            known = self._tickets.get(ticket_id)
            if known is not None:
                self._tickets.move_to_end(ticket_id)
                return known
        with self.db.read() as session:
            branch_id = get_ticket(session, ticket_id).branch_id
        self.note_ticket(ticket_id, branch_id)
        return branch_id
