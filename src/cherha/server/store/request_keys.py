"""Idempotency keys: a request sent again with the same key gets the same ticket or booking.

Looked up and written inside the operation's own write transaction, under the branch's write
lock, so two copies of one request arriving together still make one ticket. A key is
remembered for the centre's local day on which it was first used (tickets do not outlive their
day either); its scope is who sent it (`device:ID`, `user:ID`, or `public`).

`settle` answers "what did key K give?" for a device that gave up waiting, and closes the key
if it made nothing: a copy of the request still under way then makes nothing either.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from cherha.core.errors import Invalid, InvalidTransition

from ..auth import Principal
from .models import RequestKey
from .statements import connection

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """One request's key and what it asked for."""

    key: str
    action: str  # ticket, booking, check_in
    fingerprint: str

    @classmethod
    def of(cls, key: str | None, action: str, **asked: object) -> KeyedRequest | None:
        if key is None:
            return None
        text = json.dumps(asked, sort_keys=True, default=str, separators=(",", ":"))
        return cls(check_key(key), action, hashlib.sha256(f"{action}:{text}".encode()).hexdigest())


def check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise Invalid(
            "Idempotency-Key: 8–100 знаків (латинські літери, цифри, . _ : -)",
            "Idempotency-Key: 8 to 100 characters (Latin letters, digits, . _ : -)",
            code="bad_idempotency_key",
        )
    return key


def scope_of(principal: Principal | None) -> str:
    return "public" if principal is None else f"{principal.kind}:{principal.id}"


@dataclass(frozen=True, slots=True)
class Remembered:
    """What a key's earlier request asked for and made."""

    action: str
    fingerprint: str
    ticket_id: int | None
    booking_id: int | None


# Core statements, built once: the key is looked up and written on every keyed request.
_FIND = select(
    RequestKey.action, RequestKey.fingerprint, RequestKey.ticket_id, RequestKey.booking_id
).where(
    RequestKey.branch_id == bindparam("branch_id"),
    RequestKey.scope == bindparam("scope"),
    RequestKey.day == bindparam("day", type_=RequestKey.day.type),
    RequestKey.key == bindparam("key"),
)
_REMEMBER = insert(RequestKey)


def find(
    session: Session, branch_id: int, principal: Principal | None, day: date, key: str
) -> Remembered | None:
    found = (
        connection(session)
        .execute(
            _FIND, {"branch_id": branch_id, "scope": scope_of(principal), "day": day, "key": key}
        )
        .first()
    )
    return None if found is None else Remembered(*found)


def _insert(
    session: Session,
    branch_id: int,
    principal: Principal | None,
    day: date,
    key: str,
    now: datetime,
    *,
    action: str,
    fingerprint: str,
    ticket_id: int | None = None,
    booking_id: int | None = None,
) -> None:
    connection(session).execute(
        _REMEMBER,
        {
            "branch_id": branch_id,
            "scope": scope_of(principal),
            "day": day,
            "key": key,
            "action": action,
            "fingerprint": fingerprint,
            "ticket_id": ticket_id,
            "booking_id": booking_id,
            "created_at": now,
        },
    )


def replay(
    session: Session,
    branch_id: int,
    principal: Principal | None,
    day: date,
    request: KeyedRequest,
) -> Remembered | None:
    """What an earlier request with this key made, or None when the key is new.

    Refuses a key that was given up on (`settle`) or sent before with another request.
    """
    row = find(session, branch_id, principal, day, request.key)
    if row is None:
        return None
    if row.action == ABANDONED:
        raise InvalidTransition(
            "Цей запит уже скасовано (пристрій перестав чекати на відповідь). Спробуйте знову",
            "This request was given up on (the device stopped waiting for it). Please try again",
            code="request_abandoned",
        )
    if row.action != request.action or row.fingerprint != request.fingerprint:
        raise InvalidTransition(
            "Цей Idempotency-Key уже використано для іншого запиту",
            "This Idempotency-Key was already used for another request",
            code="idempotency_key_reused",
        )
    return row


def remember(
    session: Session,
    branch_id: int,
    principal: Principal | None,
    day: date,
    request: KeyedRequest,
    now: datetime,
    *,
    ticket_id: int | None = None,
    booking_id: int | None = None,
) -> None:
    _insert(
        session,
        branch_id,
        principal,
        day,
        request.key,
        now,
        action=request.action,
        fingerprint=request.fingerprint,
        ticket_id=ticket_id,
        booking_id=booking_id,
    )


def settle(
    session: Session, branch_id: int, principal: Principal, day: date, key: str, now: datetime
) -> Remembered | None:
    """What the key made today, or None, after which the key makes nothing any more."""
    row = find(session, branch_id, principal, day, check_key(key))
    if row is not None:
        return None if row.action == ABANDONED else row
    _insert(session, branch_id, principal, day, key, now, action=ABANDONED, fingerprint="")
    return None


def forget_before(session: Session, day: date) -> None:
    """Keys of days before `day` are no longer needed (run by the hourly upkeep)."""
    session.execute(delete(RequestKey).where(RequestKey.day < day - timedelta(days=1)))
