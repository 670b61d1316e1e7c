"""Telegram misbehaving - 429, 502, a stall - delays messages and never an API answer; a server
killed with SIGKILL sends what was pending, once, after its restart."""

from __future__ import annotations

import time
from collections import Counter
from functools import partial
from pathlib import Path

import httpx
import pytest

from cherha.server.store.clock import utcnow
from tests.helpers.app import Api, api_for
from tests.helpers.fake_telegram import TOKEN, FakeBotApi, wait_until
from tests.helpers.server import ADMIN_PASSWORD, ServerProcess, login, prepare_database

from .conftest import bot_settings, payload_of, ticket_link, wait_for_bot

CHAT = 5005
METRICS_KEY = "notify-metrics-key"


def test_429_and_502_are_retried_and_the_call_is_delivered_once(
    database_url: str, telegram: FakeBotApi
) -> None:
    settings = bot_settings(telegram, metrics_key=METRICS_KEY)  # /metrics is kept to its readers
    with api_for(database_url, utcnow, **settings) as api:
        wait_for_bot(api)
        ticket = api.issue(1)
        telegram.start_bot(CHAT, payload_of(str(ticket["telegram_url"])))
        telegram.wait_message(CHAT, str(ticket["number"]))
        telegram.fail(429, 1, retry_after=1)
        telegram.fail(502, 2)
        api.open("clerk1", 1)
        api.call_next("clerk1", 1)
        telegram.wait_message(CHAT, "вікна 1", timeout=15)
        refused = [c.status for c in telegram.of("sendMessage", status=None) if c.status != 200]
        assert refused == [429, 502, 502]
        time.sleep(1.0)  # anything sent twice would show by now
        assert sum("вікна 1" in t for t in telegram.texts(CHAT)) == 1
        metrics = api.client.get("/metrics", params={"key": METRICS_KEY}).text
        assert 'cherha_notifications_total{channel="telegram",outcome="retry"} 3.0' in metrics
        assert 'cherha_notifications_total{channel="telegram",outcome="sent"} 2.0' in metrics


def _issue(api: Api) -> float:
    started = time.perf_counter()
    r = api.post("/api/v1/tickets", "kiosk", {"service_id": 1})
    assert r.status_code == 201, r.text
    return time.perf_counter() - started


def _call(api: Api) -> float:
    """Call the next visitor at window 1 and start serving them (so the next call may come)."""
    started = time.perf_counter()
    r = api.post("/api/v1/counters/1/call-next", "clerk1")
    elapsed = time.perf_counter() - started
    assert r.status_code == 200, r.text
    api.post(f"/api/v1/tickets/{r.json()['id']}/start", "clerk1")
    return elapsed


def test_a_stalled_or_failing_bot_api_does_not_slow_issuing_or_calling(
    database_url: str, telegram: FakeBotApi
) -> None:
    stall = 3.0
    with api_for(database_url, utcnow, **bot_settings(telegram)) as api:
        wait_for_bot(api)
        for chat in range(10):
            ticket = api.issue(1)
            telegram.start_bot(7000 + chat, payload_of(str(ticket["telegram_url"])))
        wait_until(lambda: len(telegram.messages()) == 10, what="ten welcomes")
        api.open("clerk1", 1)
        telegram.stall_seconds = stall  # every message now hangs for 3 s …
        slowest = max(max(_issue(api), _call(api)) for _ in range(5))
        telegram.stall_seconds = 0
        telegram.down = True  # … then every message fails with 502
        slowest_down = max(max(_issue(api), _call(api)) for _ in range(5))
        telegram.down = False
    # The requests never wait for Telegram: far below the stall even on a busy machine.
    assert slowest < stall / 2, slowest
    assert slowest_down < stall / 2, slowest_down


@pytest.mark.slow
def test_sigkill_with_50_pending_messages_delivers_each_once_after_restart(
    tmp_path: Path, telegram: FakeBotApi
) -> None:
    url = f"sqlite:///{tmp_path / 'cherha.db'}"
    prepared = prepare_database(url)
    env = {
        "CHERHA_TELEGRAM_BOT_TOKEN": TOKEN,
        "CHERHA_TELEGRAM_API_URL": telegram.url,
        "CHERHA_TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
        "CHERHA_NOTIFY_POLL_SECONDS": "0.2",
        "CHERHA_TELEGRAM_MESSAGES_PER_SECOND": "200",
    }
    server = ServerProcess(url, extra_env=env, log=tmp_path / "server.log").start()
    try:
        kiosk = {"Authorization": f"Bearer {prepared.kiosk_key}"}
        chats = list(range(9000, 9050))
        for chat in chats:
            r = httpx.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
            r.raise_for_status()
            issued = r.json()
            link = wait_until(partial(ticket_link, server.url, issued), what="the bot's link")
            telegram.start_bot(chat, payload_of(link))
        wait_until(lambda: len(telegram.messages()) == 50, 30, "fifty welcomes")
        telegram.down = True  # Telegram is unreachable: messages pile up …
        admin = {"Authorization": f"Bearer {login(server.url, 'admin', ADMIN_PASSWORD)}"}
        r = httpx.post(
            f"{server.url}/api/v1/branch/pause", json={"reason": "тривога"}, headers=admin
        )
        r.raise_for_status()
        wait_until(lambda: telegram.of("sendMessage", status=502), what="a failed try")
        server.kill()  # … and the server dies with 50 messages pending
    finally:
        server.stop()
    telegram.down = False
    restarted = ServerProcess(url, extra_env=env, log=tmp_path / "server.log", port=server.port)
    with restarted:
        wait_until(
            lambda: sum("призупинено" in str(c.params["text"]) for c in telegram.messages()) >= 50,
            30,
            "the fifty pending messages",
        )
        time.sleep(1.0)  # a second sending of any would show by now
    paused = Counter(
        c.params["chat_id"] for c in telegram.messages() if "призупинено" in str(c.params["text"])
    )
    assert paused == Counter(dict.fromkeys(chats, 1)), "each delivered, and only once"
