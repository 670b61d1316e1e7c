"""`serve`'s default: the notifications in a child process it starts, wakes and stops."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from cherha.server.notify.child import NICENESS
from tests.helpers.fake_telegram import TOKEN, FakeBotApi, WebhookReceiver, wait_until
from tests.helpers.server import ServerProcess, notifier_children, prepare_database

from .conftest import add_webhook, follow_and_call

pytestmark = pytest.mark.slow

CHAT = 9009


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def the_child(server: ServerProcess) -> int:
    pids: list[int] = wait_until(
        lambda: notifier_children(server.pid), 20, "the notifications' child"
    )
    assert len(pids) == 1, pids
    return pids[0]


def bot_env(telegram: FakeBotApi) -> dict[str, str]:
    return {
        "CHERHA_TELEGRAM_BOT_TOKEN": TOKEN,
        "CHERHA_TELEGRAM_API_URL": telegram.url,
        "CHERHA_TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
        "CHERHA_LOG_LEVEL": "warning",
    }


def test_serve_sends_from_a_child_that_is_woken_by_the_call_and_restarted_if_it_dies(
    tmp_path: Path, telegram: FakeBotApi
) -> None:
    url = f"sqlite:///{tmp_path / 'cherha.db'}"
    prepared = prepare_database(url)
    receiver = WebhookReceiver().start()
    add_webhook(url, receiver, "*")
    # A long poll: a message within a second can only come from the server's wake-up.
    env = bot_env(telegram) | {"CHERHA_NOTIFY_POLL_SECONDS": "30"}
    try:
        with ServerProcess(url, extra_env=env, log=tmp_path / "server.log") as server:
            child = the_child(server)
            wait_until(
                lambda: os.getpriority(os.PRIO_PROCESS, child) == NICENESS, 5, "its priority"
            )
            issued, clerk = follow_and_call(server.url, prepared.kiosk_key, telegram, CHAT)
            wait_until(
                lambda: any(d.event == "ticket_called" for d in receiver.accepted()),
                what="the webhook delivery",
            )
            assert all(d.valid for d in receiver.accepted())

            # The child dies: the server starts another, and nothing is lost.
            os.kill(child, signal.SIGKILL)
            wait_until(lambda: not running(child), 10, "the child to end")
            second = wait_until(
                lambda: [p for p in notifier_children(server.pid) if p != child], 20, "a new child"
            )[0]
            recall = f"{server.url}/api/v1/tickets/{issued['id']}/recall"
            assert httpx.post(recall, headers=clerk).status_code == 200
            telegram.wait_message(CHAT, "Повторний виклик", timeout=20)
            assert notifier_children(server.pid) == [second]
            server.stop()
            assert not running(second), "the child stops with the server"
    finally:
        receiver.stop()
    log = (tmp_path / "server.log").read_text()
    assert "notifications' process ended" in log, log
    assert "Traceback" not in log, log


def test_a_server_killed_leaves_no_child_behind(tmp_path: Path, telegram: FakeBotApi) -> None:
    url = f"sqlite:///{tmp_path / 'cherha.db'}"
    prepare_database(url)
    with ServerProcess(url, extra_env=bot_env(telegram), log=tmp_path / "server.log") as server:
        child = the_child(server)
        server.kill()
        wait_until(lambda: not running(child), 15, "the orphaned child to stop by itself")


def test_a_centre_without_notifications_starts_a_child_only_when_a_webhook_needs_one(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'cherha.db'}"
    prepared = prepare_database(url)
    receiver = WebhookReceiver().start()
    try:
        with ServerProcess(url, log=tmp_path / "server.log") as server:
            kiosk = {"Authorization": f"Bearer {prepared.kiosk_key}"}
            httpx.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
            time.sleep(1.0)  # what a wrongly started child would need to appear
            assert notifier_children(server.pid) == [], "no bot, no webhook: no process for them"
            add_webhook(url, receiver, "ticket_issued")

            # The server notices a new webhook within seconds; the first issue after that
            # writes to the outbox, which starts the child.
            deadline = time.monotonic() + 20
            while not receiver.accepted():
                assert time.monotonic() < deadline, "no delivery to the webhook added meanwhile"
                httpx.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
                time.sleep(0.5)
            assert len(notifier_children(server.pid)) == 1
            assert all(d.valid for d in receiver.accepted())
    finally:
        receiver.stop()
