"""`cherha-server notify` in a process of its own: the server only writes the outbox."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.fake_telegram import TOKEN, FakeBotApi, WebhookReceiver, wait_until
from tests.helpers.server import CLERK_PASSWORD, ServerProcess, cli, login, prepare_database

from .conftest import payload_of, ticket_link

pytestmark = pytest.mark.slow

CHAT = 8008


def test_a_notifier_process_sends_what_the_server_writes(
    tmp_path: Path, telegram: FakeBotApi
) -> None:
    url = f"sqlite:///{tmp_path / 'cherha.db'}"
    prepared = prepare_database(url)
    receiver = WebhookReceiver().start()
    env = {
        "CHERHA_TELEGRAM_BOT_TOKEN": TOKEN,
        "CHERHA_TELEGRAM_API_URL": telegram.url,
        "CHERHA_TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
        "CHERHA_NOTIFY_POLL_SECONDS": "0.2",
        "CHERHA_NOTIFY_IN_SERVER": "false",
        "CHERHA_LOG_LEVEL": "warning",
    }
    out = cli(
        {**os.environ, "CHERHA_DATABASE_URL": url},
        "webhook",
        "add",
        receiver.url,
        "--events",
        "ticket_called",
    )
    receiver.secret = out.split("secret ", 1)[1].strip()
    with (tmp_path / "notify.log").open("wb") as log:  # the child keeps its own handle
        notifier = subprocess.Popen(
            [sys.executable, "-m", "cherha.server.cli", "notify"],
            env={**os.environ, "CHERHA_DATABASE_URL": url, **env},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        with ServerProcess(url, extra_env=env, log=tmp_path / "server.log") as server:
            kiosk = {"Authorization": f"Bearer {prepared.kiosk_key}"}
            r = httpx.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
            issued = r.json()
            link = wait_until(lambda: ticket_link(server.url, issued), 20, "the bot's link")
            telegram.start_bot(CHAT, payload_of(link))
            telegram.wait_message(CHAT, str(issued["number"]), timeout=20)
            clerk = {"Authorization": f"Bearer {login(server.url, 'clerk1', CLERK_PASSWORD)}"}
            httpx.post(f"{server.url}/api/v1/counters/1/open", headers=clerk)
            started = time.monotonic()
            httpx.post(f"{server.url}/api/v1/counters/1/call-next", headers=clerk)
            message = telegram.wait_message(CHAT, "вікна 1")
            assert message.at - started < 1.0, "the notifier hears of the call within a second"
            wait_until(receiver.accepted, what="the webhook delivery")
            assert receiver.accepted()[0].valid
    finally:
        notifier.terminate()
        assert notifier.wait(timeout=20) == 0, (tmp_path / "notify.log").read_text()
        receiver.stop()
