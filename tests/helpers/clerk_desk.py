"""Driving a real clerk desk (controller + main window) in GUI tests, the way a clerk would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
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
        login = self.window.login_view
        login.username.setText(username)
        login.password.setText(password)
        with self.qtbot.waitSignal(self.controller.refreshed, timeout=TIMEOUT):
            QTest.mouseClick(login.button, Qt.MouseButton.LeftButton)
        assert self.window.pages.currentWidget() is self.window.desk_view

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
        with self.qtbot.waitSignal(self.controller.refreshed, timeout=TIMEOUT):
            self.controller.refresh()

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


def waiting_shown(desk: Desk, row: int = 0) -> str:
    """The "waiting" figure of a row of the desk's overview."""
    item = desk.view.overview.table.item(row, 1)
    return item.text() if item is not None else ""


def service_shown(desk: Desk, row: int = 0) -> str:
    item = desk.view.overview.table.item(row, 0)
    return item.text() if item is not None else ""
