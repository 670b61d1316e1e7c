"""Idempotency keys on the client side: one key per tap, sent again on every retry.

    key = new_request_key()
    try:
        ticket = client.issue_ticket(service_id, idempotency_key=key)   # retry: the same key
    except ServerUnavailable:
        outcome = client.request_outcome(key)   # None: nothing was made, and nothing will be
        ticket = outcome.ticket if outcome else None

The server remembers a key for the centre's local day on which it was first used.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Self

from .bookings import Booking, CheckIn
from .models import IssuedTicket, Json


def new_request_key() -> str:
    """A fresh Idempotency-Key (128 random bits): make one per tap, not per attempt."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """What a request sent with an Idempotency-Key made (mirrors RequestOutcomeOut)."""

    action: str  # ticket | booking | check_in
    ticket: IssuedTicket | None = None
    booking: Booking | None = None
    check_in: CheckIn | None = None

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            action=str(d["action"]),
            ticket=IssuedTicket.from_json(d["ticket"]) if d.get("ticket") else None,
            booking=Booking.from_json(d["booking"]) if d.get("booking") else None,
            check_in=CheckIn.from_json(d["check_in"]) if d.get("check_in") else None,
        )

    @property
    def issued(self) -> IssuedTicket | None:
        """The ticket to print, whether the key issued one or checked a booking in."""
        if self.ticket is not None:
            return self.ticket
        return self.check_in.ticket if self.check_in is not None else None
