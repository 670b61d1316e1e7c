"""A booking in Telegram: confirmation, reminders on a virtual clock, "I'll be late", cancel,
and the visit followed on after check-in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cherha.server.store.db import Database
from cherha.server.store.models import Event
from tests.helpers.app import Api, FakeClock
from tests.helpers.fake_telegram import FakeBotApi, buttons, wait_until

from .conftest import followers, outbox_rows, payload_of

KYIV = ZoneInfo("Europe/Kyiv")
SLOT = datetime(2026, 11, 26, 10, 0, tzinfo=KYIV)  # two days after the fake clock's start
CHAT = 4004


def book(api: Api, start: datetime = SLOT) -> dict[str, Any]:
    r = api.client.post(
        "/api/v1/bookings",
        json={"service_id": 1, "start": start.isoformat(), "name": "Олена", "phone": "0671234567"},
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_confirmation_and_reminders_the_day_and_the_hour_before(
    bot: Api, telegram: FakeBotApi, clock: FakeClock
) -> None:
    booking = book(bot)
    assert booking["telegram_url"], "the booking page offers the bot"
    telegram.start_bot(CHAT, payload_of(booking["telegram_url"]), "en")
    welcome = telegram.wait_message(CHAT, "Your booking is confirmed")
    assert booking["code"] in str(welcome.params["text"])
    assert "26.11.2026 at 10:00" in str(welcome.params["text"]), "the centre's local time"
    assert [b.split(":")[0] for b in buttons(welcome)] == ["cancel", "late"]

    clock.now = SLOT - timedelta(days=1, seconds=1)
    time_passes(bot)
    assert not any("Reminder" in t for t in telegram.texts(CHAT)), "not before its time"
    clock.now = SLOT - timedelta(days=1)
    telegram.wait_message(CHAT, "Reminder: your visit is tomorrow")
    clock.now = SLOT - timedelta(hours=1)
    telegram.wait_message(CHAT, "Reminder: your visit is in an hour")
    assert sum("Reminder" in t for t in telegram.texts(CHAT)) == 2


def test_a_reminder_whose_words_are_no_longer_true_is_dropped_unsent(
    bot: Api, telegram: FakeBotApi, clock: FakeClock, database_url: str
) -> None:
    """The server (or Telegram) was away when both reminders fell due: at 20 minutes before
    the visit, "tomorrow" and "in an hour" would both be wrong."""
    booking = book(bot)
    telegram.start_bot(CHAT, payload_of(booking["telegram_url"]))
    telegram.wait_message(CHAT, "Ваш запис підтверджено")
    wait_until(
        lambda: (
            sorted(r.kind for r in outbox_rows(database_url)) == ["reminder_day", "reminder_hour"]
        ),
        5,
        "only the reminders to wait",
    )
    clock.now = SLOT - timedelta(minutes=20)
    time_passes(bot)
    wait_until(lambda: not outbox_rows(database_url), 5, "the reminders to be dropped")
    assert not any("Нагадування" in t for t in telegram.texts(CHAT))


def time_passes(api: Api) -> None:
    """Let the sender look at the outbox a few times."""
    bot = api.client.app.state.backend.notify.bot  # type: ignore[attr-defined]
    for _ in range(3):
        bot.poke()
        wait_until(lambda: not bot.wake.is_set(), 5, "the sender to look")


def test_late_and_cancel_from_the_bot_with_the_cancel_page_rules(
    bot: Api, telegram: FakeBotApi, database_url: str
) -> None:
    booking = book(bot)
    telegram.start_bot(CHAT, payload_of(booking["telegram_url"]))
    welcome = telegram.wait_message(CHAT, "Ваш запис підтверджено")
    cancel, late = buttons(welcome)
    telegram.press(CHAT, 1, late)
    late_noted = telegram.wait_message(CHAT, "Дякуємо, що попередили")
    assert "до 10:05" in str(late_noted.params["text"]), "5 minutes of grace after the slot"
    assert _event_types(database_url).count("booking_running_late") == 1
    telegram.press(CHAT, 1, cancel)
    wait_until(lambda: telegram.of("editMessageReplyMarkup"), what="the confirmation")
    telegram.press(CHAT, 1, buttons(telegram.of("editMessageReplyMarkup")[-1])[0])
    telegram.wait_message(CHAT, f"Запис {booking['code']} скасовано")
    r = bot.client.get(f"/api/v1/bookings/{booking['code']}", params={"phone": "0671234567"})
    assert r.json()["status"] == "cancelled"
    assert followers(database_url) == [], "the chat is forgotten with the booking"
    assert not [r for r in outbox_rows(database_url) if r.kind.startswith("reminder")]


def test_check_in_hands_the_chat_on_to_the_ticket(
    bot: Api, telegram: FakeBotApi, clock: FakeClock
) -> None:
    booking = book(bot)
    telegram.start_bot(CHAT, payload_of(booking["telegram_url"]))
    telegram.wait_message(CHAT, "Ваш запис підтверджено")
    clock.now = SLOT - timedelta(minutes=10)
    r = bot.post(f"/api/v1/bookings/{booking['code']}/check-in", "kiosk")
    assert r.status_code == 201, r.text
    ticket = r.json()
    checked = telegram.wait_message(CHAT, f"ваш талон {ticket['number']}")
    assert [b.split(":")[0] for b in buttons(checked)] == ["leave"]
    bot.open("clerk1", 1)
    called = bot.call_next("clerk1", 1)
    assert called is not None
    assert called["id"] == ticket["id"]
    telegram.wait_message(CHAT, "вас запрошують до вікна 1")
    assert not any("Нагадування" in t for t in telegram.texts(CHAT)), "no reminder after it"


def _event_types(database_url: str) -> list[str]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(Event.type)))
    finally:
        db.dispose()
