"""Fixtures for notifications: a fake Bot API on loopback and the server in-process with the bot."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from cherha.server.backend import Backend
from cherha.server.store.db import Database
from cherha.server.store.notify_models import OutboxMessage, TelegramFollower
from tests.helpers.app import Api, FakeClock, api_for
from tests.helpers.fake_telegram import (
    TOKEN,
    FakeBotApi,
    WebhookReceiver,
    fake_bot_api,
    wait_until,
)
from tests.helpers.server import CLERK_PASSWORD, cli, login


def bot_settings(fake: FakeBotApi, **more: Any) -> dict[str, Any]:
    return {
        "telegram_bot_token": TOKEN,
        "telegram_api_url": fake.url,
        "telegram_poll_timeout_seconds": 1,
        "notify_poll_seconds": 0.1,
        **more,
    }


@pytest.fixture
def telegram() -> Iterator[FakeBotApi]:
    with fake_bot_api() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bot(database_url: str, telegram: FakeBotApi, clock: FakeClock) -> Iterator[Api]:
    """The server in-process with the bot on, polling the fake Bot API."""
    with api_for(database_url, clock, **bot_settings(telegram)) as api:
        wait_for_bot(api)
        yield api


def backend(api: Api) -> Backend:
    be: Backend = api.client.app.state.backend  # type: ignore[attr-defined]
    return be


def wait_for_bot(api: Api) -> None:
    """Until the bot knows its username and this instance polls."""
    bot = backend(api).notify.bot
    assert bot is not None
    wait_until(lambda: backend(api).notify.links.known and bot.leading, 20, "the bot to start")


def page_config(api: Api, path: str) -> dict[str, Any]:
    """The JSON configuration a page hands its script."""
    html = api.client.get(path).text
    found = re.search(r'<script id="cherha-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def payload_of(link: str) -> str:
    found = re.fullmatch(r"https://t\.me/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]{1,64})", link)
    assert found is not None, link
    return found.group(2)


def ticket_link(base_url: str, ticket: dict[str, Any]) -> str | None:
    """A ticket's Telegram link from a live server: in the answer that issued it, or (if the
    bot had not learned its username yet) on its phone page once it has."""
    if ticket.get("telegram_url"):
        return str(ticket["telegram_url"])
    html = httpx.get(f"{base_url}/t/{ticket['public_token']}").text
    found = re.search(r'"telegram":"([^"]+)"', html)
    return found.group(1) if found else None


def followers(database_url: str) -> list[TelegramFollower]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(TelegramFollower)))
    finally:
        db.dispose()


def outbox_rows(database_url: str) -> list[OutboxMessage]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    finally:
        db.dispose()


# -- a live server's notifications (real processes) -------------------------------------------


def add_webhook(database_url: str, receiver: WebhookReceiver, events: str) -> None:
    """`cherha-server webhook add` for the receiver; it learns the secret to check with."""
    out = cli(
        {**os.environ, "CHERHA_DATABASE_URL": database_url},
        "webhook",
        "add",
        receiver.url,
        "--events",
        events,
    )
    receiver.secret = out.split("secret ", 1)[1].strip()


def follow_and_call(
    server_url: str, kiosk_key: str, telegram: FakeBotApi, chat: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """A ticket followed in Telegram from its link, then called: "called to window 1" reaches
    the chat within a second of the call. The ticket and the clerk's headers."""
    kiosk = {"Authorization": f"Bearer {kiosk_key}"}
    issued: dict[str, Any] = httpx.post(
        f"{server_url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk
    ).json()
    link = wait_until(lambda: ticket_link(server_url, issued), 20, "the bot's link")
    telegram.start_bot(chat, payload_of(link))
    telegram.wait_message(chat, str(issued["number"]), timeout=20)
    clerk = {"Authorization": f"Bearer {login(server_url, 'clerk1', CLERK_PASSWORD)}"}
    httpx.post(f"{server_url}/api/v1/counters/1/open", headers=clerk)
    started = time.monotonic()
    httpx.post(f"{server_url}/api/v1/counters/1/call-next", headers=clerk)
    message = telegram.wait_message(chat, "вікна 1")
    assert message.at - started < 1.0, '"called" reaches the chat within a second of the call'
    return issued, clerk
