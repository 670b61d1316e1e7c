"""A chat id is personal data: never in events, streams or the board; kept only while its
ticket or booking lives; gone with the booking's personal data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cherha.server.store.bookings import BookingOps
from cherha.server.store.db import Database
from cherha.server.store.models import AuditEntry, Event
from tests.helpers.app import Api, FakeClock
from tests.helpers.fake_telegram import FakeBotApi

from .conftest import followers, outbox_rows, payload_of
from .test_booking_bot import SLOT, book

CHAT = 987_654_321


def test_chat_ids_appear_in_no_event_stream_or_board(
    bot: Api, telegram: FakeBotApi, database_url: str
) -> None:
    ticket = bot.issue(1)
    telegram.start_bot(CHAT, payload_of(str(ticket["telegram_url"])))
    telegram.wait_message(CHAT, str(ticket["number"]))
    telegram.press(CHAT, 1, f"leave-yes:{followers(database_url)[0].id}")
    telegram.wait_message(CHAT, "скасовано")
    db = Database(database_url)
    try:
        with db.read() as session:
            events = list(session.scalars(select(Event)))
            audit = list(session.scalars(select(AuditEntry)))
    finally:
        db.dispose()
    cancelled = next(e for e in events if e.type == "ticket_cancelled")
    assert cancelled.actor == "telegram:bot"
    text = repr([(e.type, e.actor, e.data) for e in events] + [(a.actor, a.data) for a in audit])
    assert str(CHAT) not in text
    assert str(CHAT) not in bot.client.get("/api/v1/board").text
    assert str(CHAT) not in bot.client.get(f"/api/v1/tickets/{ticket['public_token']}").text
    assert followers(database_url) == []
    assert outbox_rows(database_url) == [], "sent messages are not kept"


def test_stop_forgets_the_chat_at_once(bot: Api, telegram: FakeBotApi, database_url: str) -> None:
    ticket = bot.issue(1)
    telegram.start_bot(CHAT, payload_of(str(ticket["telegram_url"])))
    telegram.wait_message(CHAT, str(ticket["number"]))
    assert [f.chat_id for f in followers(database_url)] == [CHAT]
    telegram.send_text(CHAT, "/stop")
    telegram.wait_message(CHAT, "я забув цей чат")
    assert followers(database_url) == []
    bot.open("clerk1", 1)
    bot.call_next("clerk1", 1)
    telegram.send_text(CHAT, "/help")  # a message that comes after anything the call made
    telegram.wait_message(CHAT, "Я — бот електронної черги")
    assert not any("вікна 1" in t for t in telegram.texts(CHAT))


def test_the_purge_forgets_a_chat_following_a_booking(
    bot: Api, telegram: FakeBotApi, database_url: str, clock: FakeClock
) -> None:
    booking = book(bot)
    telegram.start_bot(CHAT, payload_of(booking["telegram_url"]))
    telegram.wait_message(CHAT, "Ваш запис підтверджено")
    db = Database(database_url)  # no bot hooked here: only the purge can forget it
    try:
        later = FakeClock(SLOT + timedelta(days=31))
        assert BookingOps(db, later).purge() == 1
    finally:
        db.dispose()
    assert followers(database_url) == []
    assert [r for r in outbox_rows(database_url) if r.chat_id is not None] == []
