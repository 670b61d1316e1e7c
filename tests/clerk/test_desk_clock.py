"""A desk PC whose clock is wrong still shows how long ago the visitor was called."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cherha.client import QueueClient, ServerClock
from tests.helpers.app import Centre, ThreadedServer
from tests.helpers.clerk_desk import TIMEOUT, waiting_shown

from .conftest import DeskFactory


def test_the_timer_counts_in_the_server_s_time(
    live: tuple[ThreadedServer, Centre], make_desk: DeskFactory, kiosk: QueueClient, qtbot: QtBot
) -> None:
    fast = ServerClock(lambda: datetime.now(UTC) + timedelta(minutes=7))  # the PC runs 7 min fast
    desk = make_desk(live[0].url, clock=fast)
    desk.login("clerk1")
    desk.controller.live.choose_counter(1)
    desk.act(Qt.Key.Key_F9)
    kiosk.issue_ticket(1)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "1", timeout=TIMEOUT)
    desk.act(Qt.Key.Key_F2)
    with qtbot.waitSignal(desk.controller.live.timer_changed, timeout=3000) as tick:
        pass
    assert tick.args is not None
    kind, seconds, _frozen = tick.args
    assert kind == "called"
    assert 0 <= seconds < 30  # not 7 minutes
    assert desk.view.ticket_panel.timer.text().startswith("Викликано 00:")
