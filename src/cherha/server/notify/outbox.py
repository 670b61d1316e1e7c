"""The outbox: writing notifications in a change's transaction, and the senders' side of it.

Writers (`add_telegram`, `add_webhook`) only add rows in the caller's transaction. Senders claim
due rows in a short transaction of their own (pending → sending, with a lease; on PostgreSQL
`FOR UPDATE SKIP LOCKED`, so two instances never claim the same row), deliver them outside any
transaction, and record the outcomes in another. A sender killed between claim and outcome
leaves rows "sending"; they go back to "pending" when their lease runs out (or at once when
the next Telegram sender starts, see `release_claims`), so every message is delivered at
least once, and - outside that window - exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from cherha.core.pacing import Waiting

from ..metrics import Metrics
from ..store.db import Database
from ..store.notify_models import OutboxMessage
from ..store.statements import connection

TELEGRAM = "telegram"
WEBHOOK = "webhook"

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"

URGENT, NORMAL, LATER = 0, 1, 2
PRIORITY = {"called": URGENT, "recalled": URGENT, "reminder_day": LATER, "reminder_hour": LATER}

LEASE = timedelta(seconds=60)


def add_telegram(
    session: Session,
    *,
    chat_id: int,
    language: str,
    kind: str,
    facts: dict[str, Any],
    now: datetime,
    due_at: datetime | None = None,
    branch_id: int | None = None,
    ticket_id: int | None = None,
    booking_id: int | None = None,
    follower_id: int | None = None,
) -> None:
    _insert(
        session,
        channel=TELEGRAM,
        kind=kind,
        priority=PRIORITY.get(kind, NORMAL),
        created_at=now,
        due_at=due_at or now,
        branch_id=branch_id,
        chat_id=chat_id,
        language=language,
        webhook_id=None,
        event_id=None,
        ticket_id=ticket_id,
        booking_id=booking_id,
        follower_id=follower_id,
        payload=facts,
    )


def add_webhook(
    session: Session,
    *,
    webhook_id: int,
    kind: str,
    body: dict[str, Any],
    now: datetime,
    event_id: int | None,
    branch_id: int | None,
) -> None:
    _insert(
        session,
        channel=WEBHOOK,
        kind=kind,
        priority=NORMAL,
        created_at=now,
        due_at=now,
        branch_id=branch_id,
        chat_id=None,
        language="",
        webhook_id=webhook_id,
        event_id=event_id,
        ticket_id=None,
        booking_id=None,
        follower_id=None,
        payload=body,
    )


def _insert(session: Session, **values: Any) -> None:
    """One row, inserted at once with a prepared Core statement on the write's connection
    (the ORM's object and flush cost more than the insert, inside the write lane)."""
    values.update(state=PENDING, attempts=0, last_error="", lease_until=None, sent_at=None)
    connection(session).execute(_INSERT, values)


_INSERT = insert(OutboxMessage)


# -- the senders' side ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed row, detached from its session: what the sender needs to deliver it."""

    id: int
    kind: str
    attempts: int
    created_at: datetime
    chat_id: int | None
    language: str
    webhook_id: int | None
    event_id: int | None
    ticket_id: int | None
    booking_id: int | None
    follower_id: int | None
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one delivery: sent, retry at `retry_at`, or failed for good."""

    id: int
    sent: bool = False
    retry_at: datetime | None = None
    status: int | None = None
    error: str = ""
    keep: bool = True
    """Keep the row (webhooks' delivery log); False deletes it (Telegram rows hold chat ids)."""


_CLAIMED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.kind,
    OutboxMessage.attempts,
    OutboxMessage.created_at,
    OutboxMessage.chat_id,
    OutboxMessage.language,
    OutboxMessage.webhook_id,
    OutboxMessage.event_id,
    OutboxMessage.ticket_id,
    OutboxMessage.booking_id,
    OutboxMessage.follower_id,
    OutboxMessage.payload,
)


_WAITING = (
    select(OutboxMessage.id, OutboxMessage.chat_id, OutboxMessage.priority)
    .where(
        OutboxMessage.channel == bindparam("channel"),
        OutboxMessage.state == PENDING,
        OutboxMessage.due_at <= bindparam("now"),
    )
    .order_by(OutboxMessage.priority, OutboxMessage.id)
    .limit(bindparam("limit"))
)


def waiting(db: Database, channel: str, now: datetime, limit: int) -> list[Waiting[int]]:
    """A read (no write lock): the due rows, the most urgent and oldest first.

    A sender asks each time it may send, tens of times a second under a backlog: one prepared
    Core statement on a connection, no session (0.26 against 0.64 ms of CPU a call through the
    ORM; it was an eighth of the notifier's CPU in `bench_notify.py`)."""
    with db.engine.connect() as conn:
        rows = conn.execute(_WAITING, {"channel": channel, "now": now, "limit": limit}).all()
    return [Waiting(int(i), int(chat or 0), int(p)) for i, chat, p in rows]


def settle(
    db: Database,
    outcomes: Sequence[Outcome],
    claim_ids: Sequence[int],
    now: datetime,
    *,
    before: Callable[[Session], object] | None = None,
    branch_id: int | None = None,
) -> list[Claimed]:
    """One transaction: write what became of the last pass's rows, and claim the next ones;
    then, after its commit, read what the claimed rows say.

    A sender's pass costs one write transaction, not two: on SQLite every transaction waits
    its turn on the single write lane with the requests, so fewer is faster for everyone. And
    it holds the write lock only for the writes: reading the claimed rows' messages (their JSON,
    their times) inside it was about a third of its 3 ms (docs/benchmarks.md). `before`: more
    the sender writes in the same transaction (the Telegram sender's "few people ahead"
    notices), holding `branch_id`'s write lock.
    """
    if not outcomes and not claim_ids and before is None:
        return []
    with db.write(branch_id) as session:
        if before is not None:  # more the sender writes in the same transaction
            before(session)
        _record(session, outcomes, now)
        attempts = _claim(session, claim_ids, now)
    return _claimed(db, attempts)


_CLAIM = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id.in_(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.id.in_(bindparam("ids", expanding=True)),
                OutboxMessage.state == PENDING,
                OutboxMessage.due_at <= bindparam("now"),
            )
            .with_for_update(skip_locked=True)  # PostgreSQL: never a row another claims
        )
    )
    .values(state=SENDING, attempts=OutboxMessage.attempts + 1, lease_until=bindparam("until"))
    .returning(OutboxMessage.id, OutboxMessage.attempts)
)


