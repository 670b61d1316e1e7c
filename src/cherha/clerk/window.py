"""The main window: wires the controller's parts to the views, and opens the dialogs."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QStackedWidget, QWidget

from cherha.core.model import BreakReason
from cherha.wire import DeviceFault, User

from .controller import DeskController
from .desk import WaitingRow, local_time
from .dialogs import HEADING, Choice, ChoiceDialog, PasswordDialog, ReasonDialog
from .i18n import TEXTS, Translator
from .panels import plain_label
from .settings import DEFAULT_SERVER
from .views import STYLE, DeskView, LoginView


class MainWindow(QMainWindow):
    def __init__(self, controller: DeskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.session, self.live, self.desk_actions = (
            controller.session,
            controller.live,
            controller.actions,
        )
        self.i18n: Translator = controller.i18n
        self.setStyleSheet(STYLE)
        self.login_view = LoginView(self.i18n)
        self.desk_view = DeskView(self.i18n)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login_view)
        self.pages.addWidget(self.desk_view)
        self.setCentralWidget(self.pages)
        self.faults_label: QLabel = plain_label("faults")
        self.faults_label.setWordWrap(False)
        self.faults_label.setMaximumWidth(720)  # several kiosks: the window keeps its size
        self.online_label: QLabel = plain_label("online")
        self.statusBar().addPermanentWidget(self.faults_label)
        self.statusBar().addPermanentWidget(self.online_label)
        self.online_label.hide()  # the connection means something only once logged in
        self.password_dialog: PasswordDialog | None = None
        self.dialog: QDialog | None = None
        """The one action dialog open (transfer, outcome, break, reason, no-shows, logout)."""
        self._faults: list[DeviceFault] = []
        self._connect()
        state = self.session.state
        self.login_view.set_values(state.server_url or DEFAULT_SERVER, state.username)
        self.retranslate()
        self.resize(1280, 800)

    def _connect(self) -> None:
        s, live, desk, c = self.session, self.live, self.desk_view, self.controller
        self.login_view.submitted.connect(self._login)
        s.login_failed.connect(self._login_failed)
        s.logged_in.connect(self._logged_in)
        s.password_required.connect(self._ask_password)
        s.relogin_failed.connect(self._relogin_failed)
        s.relogged_in.connect(self._relogged)
        s.online_changed.connect(self._online)
        s.logged_out.connect(self._logged_out)
        live.counters_changed.connect(desk.set_counters)
        live.counter_changed.connect(desk.set_counter)
        live.ticket_changed.connect(desk.set_ticket)
        live.waiting_changed.connect(desk.set_waiting)
        live.due_changed.connect(desk.set_due)
        live.branch_changed.connect(desk.set_branch)
        live.today_changed.connect(desk.set_today)
        live.timer_changed.connect(desk.set_timer)
        live.break_changed.connect(desk.set_break)
        live.faults_changed.connect(self._show_faults)
        c.actions_changed.connect(desk.set_available)
        c.hint_changed.connect(desk.set_hint)
        c.notice.connect(self._notice)
        desk.counter_chosen.connect(live.choose_counter)
        desk.selection_changed.connect(c.select)
        desk.triggered.connect(self.trigger)
        self.i18n.changed.connect(lambda _lang: self.retranslate())

    def trigger(self, name: str) -> None:
        """Do what the action's key does (when it is available)."""
        a = self.desk_actions
        handlers = {
            "call_next": a.call_next,
            "recall": a.recall,
            "start": a.start,
            "finish": self.open_finish,
            "no_show": a.no_show,
            "transfer": self.open_transfer,
            "return": self.open_no_shows,
            "toggle_window": self._toggle_window,
            "close_window": a.close_counter,
            "waiting_list": self.desk_view.waiting.focus_list,
            "cancel": self.open_cancel,
            "call_selected": self.open_call_selected,
            "logout": self.ask_logout,
            "language": self.controller.toggle_language,
        }
        if self.controller.available().get(name, False):
            handlers[name]()

    # -- login and logout ----------------------------------------------------------------------

    def _login(self, server: str, username: str, password: str) -> None:
        self.login_view.set_error("")
        self.login_view.set_busy(True)
        self.session.login(server, username, password)

    def _login_failed(self, message: str) -> None:
        self.login_view.set_busy(False)
        self.login_view.set_error(message)

    def _logged_in(self, user: User) -> None:
        self.login_view.set_busy(False)
        self.login_view.password.clear()
        self.desk_view.set_user(user.username, user.id)
        self.pages.setCurrentWidget(self.desk_view)
        self.online_label.show()
        self.desk_view.buttons["call_next"].setFocus()

    def _logged_out(self) -> None:
        self._close_dialog()
        self.pages.setCurrentWidget(self.login_view)
        self.login_view.set_values(self.session.state.server_url, self.session.state.username)
        self.online_label.hide()
        self.desk_view.set_message("info", "")

    def ask_logout(self) -> None:
        live, t = self.live, self.i18n.t
        counter = live.counter
        if counter is None or not live.holds_counter():
            self.desk_actions.logout(None)
            return
        if live.ticket is not None:
            self._notice("error", t("msg.finish_first", number=live.ticket.number))
            return
        choices = [Choice("close", t("logout.close")), Choice("break", t("logout.break"))]
        dialog = ChoiceDialog(
            self.i18n,
            t("logout.title"),
            t("logout.prompt", number=counter.number),
            choices,
            parent=self,
        )
        dialog.chosen.connect(lambda value, _note: self.desk_actions.logout(str(value)))
        self._open(dialog)

    def _ask_password(self, username: str) -> None:
        if self.password_dialog is not None:
            return
        dialog = PasswordDialog(self.i18n, username, self)
        dialog.submitted.connect(self.session.relogin)
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
        self.session.cancel_relogin()

    # -- the dialogs of the actions --------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self._close_dialog()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()

    def _toggle_window(self) -> None:
        c = self.live.counter
        if c is not None and self.live.holds_counter() and c.state == "open":
            self.open_break()
        else:
            self.desk_actions.open_counter()

    def open_break(self) -> None:
        t = self.i18n.t
        reasons = [Choice(r, t(f"break.{r}")) for r in BreakReason]
        dialog = ChoiceDialog(self.i18n, t("break.title"), t("break.prompt"), reasons, parent=self)
        dialog.chosen.connect(
            lambda value, _note: self.desk_actions.pause_counter(BreakReason(value))
        )
        self._open(dialog)

    def open_finish(self) -> None:
        ticket, t, lang = self.live.ticket, self.i18n.t, self.i18n.language
        if ticket is None:
            return
        choices = [Choice(o.code, o.name(lang)) for o in self.live.outcomes]
        choices.append(Choice(None, t("outcome.none")))
        dialog = ChoiceDialog(
            self.i18n,
            t("outcome.title"),
            t("outcome.prompt", number=ticket.number),
            choices,
            with_note=True,
            parent=self,
        )
        dialog.chosen.connect(
            lambda value, note: self.desk_actions.finish(
                value if isinstance(value, str) else None, note
            )
        )
        self._open(dialog)

    def open_transfer(self) -> None:
        ticket, t, lang = self.live.ticket, self.i18n.t, self.i18n.language
        if ticket is None:
            return
        me = self.session.user.id if self.session.user is not None else None
        choices = [Choice(HEADING, t("transfer.services"))]
        choices += [
            Choice(("service", s.id), f"{s.prefix} · {s.name(lang)}")
            for s in self.live.services
            if s.active and s.id != ticket.service_id
        ]
        working = [a for a in self.live.at_work if a.id != me]
        names = {a.counter_id: a.name for a in working}
        if working:
            choices.append(Choice(HEADING, t("transfer.windows")))
            choices += [
                Choice(
                    ("counter", a.counter_id),
                    self._busy(
                        t("transfer.window_of", number=a.counter_number, name=a.name), a.state
                    ),
                )
                for a in working
                if a.counter_id in names
            ]
            choices.append(Choice(HEADING, t("transfer.clerks")))
            choices += [
                Choice(
                    ("clerk", a.id),
                    self._busy(t("transfer.clerk", name=a.name, number=a.counter_number), a.state),
                )
                for a in working
            ]
        dialog = ChoiceDialog(
            self.i18n,
            t("transfer.title"),
            t("transfer.prompt", number=ticket.number),
            choices,
            with_note=True,
            parent=self,
        )
        dialog.chosen.connect(self._transfer_chosen)
        self._open(dialog)

    def _busy(self, text: str, state: str) -> str:
        return f"{text} {self.i18n.t('transfer.on_break')}" if state == "paused" else text

    def _transfer_chosen(self, value: object, note: str) -> None:
        assert isinstance(value, tuple)
        kind, target = value
        if kind == "service":
            self.desk_actions.transfer(service_id=target, note=note)
        elif kind == "counter":
            self.desk_actions.transfer(counter_id=target, note=note)
        else:
            self.desk_actions.transfer(clerk_id=target, note=note)

    def open_no_shows(self) -> None:
        t, lang = self.i18n.t, self.i18n.language
        timezone = self.live.branch.timezone if self.live.branch is not None else None
        choices = [
            Choice(
                n.id,
                t(
                    "noshow.item" if n.returnable else "noshow.late",
                    number=n.number,
                    service=n.service_name(lang),
                    time=local_time(n.no_show_at, timezone),
                    until=local_time(n.return_until, timezone),
                ),
                enabled=n.returnable,
            )
            for n in self.live.no_shows
        ]
        dialog = ChoiceDialog(
            self.i18n, t("noshow.title"), t("noshow.prompt"), choices, parent=self
        )
        dialog.chosen.connect(
            lambda value, _note: self.desk_actions.return_no_show(int(str(value)))
        )
        self._open(dialog)

    def _selected_row(self) -> WaitingRow | None:
        selected = self.controller.selected
        return next((r for r in self.desk_view.waiting.rows if r.ticket_id == selected), None)

    def _ticket_to_cancel(self) -> tuple[int, str] | None:
        """The line chosen in the waiting list when the list has the focus (or nobody is
        called); else the visitor called to the window. The dialog names the number."""
        row = self._selected_row()
        current = self.live.ticket
        called = current if current is not None and current.status == "called" else None
        if row is not None and (called is None or self.desk_view.waiting.table.hasFocus()):
            return row.ticket_id, row.number
        if called is not None:
            return called.id, called.number
        return None

    def open_cancel(self) -> None:
        chosen = self._ticket_to_cancel()
        if chosen is None:
            return
        ticket_id, number = chosen
        t = self.i18n.t
        dialog = ReasonDialog(
            self.i18n,
            t("cancel.title"),
            t("cancel.prompt", number=number),
            t("cancel.reasons").split("|"),
            parent=self,
        )
        dialog.chosen.connect(lambda reason: self.desk_actions.cancel(ticket_id, reason))
        self._open(dialog)

    def open_call_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        t = self.i18n.t
        dialog = ReasonDialog(
            self.i18n,
            t("call.title"),
            t("call.prompt", number=row.number),
            t("call.reasons").split("|"),
            parent=self,
        )
        dialog.chosen.connect(lambda reason: self.desk_actions.call_selected(row.ticket_id, reason))
        self._open(dialog)

    # -- status --------------------------------------------------------------------------------

    def _online(self, online: bool) -> None:
        self.online_label.setText(self.i18n.t("net.online" if online else "net.offline"))
        colour = "#1b5e20" if online else "#b00020"
        self.online_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _show_faults(self, faults: list[DeviceFault]) -> None:
        self._faults = faults
        t = self.i18n.t
        lines = []
        for f in faults:
            key = f"printer.{f.printer}"
            problem = t(key) if key in TEXTS else f.printer
            if f.message:
                problem = f"{problem} — {f.message}"
            lines.append(t("fault.item", device=f.name, problem=problem))
        self.faults_label.setText("   ".join(lines))
        self.faults_label.setVisible(bool(lines))

    def _notice(self, kind: str, text: str) -> None:
        if kind == "reconnected":  # only replaces a message about the lost connection
            if self.desk_view.message.property("source") == "offline":
                self.desk_view.set_message("info", text)
            return
        self.desk_view.set_message(kind, text)
        self.statusBar().showMessage(text, 10_000)

    def retranslate(self) -> None:
        self.setWindowTitle(self.i18n.t("app.title"))
        self.login_view.retranslate()
        self.desk_view.retranslate()
        self._online(self.session.online)
        self._show_faults(self._faults)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.controller.shutdown()
        super().closeEvent(event)
