"""The main window: wires the controller's signals to the views and the views' to the controller."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from cherha.wire import User

from .controller import DeskController
from .dialogs import PasswordDialog, TransferDialog
from .i18n import Translator
from .settings import DEFAULT_SERVER
from .views import STYLE, DeskView, LoginView


class MainWindow(QMainWindow):
    def __init__(self, controller: DeskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.i18n: Translator = controller.i18n
        self.setStyleSheet(STYLE)
        self.login_view = LoginView(self.i18n)
        self.desk_view = DeskView(self.i18n)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login_view)
        self.pages.addWidget(self.desk_view)
        self.setCentralWidget(self.pages)
        self.online_label = QLabel()
        self.statusBar().addPermanentWidget(self.online_label)
        self.online_label.hide()  # the connection means something only once logged in
        self.password_dialog: PasswordDialog | None = None
        self.transfer_dialog: TransferDialog | None = None
        self._connect()
        state = controller.state
        self.login_view.set_values(state.server_url or DEFAULT_SERVER, state.username)
        self.retranslate()
        self.resize(1280, 800)

    def _connect(self) -> None:
        c, desk = self.controller, self.desk_view
        self.login_view.submitted.connect(self._login)
        c.login_failed.connect(self._login_failed)
        c.logged_in.connect(self._logged_in)
        c.counters_changed.connect(desk.set_counters)
        c.counter_changed.connect(desk.set_counter)
        c.ticket_changed.connect(desk.set_ticket)
        c.last_no_show_changed.connect(desk.set_last_no_show)
        c.overview_changed.connect(desk.set_overview)
        c.branch_changed.connect(desk.set_branch)
        c.today_changed.connect(desk.set_today)
        c.timer_changed.connect(desk.set_timer)
        c.actions_changed.connect(desk.set_available)
        c.online_changed.connect(self._online)
        c.notice.connect(self._notice)
        c.password_required.connect(self._ask_password)
        c.relogin_failed.connect(self._relogin_failed)
        c.relogged_in.connect(self._relogged)
        desk.counter_chosen.connect(c.choose_counter)
        desk.triggered.connect(self._trigger)
        self.i18n.changed.connect(lambda _lang: self.retranslate())

    def _trigger(self, name: str) -> None:
        c = self.controller
        handlers = {
            "call_next": c.call_next,
            "recall": c.recall,
            "start": c.start,
            "finish": c.finish,
            "no_show": c.no_show,
            "transfer": self.open_transfer,
            "return": c.return_no_show,
            "toggle_window": c.toggle_counter,
            "close_window": c.close_counter,
            "language": c.toggle_language,
        }
        handlers[name]()

    # -- login ---------------------------------------------------------------------------------

    def _login(self, server: str, username: str, password: str) -> None:
        self.login_view.set_error("")
        self.login_view.set_busy(True)
        self.controller.login(server, username, password)

    def _login_failed(self, message: str) -> None:
        self.login_view.set_busy(False)
        self.login_view.set_error(message)

    def _logged_in(self, user: User) -> None:
        self.login_view.set_busy(False)
        self.login_view.password.clear()
        self.desk_view.set_user(user.username, user.id)
        self.pages.setCurrentWidget(self.desk_view)
        self.online_label.show()
        self.desk_view.setFocus()

    def _ask_password(self, username: str) -> None:
        if self.password_dialog is not None:
            return
        dialog = PasswordDialog(self.i18n, username, self)
        dialog.submitted.connect(self.controller.relogin)
        dialog.rejected.connect(self._relogin_cancelled)
        self.password_dialog = dialog
        dialog.open()

    def _relogin_failed(self, message: str) -> None:
        if self.password_dialog is not None:
            self.password_dialog.set_error(message)

    def _relogged(self) -> None:
        dialog, self.password_dialog = self.password_dialog, None
        if dialog is not None:
            dialog.rejected.disconnect(self._relogin_cancelled)
            dialog.accept()
            dialog.deleteLater()

    def _relogin_cancelled(self) -> None:
        dialog, self.password_dialog = self.password_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.controller.cancel_relogin()

    # -- transfer ------------------------------------------------------------------------------

    def open_transfer(self) -> None:
        ticket = self.controller.ticket
        if ticket is None or self.transfer_dialog is not None:
            return
        dialog = TransferDialog(
            self.i18n, ticket.number, self.controller.services, ticket.service_id, self
        )
        dialog.chosen.connect(self.controller.transfer)
        dialog.finished.connect(self._transfer_closed)
        self.transfer_dialog = dialog
        dialog.open()

    def _transfer_closed(self) -> None:
        dialog, self.transfer_dialog = self.transfer_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # -- status --------------------------------------------------------------------------------

    def _online(self, online: bool) -> None:
        self.online_label.setText(self.i18n.t("net.online" if online else "net.offline"))
        colour = "#1b5e20" if online else "#b00020"
        self.online_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _notice(self, kind: str, text: str) -> None:
        self.desk_view.set_message(kind, text)
        self.statusBar().showMessage(text, 10_000)

    def retranslate(self) -> None:
        self.setWindowTitle(self.i18n.t("app.title"))
        self.login_view.retranslate()
        self.desk_view.retranslate()
        self._online(self.controller.online)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.controller.shutdown()
        super().closeEvent(event)
