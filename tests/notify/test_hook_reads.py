"""The event hook's cheap reads are exact: skipping the front of the lines when no follower of
the branch waits for its "few people ahead" notice never loses or changes a notice."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select

from cherha.core.model import EventType, TicketStatus
from cherha.server.auth import Principal
from cherha.server.notify import child, fanout
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


def hall(url: str, seed: int) -> list[tuple[Any, ...]]:
    """A random morning with followed tickets (some followed late, after the notice could
    have come); the Telegram rows the hook wrote, in order."""
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
def test_the_skip_of_the_front_of_the_lines_changes_no_notice(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    skipping = hall(f"sqlite:///{tmp_path / 'skip.db'}", seed)
    assert any(kind == "near" for _chat, kind, _facts in skipping), "the hall makes notices"
    with monkeypatch.context() as m:
        m.setattr(fanout, "awaiting_near", lambda _session, _branch: True)  # always read
        reading = hall(f"sqlite:///{tmp_path / 'read.db'}", seed)
    assert skipping == reading


def test_no_follower_no_reads_of_the_line(sqlite_url: str) -> None:
    """A branch without followers: a call makes no Telegram row and does not read the line."""
    make_centre(sqlite_url, clerks=1)
    clock = FakeClock()
    db = Database(sqlite_url)
    reads: list[int] = []
    original = fanout.front_of_line

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
            m.setattr(fanout, "front_of_line", counted)
            ops.call_next(CLERK, 1)
        with db.read() as session:
            assert session.scalars(select(OutboxMessage.id)).all() == []
        assert reads == []
    finally:
        db.dispose()


def test_followers_the_session_holds_see_what_the_hook_wrote(sqlite_url: str) -> None:
    """The hook marks "few people ahead" sent and forgets a finished ticket's followers with
    Core statements past the session (issue 18): a follower the same transaction holds as an
    object shows the notice sent, a forgotten one leaves the session, and a change made to a
    held follower before the event is written, not lost or overwritten."""
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
            # The first four of the line (the event's own ticket is still waiting here) have
            # three or fewer ahead: their notice is sent, and the objects say so.
            assert [held[t].near_sent for t in tickets] == [True] * 4 + [False] * 2
            happened(EventType.TICKET_FINISHED, tickets[0])
            assert held[tickets[0]] not in session
        with db.read() as session:
            stored = {
                f.ticket_id: (f.language, f.near_sent)
                for f in session.scalars(select(TelegramFollower))
            }
            kinds = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
        assert tickets[0] not in stored
        assert stored[tickets[1]] == ("en", True)
        assert stored[tickets[4]] == ("uk", False)
        assert kinds == ["called"] + ["near"] * 4 + ["finished"]
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
