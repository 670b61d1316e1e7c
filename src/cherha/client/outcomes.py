"""Idempotency keys on the client side: one key per tap, sent again on every retry.

    key = new_request_key()
    try:
        ticket = client.issue_ticket(service_id, idempotency_key=key)   # retry: the same key
    except ServerUnavailable:
        outcome = client.request_outcome(key)   # None: nothing was made, and nothing will be
        ticket = outcome.issued if outcome else None

The server remembers a key for the centre's local day on which it was first used. What it
answers is `cherha.wire.RequestOutcome`.
"""

from __future__ import annotations

import uuid


def new_request_key() -> str:
    """A fresh Idempotency-Key (128 random bits): make one per tap, not per attempt."""
    return uuid.uuid4().hex
