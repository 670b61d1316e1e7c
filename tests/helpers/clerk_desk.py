"""Driving a real clerk desk (controller + main window) in GUI tests, the way a clerk would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from cherha.clerk.controller import DeskController
from cherha.clerk.i18n import Translator
from cherha.clerk.settings import StateStore
from cherha.clerk.views import DeskView
from cherha.clerk.window import MainWindow
from cherha.client import ServerClock

from .server import CLERK_PASSWORD

TIMEOUT = 10_000


class Desk:
    """One desk PC: its own state folder, its own controller and window."""

    def __init__(
        self,
        qtbot: QtBot,
        server_url: str | None,
        state_dir: Path,
        clock: ServerClock | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.controller = DeskController(
            StateStore(state_dir),
            Translator(),
            server_url=server_url,
            stream_max_delay=0.5,
            refresh_delay_ms=50,
            clock=clock,
        )
        self.window = MainWindow(self.controller)
        with qtbot.waitExposed(self.window):
            self.window.show()
        self.closed = False

    @property
    def view(self) -> DeskView:
        return self.window.desk_view

    def login(self, username: str, password: str = CLERK_PASSWORD) -> None:
        """Log in and wait for the first reread and the event stream (actions need both)."""
        login = self.window.login_view
        login.username.setText(username)
        login.password.setText(password)
        with self.qtbot.waitSignal(self.controller.session.logged_in, timeout=TIMEOUT):
            QTest.mouseClick(login.button, Qt.MouseButton.LeftButton)
        assert self.window.pages.currentWidget() is self.window.desk_view
        self.settle()
        self.qtbot.waitUntil(lambda: self.controller.session.online, timeout=TIMEOUT)

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key press on the desk (the window is made active first: shortcuts need that)."""
        if not self.window.isActiveWindow():
            with self.qtbot.waitActive(self.window):
                self.window.activateWindow()
        QTest.keyClick(self.window.desk_view, key, modifier)

    def settle(self) -> None:
        """Wait until no action is under way and the following refresh has landed."""
        self.qtbot.waitUntil(lambda: not self.controller.busy, timeout=TIMEOUT)
        with self.qtbot.waitSignal(self.controller.live.refreshed, timeout=TIMEOUT):
            self.controller.live.refresh()

    def act(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """Press a shortcut and wait for the action and the refresh after it."""
        assert not self.controller.busy
        self.press(key, modifier)
        self.settle()

    def message(self) -> str:
        return self.window.desk_view.message.text()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.window.close()
            self.window.deleteLater()

    def dialog(self) -> QDialog:
        """The action dialog open now (it must be)."""
        dialog = self.window.dialog
        assert dialog is not None, "no dialog is open"
        return dialog

    def answer(self, *keys: Qt.Key, text: str = "") -> None:
        """Type into the open dialog's focus (text, then keys) and wait for what it started."""
        dialog = self.dialog()
        if text:
            type_text(dialog.focusWidget() or dialog, text)
        for key in keys:
            QTest.keyClick(dialog.focusWidget() or dialog, key)
        self.settle()


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest.keyClicks knows no Cyrillic key codes)."""
    for char in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )


def waiting_shown(desk: Desk) -> str:
    """How many the desk's waiting list shows."""
    return str(desk.view.waiting.table.rowCount())


def waiting_numbers(desk: Desk) -> list[str]:
    """The ticket numbers of the waiting list, top to bottom (the calling order)."""
    table = desk.view.waiting.table
    items = [table.item(row, 0) for row in range(table.rowCount())]
    return [item.text() for item in items if item is not None]
