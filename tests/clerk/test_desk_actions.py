"""Every desk action through its shortcut, against a real server."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from cherha.client import QueueClient
from tests.helpers.app import Centre, ThreadedServer
from tests.helpers.clerk_desk import TIMEOUT, Desk, service_shown, waiting_shown

from .conftest import DeskFactory

Key = Qt.Key


def test_wrong_password_shows_the_servers_message(
    live: tuple[ThreadedServer, Centre], make_desk: DeskFactory, qtbot: QtBot
) -> None:
    desk = make_desk(live[0].url)
    login = desk.window.login_view
    assert login.server.text() == live[0].url
    login.username.setText("clerk1")
    login.password.setText("wrong")
    with qtbot.waitSignal(desk.controller.login_failed, timeout=TIMEOUT):
        QTest.keyClick(login.password, Key.Key_Return)
    assert login.error.text() == "Неправильне ім'я користувача або пароль"
    assert login.password.text() == ""
    assert desk.window.pages.currentWidget() is login


def test_unreachable_server_at_login(make_desk: DeskFactory, qtbot: QtBot) -> None:
    desk = make_desk("http://127.0.0.1:9")
    login = desk.window.login_view
    login.username.setText("clerk1")
    login.password.setText("x")
    with qtbot.waitSignal(desk.controller.login_failed, timeout=TIMEOUT):
        QTest.mouseClick(login.button, Qt.MouseButton.LeftButton)
    assert login.error.text() == "Сервер недоступний"


def test_open_call_recall_start_finish(desk: Desk, kiosk: QueueClient, qtbot: QtBot) -> None:
    view = desk.view
    assert view.counter_state.text() == "відкрите"
    assert "[F9]" in view.buttons["toggle_window"].text()
    assert not view.counter_box.isEnabled()  # the window is held: no switching mid-day
    desk.act(Key.Key_F2)
    assert desk.message() == "Ніхто не чекає"
    assert desk.controller.ticket is None

    kiosk.issue_ticket(1)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "1", timeout=TIMEOUT)
    desk.act(Key.Key_F2)
    ticket = desk.controller.ticket
    assert ticket is not None
    assert view.ticket_panel.number.text() == "А001"
    assert view.ticket_panel.service.text().startswith("Реєстрація")
    assert view.ticket_panel.status.text().startswith("викликано")
    assert view.ticket_panel.recalls.text() == "Повторних викликів: 0 з 2"
    assert view.ticket_panel.waited.text().startswith("Чекав(ла):")
    assert view.ticket_panel.timer.text().startswith("Викликано")
    assert not view.ticket_panel.booking.isVisibleTo(view)  # no booking: nothing invented
    assert not view.key_actions["call_next"].isEnabled()  # the called visitor comes first

    desk.act(Key.Key_F3)
    assert view.ticket_panel.recalls.text() == "Повторних викликів: 1 з 2"
    desk.act(Key.Key_F3)
    assert view.ticket_panel.recalls.text() == "Повторних викликів: 2 з 2"
    assert not view.key_actions["recall"].isEnabled()  # the limit is reached

    desk.act(Key.Key_F4)
    assert desk.controller.ticket is not None
    assert desk.controller.ticket.status == "serving"
    with qtbot.waitSignal(desk.controller.timer_changed, timeout=3000) as tick:
        pass
    assert tick.args is not None
    assert tick.args[0] == "serving"
    assert view.ticket_panel.timer.text().startswith("Обслуговування: 00:0")
    assert view.key_actions["call_next"].isEnabled()  # next would finish this one

    desk.act(Key.Key_F5)
    assert desk.controller.ticket is None
    assert view.ticket_panel.number.text() == "—"
    assert desk.message() == "А001 обслужено"
    assert view.overview.served.text() == "Обслужено: 1"
    assert view.overview.average.text().startswith("Середній час: 0")


def test_call_next_finishes_the_visitor_being_served(desk: Desk, kiosk: QueueClient) -> None:
    kiosk.issue_ticket(1)
    kiosk.issue_ticket(10)
    desk.act(Key.Key_F2)
    desk.act(Key.Key_F4)
    desk.act(Key.Key_F2)
    assert desk.view.ticket_panel.number.text() == "М001"
    assert desk.view.overview.served.text() == "Обслужено: 1"


def test_no_show_and_return(desk: Desk, kiosk: QueueClient) -> None:
    issued = kiosk.issue_ticket(9)
    desk.act(Key.Key_F2)
    assert not desk.view.key_actions["return"].isEnabled()
    desk.act(Key.Key_F6)
    assert desk.controller.ticket is None
    assert desk.message() == "Л001: неявка (F8 — повернути)"
    assert desk.view.buttons["return"].text() == "Повернути неявку Л001  [F8]"
    assert desk.view.key_actions["return"].isEnabled()
    desk.act(Key.Key_F8)
    assert desk.message() == "Талон Л001 повернуто в чергу"
    assert not desk.view.key_actions["return"].isEnabled()
    assert kiosk.ticket_status(issued.public_token).status == "waiting"
    desk.act(Key.Key_F2)
    assert desk.view.ticket_panel.number.text() == "Л001"


def test_transfer_keeps_the_place_in_line(
    desk: Desk, kiosk: QueueClient, clerk2: QueueClient, qtbot: QtBot
) -> None:
    early = kiosk.issue_ticket(1)
    later = kiosk.issue_ticket(2)
    desk.act(Key.Key_F2)
    desk.press(Key.Key_F7)
    dialog = desk.window.transfer_dialog
    assert dialog is not None
    dialog.select_service(2)
    with qtbot.waitSignal(desk.controller.ticket_changed, timeout=TIMEOUT):
        QTest.keyClick(dialog.list, Key.Key_Return)
    desk.settle()
    assert desk.controller.ticket is None
    assert desk.message().startswith("Талон А001 переведено: Паспорт")
    assert desk.window.transfer_dialog is None
    clerk2.open_counter(3)  # window 3 serves ID cards
    first = clerk2.call_next(3)
    assert first is not None
    assert first.id == early.id  # issued before Б001, so still ahead of it
    assert first.id != later.id


def test_break_and_close_the_window(desk: Desk) -> None:
    view = desk.view
    desk.act(Key.Key_F9)
    assert view.counter_state.text() == "перерва"
    assert not view.key_actions["call_next"].isEnabled()
    assert view.buttons["toggle_window"].text() == "Відкрити вікно  [F9]"
    desk.act(Key.Key_F9)
    assert view.counter_state.text() == "відкрите"
    desk.act(Key.Key_F9, Qt.KeyboardModifier.ControlModifier)
    assert view.counter_state.text() == "зачинене"
    assert view.counter_box.isEnabled()  # free to choose another window now
    assert not view.key_actions["call_next"].isEnabled()


def test_choosing_a_window_from_the_keyboard(
    live: tuple[ThreadedServer, Centre], make_desk: DeskFactory, qtbot: QtBot
) -> None:
    desk = make_desk(live[0].url)
    desk.login("clerk1")
    box = desk.view.counter_box
    assert box.count() == 8
    box.setFocus()
    QTest.keyClick(box, Key.Key_Down)  # a closed combo box picks the next item directly
    assert desk.controller.state.counter_id == box.currentData()
    desk.act(Key.Key_F9)
    assert desk.controller.holds_counter()


def test_language_switch(desk: Desk) -> None:
    desk.act(Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    view = desk.view
    assert view.buttons["call_next"].text() == "Call next  [F2]"
    assert view.counter_state.text() == "open"
    assert view.overview.heading.text() == "Queue for this window"
    assert service_shown(desk).startswith("Registration")
    assert desk.controller.state.language == "en"
    desk.act(Key.Key_F2)
    assert desk.message() == "Nobody is waiting"
    desk.act(Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert view.buttons["call_next"].text() == "Викликати наступного  [F2]"


def test_refusals_show_the_servers_message(
    live: tuple[ThreadedServer, Centre],
    make_desk: DeskFactory,
    clerk2: QueueClient,
    kiosk: QueueClient,
    qtbot: QtBot,
) -> None:
    clerk2.open_counter(1)
    desk = make_desk(live[0].url)
    desk.login("clerk1")
    desk.controller.choose_counter(1)
    assert desk.view.counter_state.text() == "веде інший працівник"
    desk.act(Key.Key_F9)
    assert desk.message() == "Вікно 1 зараз веде clerk2"
    assert desk.view.message.property("kind") == "error"

    desk.controller.choose_counter(2)
    desk.act(Key.Key_F9)
    kiosk.issue_ticket(1)
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    # The desk disables "call next" while a visitor is called; the server refuses it too.
    with qtbot.waitSignal(desk.controller.notice, timeout=TIMEOUT) as notice:
        desk.controller.call_next()
    assert notice.args is not None
    assert notice.args[0] == "error"
    assert notice.args[1].startswith("Талон А001 викликано, але не обслуговано")
    assert desk.view.ticket_panel.number.text() == "А001"  # the visitor stays


def test_branch_pause_banner(desk: Desk, admin: QueueClient, qtbot: QtBot) -> None:
    banner = desk.view.banner
    assert not banner.isVisible()
    admin.pause_branch("Повітряна тривога")
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    assert banner.text() == "⚠ Обслуговування призупинено: Повітряна тривога"
    assert not desk.view.key_actions["call_next"].isEnabled()
    admin.resume_branch()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=TIMEOUT)
    assert desk.view.key_actions["call_next"].isEnabled()