def _claim(session: Session, ids: Sequence[int], now: datetime) -> dict[int, int]:
    """Claim these rows if they are still due and nobody else has (pending → sending): one
    statement whatever the number of rows. Returns each claimed row's attempts, this one
    counted."""
    if not ids:
        return {}
    rows = session.connection().execute(
        _CLAIM, {"ids": list(ids), "now": now, "until": now + LEASE}
    )
    return {int(i): int(n) for i, n in rows}


_CLAIMED = (
    select(*_CLAIMED_COLUMNS)
    .where(OutboxMessage.id.in_(bindparam("ids", expanding=True)))
    .order_by(OutboxMessage.priority, OutboxMessage.id)
)


def _claimed(db: Database, attempts: dict[int, int]) -> list[Claimed]:
    """The claimed rows, the most urgent and oldest first, read after the claim's commit (a
    read: no write lock; in a group commit, after the claim's savepoint). What a claim changes
    is taken from the claim itself (`attempts`), so this reads only what no one changes once a
    row is written; a row deleted meanwhile (its booking's personal data purged) is not sent."""
    if not attempts:
        return []
    # (On the server's write lane, inside a group commit, this is the group's connection: a
    # connection of its own would wait there for the group's write lock.)
    with db.read_connection() as conn:
        rows = conn.execute(_CLAIMED, {"ids": list(attempts)}).all()
    return [
        Claimed(**{**r._asdict(), "attempts": attempts[r.id], "payload": dict(r.payload)})
        for r in rows
    ]


def _record(session: Session, outcomes: Sequence[Outcome], now: datetime) -> None:
    """What became of claimed rows: sent, back to pending for later, failed, or deleted.

    One statement for the rows deleted and one for each set of equal outcomes (every
    delivery a receiver took is alike), not one per row."""
    connection = session.connection()
    gone = [o.id for o in outcomes if not o.keep and (o.sent or o.retry_at is None)]
    if gone:
        connection.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(gone)))
    alike: dict[tuple[Any, ...], list[int]] = {}
    for o in outcomes:
        if not o.keep and (o.sent or o.retry_at is None):
            continue
        values: dict[str, Any] = {
            "last_status": o.status,
            "last_error": o.error[:300],
            "lease_until": None,
        }
        if o.sent:
            values.update(state=SENT, sent_at=now)
        elif o.retry_at is not None:
            values.update(state=PENDING, due_at=o.retry_at)
        else:
            values.update(state=FAILED)
        alike.setdefault(tuple(sorted(values.items())), []).append(o.id)
    for values_key, ids in alike.items():
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.state == SENDING)
            .values(**dict(values_key))
        )


def count(metrics: Metrics, channel: str, outcomes: Sequence[Outcome]) -> None:
    for o in outcomes:
        outcome = "sent" if o.sent else "retry" if o.retry_at is not None else "failed"
        metrics.notifications.labels(channel, outcome).inc()


def release_claims(db: Database, channel: str, now: datetime, *, all_of_them: bool) -> int:
    """Rows left "sending" by a sender that died go back to "pending".

    `all_of_them`: the caller is the only sender of this channel (the Telegram sender holds
    the leader lock), so every claim is a dead one's; otherwise only expired leases.
    """
    with db.write(None) as session:
        stale = OutboxMessage.state == SENDING
        if not all_of_them:
            stale = stale & (OutboxMessage.lease_until < now)
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == channel, stale)
            .values(state=PENDING, lease_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def prune(db: Database, now: datetime, log_days: int) -> int:
    """Forget webhook deliveries older than the log keeps (sent or failed)."""
    with db.write(None) as session:
        result = session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.channel == WEBHOOK,
                OutboxMessage.state.in_([SENT, FAILED]),
                OutboxMessage.created_at < now - timedelta(days=log_days),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
