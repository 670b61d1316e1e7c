"""`cherha-server notify` in a process of its own: the server only writes the outbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.fake_telegram import TOKEN, FakeBotApi, WebhookReceiver, wait_until
from tests.helpers.server import ServerProcess, prepare_database

from .conftest import add_webhook, follow_and_call

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
    add_webhook(url, receiver, "ticket_called")
    with (tmp_path / "notify.log").open("wb") as log:  # the child keeps its own handle
        notifier = subprocess.Popen(
            [sys.executable, "-m", "cherha.server.cli", "notify"],
            env={**os.environ, "CHERHA_DATABASE_URL": url, **env},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        with ServerProcess(url, extra_env=env, log=tmp_path / "server.log") as server:
            follow_and_call(server.url, prepared.kiosk_key, telegram, CHAT)
            wait_until(receiver.accepted, what="the webhook delivery")
            assert receiver.accepted()[0].valid
    finally:
        notifier.terminate()
        assert notifier.wait(timeout=20) == 0, (tmp_path / "notify.log").read_text()
        receiver.stop()
