"""The senders' side of the outbox: a settle writes what became of the last pass's rows and
claims the next ones — due rows only, each once, the most urgent first, its attempts counted —
whether it runs in a transaction of its own or inside the server's group commit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from cherha.server.notify import outbox
from cherha.server.store.clock import utcnow
from cherha.server.store.db import Database
from cherha.server.store.notify_models import OutboxMessage
from tests.helpers.app import make_centre


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    make_centre(database_url)
    database = Database(database_url)
    try:
        yield database
    finally:
        database.dispose()


def message(db: Database, kind: str, chat: int, now: datetime, due_at: datetime) -> int:
    with db.write(None) as session:
        outbox.add_telegram(
            session,
            chat_id=chat,
            language="uk",
            kind=kind,
            facts={"number": f"A{chat:03}"},
            now=now,
            due_at=due_at,
            branch_id=1,
        )
        newest = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()))
        return newest.first() or pytest.fail("the message was not written")


def states(db: Database) -> dict[int, tuple[str, int]]:
    with db.read() as session:
        rows = session.execute(
            select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.attempts)
        )
        return {i: (state, attempts) for i, state, attempts in rows}


def test_a_settle_claims_each_due_row_once_the_most_urgent_first(db: Database) -> None:
    now = utcnow()
    near = message(db, "near", 1, now, now)
    called = message(db, "called", 2, now, now)
    tomorrow = message(db, "reminder_day", 3, now, now + timedelta(days=1))
    claimed = outbox.settle(db, [], [near, called, tomorrow], now)
    assert [(c.id, c.kind, c.attempts, c.chat_id) for c in claimed] == [
        (called, "called", 1, 2),
        (near, "near", 1, 1),
    ]
    assert claimed[0].payload == {"number": "A002"}
    assert outbox.settle(db, [], [near, called], now) == [], "claimed already"
    assert states(db)[tomorrow] == ("pending", 0), "not due yet"

    later = now + timedelta(seconds=30)
    outcomes = [
        outbox.Outcome(called, sent=True, keep=False),  # a Telegram row holds a chat id
        outbox.Outcome(near, retry_at=later, error="HTTP 502"),
    ]
    assert outbox.settle(db, outcomes, [near], now) == [], "due again only at `retry_at`"
    assert states(db) == {near: ("pending", 1), tomorrow: ("pending", 0)}
    again = outbox.settle(db, [], [near], later)
    assert [(c.id, c.attempts) for c in again] == [(near, 2)]


def test_a_settle_inside_the_server_s_group_commit(sqlite_url: str) -> None:
    """`serve` with the notifications on its own loop settles on the server's write lane,
    inside a group commit (SQLite's): the claim is read on the group's connection (one of its
    own would wait for the group's write lock, and time out)."""
    make_centre(sqlite_url)
    db = Database(sqlite_url)
    try:
        now = utcnow()
        called = message(db, "called", 2, now, now)
        with db.group():
            claimed = outbox.settle(db, [], [called], now)
        assert [(c.id, c.attempts) for c in claimed] == [(called, 1)]
        assert states(db) == {called: ("sending", 1)}
    finally:
        db.dispose()


def test_a_row_gone_between_the_claim_and_its_read_is_not_sent(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claimed rows' messages are read after the claim's commit: a row deleted in between
    (its booking's personal data purged) is left out, not sent with what it said."""
    now = utcnow()
    first, second = message(db, "called", 1, now, now), message(db, "called", 2, now, now)
    read_claimed = outbox._claimed

    def purge_then_read(database: Database, attempts: dict[int, int]) -> list[outbox.Claimed]:
        with database.write(None) as session:
            session.delete(session.get_one(OutboxMessage, second))
        return read_claimed(database, attempts)

    monkeypatch.setattr(outbox, "_claimed", purge_then_read)
    assert [c.id for c in outbox.settle(db, [], [first, second], now)] == [first]
