"""The event hook's cheap reads are exact, and the "few people ahead" notice that the
Telegram sender works out from the queue (near.py) comes once to every follower whose ticket
gets that close: its cheap look first (a read that finds most passes have nothing to write)
never loses or changes a notice."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from cherha.core.model import EventType, TicketStatus
from cherha.server.auth import Principal
from cherha.server.notify import child, near
from cherha.server.notify.fanout import Fanout, WebhookDirectory
from cherha.server.notify.webhooks import WebhookRegistry
from cherha.server.store.counters import CounterOps
from cherha.server.store.db import Database
from cherha.server.store.models import Ticket
from cherha.server.store.notify_models import OutboxMessage, TelegramFollower
from cherha.server.store.records import record_event
from cherha.server.store.tickets import TicketOps
from tests.helpers.app import FakeClock, make_centre
from tests.helpers.followers import follow_directly

KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)
CLERK = Principal(kind="user", id=2, name="clerk1", role="clerk")


def telegram_hook() -> Fanout:
    """The event hook as the server makes it with the bot on, "3 ahead" notices, no webhooks."""
    return Fanout(
        telegram=True, ahead_alert=3, webhooks=WebhookDirectory(), on_commit=lambda _channels: None
    )


def near_pass(db: Database, clock: FakeClock, alert: int = 3) -> int:
    """What the Telegram sender does on each pass, after sending: the notices due, written."""
    return sum(near.settle(db, b, alert, clock()) for b in near.branches_due(db, alert))


def owed(db: Database, alert: int = 3) -> list[int]:
    """Followers of a waiting ticket with `alert` or fewer people ahead and no notice yet."""
    with db.read() as session:
        tickets = session.scalars(
            select(Ticket).where(Ticket.status == TicketStatus.WAITING.value)
        ).all()
        front: set[int] = set()
        for service_id in {t.service_id for t in tickets}:
            front |= set(near.front_of_line(session, 1, service_id, alert + 1))
        return list(
            session.scalars(
                select(TelegramFollower.id).where(
                    TelegramFollower.ticket_id.in_(front), TelegramFollower.near_sent.is_(False)
                )
            )
        )


def hall(url: str, seed: int) -> list[tuple[Any, ...]]:
    """A random morning with followed tickets (some followed late, after the notice could
    have come), the sender's pass after every step; the Telegram rows written, in order. After
    each pass no follower is owed a notice."""
    make_centre(url, clerks=1)
    rng = random.Random(seed)
    clock = FakeClock()
    db = Database(url)
    try:
        db.add_event_hook(telegram_hook())
        ops = TicketOps(db, clock)
        CounterOps(db, clock).open(CLERK, 1)
        chat = 1000
        for _ in range(60):
            clock.advance(seconds=rng.randint(1, 90))
            roll = rng.random()
            if roll < 0.45:
                ops.issue(KIOSK, 1, rng.choice([1, 9, 10]), priority=rng.random() < 0.25)
            elif roll < 0.6:
                with db.write(1) as session:  # a chat starts following a waiting ticket
                    waiting = session.scalars(
                        select(Ticket.id).where(Ticket.status == TicketStatus.WAITING.value)
                    ).all()
                    if waiting:
                        chat += 1
                        follow_directly(session, [rng.choice(waiting)], first_chat=chat, at=clock())
            else:
                view = ops.call_next(CLERK, 1)
                called = view.ticket if view is not None else None
                if called is not None and rng.random() < 0.3:
                    ops.transfer(
                        CLERK,
                        called.id,
                        service_id=rng.choice([s for s in (1, 9, 10) if s != called.service_id]),
                    )
                elif called is not None:
                    ops.finish(CLERK, called.id)
            near_pass(db, clock)
            assert owed(db) == []
        with db.read() as session:
            rows = session.execute(
                select(OutboxMessage.chat_id, OutboxMessage.kind, OutboxMessage.payload).order_by(
                    OutboxMessage.id
                )
            ).all()
        return [tuple(r) for r in rows]
    finally:
        db.dispose()


@pytest.mark.parametrize("seed", range(4))
def test_each_follower_hears_once_when_few_are_ahead_and_the_cheap_look_changes_nothing(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    looking = hall(f"sqlite:///{tmp_path / 'look.db'}", seed)
    notices = [(chat, facts) for chat, kind, facts in looking if kind == "near"]
    assert notices, "the hall makes notices"
    assert len({chat for chat, _facts in notices}) == len(notices), "one notice per chat"
    assert all(0 <= facts["ahead"] <= 3 for _chat, facts in notices)
    with monkeypatch.context() as m:
        m.setattr(near, "branches_due", lambda _db, _alert: [1])  # always write
        writing = hall(f"sqlite:///{tmp_path / 'write.db'}", seed)
    assert looking == writing


def test_the_hook_reads_no_line_and_a_branch_without_followers_is_not_read(
    sqlite_url: str,
) -> None:
    """A call makes no Telegram row and the hook does not read the line; the sender's pass, in
    a branch without followers, does not read it either."""
    make_centre(sqlite_url, clerks=1)
    clock = FakeClock()
    db = Database(sqlite_url)
    reads: list[int] = []
    original = near.front_of_line

    def counted(*args: Any) -> list[int]:
        reads.append(1)
        return original(*args)

    try:
        db.add_event_hook(telegram_hook())
        ops = TicketOps(db, clock)
        CounterOps(db, clock).open(CLERK, 1)
        for _ in range(5):
            ops.issue(KIOSK, 1, 1)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(near, "front_of_line", counted)
            ops.call_next(CLERK, 1)
            assert near_pass(db, clock) == 0
        with db.read() as session:
            assert session.scalars(select(OutboxMessage.id)).all() == []
        assert reads == []
    finally:
        db.dispose()


def test_two_senders_that_both_looked_write_each_notice_once(database_url: str) -> None:
    """Two instances' senders both find the branch owing notices, then both write at once:
    each notice is written once (the branch's write lock and the UPDATE that returns only the
    followers it marked), on SQLite and on PostgreSQL."""
    make_centre(database_url, clerks=1)
    clock = FakeClock()
    first, second = Database(database_url), Database(database_url)
    try:
        ops = TicketOps(first, clock)
        tickets = [ops.issue(KIOSK, 1, 1).ticket.id for _ in range(6)]
        with first.write(1) as session:
            follow_directly(session, tickets, first_chat=4000, at=clock())
        assert near.branches_due(first, 3) == near.branches_due(second, 3) == [1]
        with ThreadPoolExecutor(2) as pool:
            written = list(pool.map(lambda db: near.settle(db, 1, 3, clock()), [first, second]))
        assert sorted(written) == [0, 4]
        with first.read() as session:
            rows = session.execute(select(OutboxMessage.kind, OutboxMessage.chat_id)).all()
        assert len(rows) == 4
        assert sorted(chat for _kind, chat in rows if chat is not None) == [4000, 4001, 4002, 4003]
        assert {kind for kind, _chat in rows} == {"near"}
    finally:
        first.dispose()
        second.dispose()


def test_followers_the_session_holds_see_what_the_hook_wrote(sqlite_url: str) -> None:
    """The hook forgets a finished ticket's followers with a Core statement past the session
    (issue 18): a forgotten follower the same transaction holds as an object leaves the
    session, and a change made to a held follower before the event is written, not lost or
    overwritten — by the hook, or by the sender's "few people ahead" pass after it."""
    make_centre(sqlite_url, clerks=1)
    clock = FakeClock()
    db = Database(sqlite_url)
    try:
        db.add_event_hook(telegram_hook())
        ops = TicketOps(db, clock)
        tickets = [ops.issue(KIOSK, 1, 1).ticket.id for _ in range(6)]
        with db.write(1) as session:
            follow_directly(session, tickets, first_chat=2000, at=clock())
        with db.write(1) as session:
            held = {
                f.ticket_id: f
                for f in session.scalars(select(TelegramFollower).order_by(TelegramFollower.id))
            }
            held[tickets[1]].language = "en"  # pending when the event comes

            def happened(kind: EventType, ticket_id: int) -> None:
                record_event(
                    session,
                    branch_id=1,
                    type_=kind,
                    at=clock(),
                    actor="test",
                    ticket_id=ticket_id,
                    data={"service_id": 1},
                )

            happened(EventType.TICKET_CALLED, tickets[5])
            assert [held[t].near_sent for t in tickets] == [False] * 6, "not the hook's"
            happened(EventType.TICKET_FINISHED, tickets[0])
            assert held[tickets[0]] not in session
        # The first four of the line (the events' tickets are still waiting here) have three
        # or fewer ahead; the first one's follower is gone with its ticket's end.
        assert near_pass(db, clock) == 3
        assert near_pass(db, clock) == 0, "once"
        with db.read() as session:
            stored = {
                f.ticket_id: (f.language, f.near_sent)
                for f in session.scalars(select(TelegramFollower))
            }
            kinds = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
        assert tickets[0] not in stored
        assert stored[tickets[1]] == ("en", True)
        assert stored[tickets[4]] == ("uk", False)
        assert kinds == ["called", "finished"] + ["near"] * 3
    finally:
        db.dispose()


