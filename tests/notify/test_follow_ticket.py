"""Following a ticket in Telegram: from the phone page's link to "called to window N"."""

from __future__ import annotations

import time

from tests.helpers.app import Api
from tests.helpers.fake_telegram import FakeBotApi, buttons, wait_until

from .conftest import backend, followers, page_config, payload_of

CHAT = 1001


def follow(
    api: Api, telegram: FakeBotApi, chat: int = CHAT, language: str = "uk"
) -> dict[str, object]:
    """Take a ticket, open its phone page, follow the page's Telegram link."""
    ticket = api.issue(1)
    config = page_config(api, f"/t/{ticket['public_token']}")
    assert config["telegram"] == ticket["telegram_url"]
    telegram.start_bot(chat, payload_of(str(config["telegram"])), language)
    telegram.wait_message(chat, str(ticket["number"]))
    return ticket


def test_the_page_link_follows_the_ticket_and_the_call_arrives_within_a_second(
    bot: Api, telegram: FakeBotApi, database_url: str
) -> None:
    ticket = follow(bot, telegram)
    welcome = telegram.messages(CHAT)[0]
    text = str(welcome.params["text"])
    assert "Перед вами: 0" in text, "it answers with the place at once"
    assert "зберігаю лише номер цього чату" in text, "and says what it keeps"
    assert [b.split(":")[0] for b in buttons(welcome)] == ["leave"]
    bot.open("clerk1", 1)
    called = bot.call_next("clerk1", 1)
    assert called is not None
    assert called["id"] == ticket["id"]
    answered = time.monotonic()
    message = telegram.wait_message(CHAT, "вікна 1", timeout=5)
    assert message.at - answered < 1.0, "called within a second of the call"
    assert str(ticket["number"]) in str(message.params["text"])
    bot.post(f"/api/v1/tickets/{ticket['id']}/start", "clerk1")
    bot.post(f"/api/v1/tickets/{ticket['id']}/finish", "clerk1")
    telegram.wait_message(CHAT, "Дякуємо за візит")
    assert followers(database_url) == [], "the chat id is forgotten with the ticket"


def test_english_speakers_get_english_and_recalls_and_pauses_are_told(
    bot: Api, telegram: FakeBotApi
) -> None:
    ticket = follow(bot, telegram, language="en")
    assert telegram.texts(CHAT)[0].startswith(f"Ticket {ticket['number']}")
    bot.open("clerk1", 1)
    bot.call_next("clerk1", 1)
    telegram.wait_message(CHAT, "please go to window 1")
    bot.post(f"/api/v1/tickets/{ticket['id']}/recall", "clerk1")
    telegram.wait_message(CHAT, "Called again!")
    r = bot.post("/api/v1/branch/pause", "admin", {"reason": "air-raid alert"})
    assert r.status_code == 200, r.text
    telegram.wait_message(CHAT, "Service is paused (air-raid alert)")
    bot.post("/api/v1/branch/resume", "admin")
    telegram.wait_message(CHAT, "Service has resumed")


def test_a_few_people_ahead_is_told_once(bot: Api, telegram: FakeBotApi) -> None:
    for _ in range(5):
        bot.issue(1)
    follow(bot, telegram)  # 5 ahead
    bot.open("clerk1", 1)
    for _ in range(2):
        bot.call_next("clerk1", 1)
        bot.post(f"/api/v1/tickets/{_current(bot)}/no-show", "clerk1")
    near = telegram.wait_message(CHAT, "скоро ваша черга")  # "3 or fewer" by default
    assert "Перед вами: 3." in str(near.params["text"])
    bot.call_next("clerk1", 1)  # 2 ahead now: nothing more to say
    bot.post("/api/v1/branch/pause", "admin", {"reason": ""})
    telegram.wait_message(CHAT, "призупинено")  # sent after anything the call made
    assert sum("скоро ваша черга" in t for t in telegram.texts(CHAT)) == 1


def _current(api: Api) -> int:
    r = api.client.get("/api/v1/counters", headers=api.as_user("clerk1"))
    counter = next(c for c in r.json() if c["id"] == 1)
    return int(counter["current"]["id"])


def test_leaving_the_queue_from_the_bot_asks_first_then_cancels(
    bot: Api, telegram: FakeBotApi
) -> None:
    ticket = follow(bot, telegram)
    welcome = telegram.messages(CHAT)[0]
    message_id = welcome.params.get("message_id") or 1
    [leave] = buttons(welcome)
    telegram.press(CHAT, int(message_id), leave)
    wait_until(lambda: telegram.of("editMessageReplyMarkup"), what="the confirmation buttons")
    confirm = telegram.of("editMessageReplyMarkup")[-1]
    choices = buttons(confirm)
    assert [c.split(":")[0] for c in choices] == ["leave-yes", "keep-t"]
    status = bot.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert status["status"] == "waiting", "nothing happens before the confirmation"
    telegram.press(CHAT, int(message_id), choices[0])
    telegram.wait_message(CHAT, "скасовано")
    status = bot.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert status["status"] == "cancelled"


def test_a_button_of_another_chat_changes_nothing(bot: Api, telegram: FakeBotApi) -> None:
    ticket = follow(bot, telegram)
    [leave] = buttons(telegram.messages(CHAT)[0])
    follower = leave.split(":")[1]
    telegram.press(2002, 5, f"leave-yes:{follower}")  # forged by another chat
    wait_until(lambda: telegram.of("answerCallbackQuery"), what="the refusal")
    answer = telegram.of("answerCallbackQuery")[-1]
    assert answer.params.get("show_alert") is True
    status = bot.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert status["status"] == "waiting"


def test_a_forged_or_ended_payload_is_refused(
    bot: Api, telegram: FakeBotApi, database_url: str
) -> None:
    telegram.start_bot(3003, "tAAAAAAAAAAAAAAAAAAAAAA")  # the right shape, no such ticket
    telegram.wait_message(3003, "посилання недійсне")
    telegram.start_bot(3004, "../../etc/passwd")
    telegram.wait_message(3004, "посилання недійсне")
    ticket = bot.issue(1)
    bot.client.post(f"/api/v1/tickets/{ticket['id']}/cancel", headers=bot.as_user("admin"))
    telegram.start_bot(3005, payload_of(str(ticket["telegram_url"])))
    telegram.wait_message(3005, "посилання недійсне")
    assert followers(database_url) == []
    assert backend(bot).notify.bot is not None
