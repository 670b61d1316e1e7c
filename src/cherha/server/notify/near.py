"""The "few people ahead" notice, worked out by the Telegram sender from the queue as it is.

A chat that follows a ticket hears once that only `CHERHA_TELEGRAM_AHEAD_ALERT` people (3) are
ahead. Which tickets are that close is a fact of the queue, not of one event, so the Telegram
sender works it out on each pass (woken by every queue move, and every poll) — not the clerk's
write. It used to be the event hook's: every call, no-show and transfer read the front of the
line and each new notice's estimate inside the clerk's write. What the hook adds to a call and
start fell from 1.8–3.4 ms to 1.1–1.3 ms at the median with the move (`bench/bench_notify.py
--only hook`, docs/benchmarks.md).

The sender writes the notices in its pass's claim transaction (`write_due`), so they cost no
write transaction of their own. Once, and nothing lost: a follower's `near_sent` turns true in
the transaction that adds its message, by an UPDATE that returns only the rows it changed (on
PostgreSQL a second instance's sender gets nothing back for a follower the first has taken). A
pass reads the queue, not events, so what one pass did not see (the process died, a wake-up was
missed) the next sees.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from cherha.core.model import Lane, TicketStatus

from ..store.db import Database
from ..store.issuing import estimate_for
from ..store.models import Ticket
from ..store.notify_models import TelegramFollower
from ..store.statements import connection, fetch
from .fanout import RECIPIENT, Recipient, send_notice


def front_of_line(session: Session, branch_id: int, service_id: int, places: int) -> list[int]:
    """The ids of the first `places` waiting tickets of a service's line, in the order they
    will be called: the priority lane, then the ordinary one, each by its place. A ticket's
    index in this list is its people ahead (`core.ordering.people_ahead`). Prepared Core
    statements reading only the ids, through the waiting line's index."""
    conn = connection(session)
    front: list[int] = []
    for lane in (Lane.PRIORITY, Lane.ORDINARY):
        if len(front) >= places:
            break
        params = {
            "of_branch": branch_id,
            "of_service": service_id,
            "of_lane": lane.value,
            "places": places - len(front),
        }
        front.extend(int(i) for i in conn.execute(_FRONT, params).scalars())
    return front


_FRONT = (
    select(Ticket.id)
    .where(
        Ticket.branch_id == bindparam("of_branch"),
        Ticket.status == TicketStatus.WAITING.value,
        Ticket.service_id == bindparam("of_service"),
        Ticket.lane == bindparam("of_lane"),
    )
    .order_by(Ticket.order_key, Ticket.id)
    .limit(bindparam("places"))
)
_AWAITED_LINES = (
    select(Ticket.branch_id, Ticket.service_id)
    .join(TelegramFollower, TelegramFollower.ticket_id == Ticket.id)
    .where(TelegramFollower.near_sent.is_(False), Ticket.status == TicketStatus.WAITING.value)
    .distinct()
)
"""The lines (branch, service) where a chat follows a waiting ticket and has not had its
notice: no other line can owe one."""
_AWAITING_OF = RECIPIENT.where(
    TelegramFollower.ticket_id.in_(bindparam("of_tickets", expanding=True)),
    TelegramFollower.near_sent.is_(False),
).order_by(TelegramFollower.id)
_TAKE = (
    update(TelegramFollower)
    .where(
        TelegramFollower.id.in_(bindparam("of_followers", expanding=True)),
        TelegramFollower.near_sent.is_(False),
    )
    .values(near_sent=True)
    .returning(TelegramFollower.id)
)


def _due(session: Session, lines: list[tuple[int, int]], places: int) -> dict[int, int]:
    """Waiting tickets of these lines with fewer than `places` people ahead: id → ahead."""
    front: dict[int, int] = {}
    for branch_id, service_id in lines:
        ids = front_of_line(session, branch_id, service_id, places)
        front.update((ticket_id, ahead) for ahead, ticket_id in enumerate(ids))
    return front


def branches_due(db: Database, ahead_alert: int) -> list[int]:
    """The branches where a notice is due now (a read: most passes find none and write
    nothing)."""
    if ahead_alert <= 0:
        return []
    with db.read() as session:
        lines = [(int(b), int(s)) for b, s in session.execute(_AWAITED_LINES)]
        if not lines:
            return []
        front = _due(session, lines, ahead_alert + 1)
        if not front:
            return []
        waiting = connection(session).execute(_AWAITING_OF, {"of_tickets": list(front)})
        return sorted({Recipient(*row).branch_id for row in waiting})


def settle(db: Database, branch_id: int, ahead_alert: int, now: datetime) -> int:
    """Write the branch's due notices, in one transaction holding its write lock (so the line
    cannot move meanwhile); how many."""
    with db.write(branch_id) as session:
        return write_due(session, branch_id, ahead_alert, now)


def write_due(session: Session, branch_id: int, ahead_alert: int, now: datetime) -> int:
    """Write the branch's due notices in the caller's write transaction, which holds the
    branch's write lock (`settle`'s, or the Telegram sender's claim: then no transaction of
    their own); how many. Read again inside it: the lines may have moved since
    `branches_due` looked."""
    awaited = session.execute(_AWAITED_LINES.where(Ticket.branch_id == branch_id))
    front = _due(session, [(int(b), int(s)) for b, s in awaited], ahead_alert + 1)
    return _write(session, front, now) if front else 0


def _write(session: Session, front: dict[int, int], now: datetime) -> int:
    conn = connection(session)
    waiting = [Recipient(*row) for row in conn.execute(_AWAITING_OF, {"of_tickets": list(front)})]
    if not waiting:
        return 0
    marked = conn.execute(_TAKE, {"of_followers": [f.id for f in waiting]}).scalars()
    taken = {int(i) for i in marked}
    for follower in waiting:
        if follower.id not in taken:
            continue  # another instance's sender told it
        assert follower.ticket_id is not None  # chosen by its ticket
        ticket = fetch(session, Ticket, follower.ticket_id)
        assert ticket is not None
        _count, wait, _inputs = estimate_for(session, ticket, now)
        facts = {"number": ticket.number, "ahead": front[ticket.id], "wait": wait}
        send_notice(session, follower, "near", {**facts, "follower": follower.id}, now)
    return len(taken)