def test_a_commit_wakes_only_the_senders_it_wrote_for(sqlite_url: str) -> None:
    """With a webhook taking every event, an issued ticket wakes the webhook sender alone (the
    bot has nothing to say about it); a call to a followed ticket wakes both, once, after the
    commit; a write that adds no row wakes nobody."""
    make_centre(sqlite_url, clerks=1)
    clock = FakeClock()
    db = Database(sqlite_url)
    woken: list[frozenset[str]] = []
    try:
        WebhookRegistry(db).add("http://127.0.0.1:9/hook", ["*"])
        db.add_event_hook(
            Fanout(
                telegram=True, ahead_alert=3, webhooks=WebhookDirectory(), on_commit=woken.append
            )
        )
        ops = TicketOps(db, clock)
        ticket = ops.issue(KIOSK, 1, 1).ticket.id
        assert woken == [frozenset({"webhook"})]
        with db.write(1) as session:
            follow_directly(session, [ticket], first_chat=3000, at=clock())
        assert len(woken) == 1, "no event, no row: nobody woken"
        CounterOps(db, clock).open(CLERK, 1)
        woken.clear()
        ops.call_next(CLERK, 1)
        assert woken == [frozenset({"telegram", "webhook"})]
    finally:
        db.dispose()


def test_the_wake_up_bytes_name_the_channels() -> None:
    """The server's pipe to its notifications' process: one byte per channel with news; a read
    that filled the buffer may have lost bytes that did not fit the pipe, so it wakes both."""
    for channels in ({"telegram"}, {"webhook"}, {"telegram", "webhook"}):
        assert child.woken(child.wake_bytes(channels)) == channels
    assert child.woken(b"twwwt") == {"telegram", "webhook"}
    assert child.woken(b"www") == {"webhook"}
    assert child.woken(b"w" * child.WAKE_READ) == {"telegram", "webhook"}
