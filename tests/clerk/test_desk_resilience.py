"""Races, restarts, expired logins, lost connections: the desk stays right and says what is up."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from cherha.client import QueueClient
from tests.helpers.app import Centre, ThreadedServer, make_centre
from tests.helpers.clerk_desk import TIMEOUT, Desk, waiting_shown
from tests.helpers.clerk_server import RestartableServer, expire_tokens
from tests.helpers.server import CLERK_PASSWORD

from .conftest import DeskFactory

Key = Qt.Key


def test_two_desks_calling_at_once_never_share_a_visitor(
    live: tuple[ThreadedServer, Centre],
    make_desk: DeskFactory,
    kiosk: QueueClient,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    one = make_desk(live[0].url, tmp_path / "desk1")
    two = make_desk(live[0].url, tmp_path / "desk2")
    for desk, name, window in ((one, "clerk1", 1), (two, "clerk2", 2)):  # both serve service 1
        desk.login(name)
        desk.controller.live.choose_counter(window)
        desk.act(Key.Key_F9)
    # Each desk's answer: the ticket it was given, or "nobody waiting". (Waiting for any
    # `ticket_changed` once caught the refresh that the kiosk's ticket set off, both desks still
    # empty, before either call had answered.)
    told_nobody: set[int] = set()
    for index, desk in enumerate((one, two)):
        desk.controller.actions.nobody_waiting.connect(lambda i=index: told_nobody.add(i))
    for _round in range(3):
        issued = kiosk.issue_ticket(1)
        told_nobody.clear()
        one.controller.actions.call_next()
        two.controller.actions.call_next()

        def both_answered(issued_id: int = issued.id) -> bool:
            holding = {
                i
                for i, desk in enumerate((one, two))
                if (ticket := desk.controller.live.ticket) is not None and ticket.id == issued_id
            }
            return len(holding | told_nobody) == 2

        qtbot.waitUntil(both_answered, timeout=TIMEOUT)
        got = [d.controller.live.ticket for d in (one, two)]
        called = [t for t in got if t is not None]
        assert len(called) == 1, got
        idle = one if got[0] is None else two
        assert idle.message() == "Ніхто не чекає"
        busy = two if idle is one else one
        busy.press(Key.Key_F5)
        busy.answer(Key.Key_Return)
        idle.settle()


def test_the_app_restart_brings_back_window_and_visitor(
    live: tuple[ThreadedServer, Centre], make_desk: DeskFactory, kiosk: QueueClient
) -> None:
    first = make_desk(live[0].url)
    first.login("clerk1")
    first.controller.live.choose_counter(2)
    first.act(Key.Key_F9)
    first.act(Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    kiosk.issue_ticket(8)
    kiosk.issue_ticket(2 + 6)
    first.act(Key.Key_F2)
    first.act(Key.Key_F6)  # К001 a no-show
    first.act(Key.Key_F2)
    first.act(Key.Key_F4)  # К002 being served
    first.close()

    again = make_desk(None)  # the server address is remembered too
    login = again.window.login_view
    assert login.username.text() == "clerk1"
    assert login.server.text() == live[0].url
    assert again.view.buttons["call_next"].text() == "Call next  [F2]"
    again.login("clerk1")
    c = again.controller.live
    assert c.counter is not None
    assert (c.counter.number, c.counter.state) == (2, "open")
    assert c.ticket is not None
    assert (c.ticket.number, c.ticket.status) == ("К002", "serving")
    assert again.view.ticket_panel.number.text() == "К002"
    assert again.view.ticket_panel.timer.text().startswith("Serving:")
    assert [n.number for n in c.returnable] == ["К001"]  # F8 still finds it
    assert again.view.counter_box.currentText() == "Window 2"
    again.press(Key.Key_F5)
    again.answer(Key.Key_Return)
    assert c.ticket is None


def test_an_expired_login_asks_for_the_password_and_keeps_the_visitor(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    expire_tokens(live[1].database_url)
    with qtbot.waitSignal(desk.controller.session.password_required, timeout=TIMEOUT):
        desk.press(Key.Key_F4)
    dialog = desk.window.password_dialog
    assert dialog is not None
    assert dialog.user.text() == "Користувач: clerk1"
    assert desk.view.ticket_panel.number.text() == "А001"
    assert not desk.view.key_actions["finish"].isEnabled()  # nothing else until logged in

    dialog.password.setText("wrong")
    with qtbot.waitSignal(desk.controller.session.relogin_failed, timeout=TIMEOUT):
        QTest.keyClick(dialog.password, Key.Key_Return)
    assert dialog.error.text() == "Неправильне ім'я користувача або пароль"
    assert desk.window.password_dialog is dialog

    dialog.password.setText(CLERK_PASSWORD)
    notices: list[str] = []
    desk.controller.notice.connect(
        lambda kind, text: notices.append(text) if kind != "reconnected" else None
    )
    with qtbot.waitSignal(desk.controller.live.ticket_changed, timeout=TIMEOUT):
        QTest.keyClick(dialog.password, Key.Key_Return)
    desk.settle()
    assert desk.window.password_dialog is None
    assert desk.controller.live.ticket is not None
    assert desk.controller.live.ticket.status == "serving"  # the interrupted F4 was done
    assert notices[:2] == ["Вхід поновлено", "А001: обслуговування почато"]
    qtbot.waitUntil(lambda: desk.controller.session.online, timeout=TIMEOUT)


def test_cancelling_the_password_prompt(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    expire_tokens(live[1].database_url)
    desk.press(Key.Key_F5)
    with qtbot.waitSignal(desk.controller.session.password_required, timeout=TIMEOUT):
        QTest.keyClick(desk.dialog().focusWidget(), Key.Key_Return)  # the outcome, then refused
    # The prompt may have come from the desk's own reread, refused with the same expired
    # token while the finish was still on its way (seen once in a clean-clone run under
    # load): the clerk cancels once the finish has come back refused, as the test means.
    qtbot.waitUntil(lambda: not desk.controller.busy, timeout=TIMEOUT)
    dialog = desk.window.password_dialog
    assert dialog is not None
    dialog.reject()
    assert desk.message() == "Вхід не поновлено: дію не виконано"
    assert desk.view.ticket_panel.number.text() == "А001"
    assert desk.view.key_actions["finish"].isEnabled()


def test_a_reread_refused_beside_a_refused_action_asks_once(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    """The desk's own reread and the clerk's finish both meet the expired token, in either
    order: one prompt; cancelled once the finish came back refused, the visitor and the
    finish key stay as they were, and nothing was done."""
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    expire_tokens(live[1].database_url)
    prompts: list[str] = []
    desk.controller.session.password_required.connect(prompts.append)
    desk.press(Key.Key_F5)
    QTest.keyClick(desk.dialog().focusWidget(), Key.Key_Return)  # the finish leaves
    with qtbot.waitSignal(desk.controller.live.refreshed, timeout=TIMEOUT):
        desk.controller.live.refresh()  # and the reread, beside it (refreshed: it came back)
    qtbot.waitUntil(lambda: not desk.controller.busy, timeout=TIMEOUT)  # the finish came back
    dialog = desk.window.password_dialog
    assert dialog is not None
    dialog.reject()
    assert prompts == ["clerk1"]
    assert desk.message() == "Вхід не поновлено: дію не виконано"
    assert desk.view.ticket_panel.number.text() == "А001"
    assert desk.view.key_actions["finish"].isEnabled()
    assert desk.controller.live.ticket is not None
    assert desk.controller.live.ticket.status == "called"


@pytest.fixture
def restartable(sqlite_url: str) -> Iterator[tuple[RestartableServer, Centre]]:
    centre = make_centre(sqlite_url)
    server = RestartableServer(sqlite_url).start()
    yield server, centre
    server.stop()


def test_offline_and_back_after_a_server_restart(
    restartable: tuple[RestartableServer, Centre], make_desk: DeskFactory, qtbot: QtBot
) -> None:
    server, centre = restartable
    desk = make_desk(server.url)
    desk.login("clerk1")
    desk.controller.live.choose_counter(1)
    desk.act(Key.Key_F9)
    label = desk.window.online_label
    qtbot.waitUntil(lambda: label.text() == "● На зв'язку", timeout=TIMEOUT)

    with qtbot.waitSignal(desk.controller.session.online_changed, timeout=TIMEOUT) as lost:
        server.stop()
    assert lost.args == [False]
    assert label.text() == "● Немає зв'язку з сервером — перепідключення…"
    assert not desk.view.key_actions["call_next"].isEnabled()  # offline: nothing is offered
    assert desk.view.ticket_panel.service.text().startswith("Немає зв'язку з сервером")
    # Pressed a moment before the desk noticed: the plain message, nothing lost.
    desk.controller.actions.call_next()
    qtbot.waitUntil(lambda: desk.message() == "Сервер недоступний", timeout=TIMEOUT)

    with qtbot.waitSignal(desk.controller.session.online_changed, timeout=20_000) as back:
        server.start()
    assert back.args == [True]
    assert label.text() == "● На зв'язку"
    assert desk.message() == "Зв'язок із сервером відновлено"  # the red message does not stay
    assert desk.view.message.property("kind") == "info"
    qtbot.waitUntil(lambda: desk.view.key_actions["call_next"].isEnabled(), timeout=TIMEOUT)
    assert desk.view.ticket_panel.service.text() == "Натисніть F2, щоб викликати наступного"
    with QueueClient(server.url, token=centre.kiosk_key) as kiosk:
        kiosk.issue_ticket(1)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "1", timeout=TIMEOUT)
    desk.act(Key.Key_F2)
    assert desk.view.ticket_panel.number.text() == "А001"


def test_network_never_runs_on_the_gui_thread(
    desk: Desk, kiosk: QueueClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[bool] = []
    original = QueueClient.request

    def spy(self: QueueClient, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QueueClient, "request", spy)
    kiosk_calls = len(threads)
    kiosk.issue_ticket(1)
    del threads[kiosk_calls:]  # the kiosk here is the test itself
    for key in (Key.Key_F2, Key.Key_F3, Key.Key_F4):
        desk.act(key)
    for key, answer in ((Key.Key_F5, Key.Key_Return), (Key.Key_F9, Key.Key_2)):
        desk.press(key)
        desk.answer(answer)
    assert len(threads) > 10
    assert not any(threads)


def test_a_change_made_elsewhere_reaches_the_desk(
    desk: Desk, kiosk: QueueClient, admin: QueueClient, qtbot: QtBot
) -> None:
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    ticket = desk.controller.live.ticket
    assert ticket is not None
    admin.finish(ticket.id)  # an administrator closes it from elsewhere
    qtbot.waitUntil(lambda: desk.controller.live.ticket is None, timeout=TIMEOUT)
    assert desk.view.ticket_panel.number.text() == "—"
    assert desk.view.key_actions["call_next"].isEnabled()
