"""Two server instances on one PostgreSQL: one polls and sends for the bot, both deliver
webhooks, and every message and delivery goes out exactly once."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from functools import partial
from pathlib import Path

import httpx
import pytest

from cherha.server.notify.webhooks import WebhookRegistry
from cherha.server.store.db import Database
from tests.helpers.app import make_centre
from tests.helpers.fake_telegram import TOKEN, FakeBotApi, WebhookReceiver, wait_until
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD, ServerProcess, login

from .conftest import payload_of, ticket_link

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_each_message_and_delivery_is_sent_once(
    postgres_cluster: ThrowawayPostgres, telegram: FakeBotApi, tmp_path: Path
) -> None:
    url = postgres_cluster.create_database(f"n_{uuid.uuid4().hex[:12]}")
    centre = make_centre(url, clerks=2)
    receiver = WebhookReceiver().start()
    db = Database(url)
    try:
        _hook, receiver.secret = WebhookRegistry(db).add(
            receiver.url, ["ticket_issued", "branch_paused", "branch_resumed"]
        )
    finally:
        db.dispose()
    env = {
        "CHERHA_TELEGRAM_BOT_TOKEN": TOKEN,
        "CHERHA_TELEGRAM_API_URL": telegram.url,
        "CHERHA_TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
        "CHERHA_TELEGRAM_MESSAGES_PER_SECOND": "200",
        # Only NOTIFY can wake the other instance's senders this fast.
        "CHERHA_NOTIFY_POLL_SECONDS": "30",
    }
    try:
        with (
            ServerProcess(url, extra_env=env, log=tmp_path / "a.log") as a,
            ServerProcess(url, extra_env=env, log=tmp_path / "b.log") as b,
        ):
            kiosk = {"Authorization": f"Bearer {centre.kiosk_key}"}
            chats = list(range(6000, 6020))
            for n, chat in enumerate(chats):
                server = (a, b)[n % 2]
                r = httpx.post(
                    f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk
                )
                r.raise_for_status()
                issued = r.json()
                link = wait_until(partial(ticket_link, server.url, issued), 20, "the bot's link")
                telegram.start_bot(chat, payload_of(link))
            wait_until(lambda: len(telegram.messages()) == 20, 30, "twenty welcomes")
            admin_a = {"Authorization": f"Bearer {login(a.url, 'admin', ADMIN_PASSWORD)}"}
            admin_b = {"Authorization": f"Bearer {login(b.url, 'admin', ADMIN_PASSWORD)}"}
            httpx.post(f"{a.url}/api/v1/branch/pause", json={"reason": "x"}, headers=admin_a)
            started = time.monotonic()
            wait_until(lambda: _count(telegram, "призупинено") == 20, 10, "the pause news")
            first_latency = time.monotonic() - started
            httpx.post(f"{b.url}/api/v1/branch/resume", headers=admin_b)
            started = time.monotonic()
            wait_until(lambda: _count(telegram, "відновлено") == 20, 10, "the resume news")
            second_latency = time.monotonic() - started
            clerk = {"Authorization": f"Bearer {login(b.url, 'clerk1', CLERK_PASSWORD)}"}
            httpx.post(f"{b.url}/api/v1/counters/1/open", headers=clerk)
            httpx.post(f"{b.url}/api/v1/counters/1/call-next", headers=clerk)
            wait_until(lambda: _count(telegram, "вікна 1") == 1, 10, "the call")
            # 20 tickets issued, one pause, one resume
            wait_until(lambda: len(receiver.accepted()) >= 22, 30, "the webhook deliveries")
            time.sleep(1.5)  # anything sent twice would show by now
    finally:
        receiver.stop()
    # Whichever instance leads, the news written by the other arrives through NOTIFY.
    assert max(first_latency, second_latency) < 5, (first_latency, second_latency)
    for words in ("призупинено", "відновлено"):
        per_chat = Counter(
            c.params["chat_id"] for c in telegram.messages() if words in str(c.params["text"])
        )
        assert per_chat == Counter(dict.fromkeys(chats, 1)), words
    ids = Counter(d.id for d in receiver.accepted())
    assert all(n == 1 for n in ids.values()), "each webhook delivery once"
    events = Counter(d.event for d in receiver.accepted())
    assert events["branch_paused"] == events["branch_resumed"] == 1
    assert events["ticket_issued"] == 20
    assert len(telegram.of("getUpdates", status=None)) > 0
    assert {c.status for c in telegram.of("getUpdates", status=None)} == {200}, "no 409 Conflict"


def _count(telegram: FakeBotApi, words: str) -> int:
    return sum(words in str(c.params["text"]) for c in telegram.messages())
