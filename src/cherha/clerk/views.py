"""The desk's screens: the login and the desk. Dumb on purpose: setters in, signals out; no
HTTP, no rules; every text from outside shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cherha.wire import Branch, ClerkTicket, Counter, DueBooking, StaffToday

from .desk import WaitingRow
from .i18n import TEXTS, Translator, clock
from .panels import DayPanel, TicketPanel, WaitingPanel, plain_label

# The scheme: F2 calls, F3..F8 act on the visitor left to right, F9 is the window, F10..F12 the
# waiting list (go to it, cancel, call the chosen one), Ctrl+Q logs out, Ctrl+L the language.
# Space is deliberately not a shortcut: it would also press whichever button has focus.
SHORTCUTS: dict[str, str] = {
    "call_next": "F2",
    "recall": "F3",
    "start": "F4",
    "finish": "F5",
    "no_show": "F6",
    "transfer": "F7",
    "return": "F8",
    "toggle_window": "F9",
    "close_window": "Ctrl+F9",
    "waiting_list": "F10",
    "cancel": "F11",
    "call_selected": "F12",
    "logout": "Ctrl+Q",
    "language": "Ctrl+L",
}
VISITOR_ACTIONS = ("recall", "start", "finish", "no_show", "transfer", "return")
LIST_ACTIONS = ("waiting_list", "cancel", "call_selected")
BAR_ACTIONS = ("toggle_window", "close_window")

STYLE = """
QWidget { font-size: 18px; }
QLabel#number { font-size: 100px; font-weight: bold; color: #0b3d91; }
QLabel#service { font-size: 26px; }
QLabel#status { font-size: 22px; color: #333; }
QLabel#timer { font-size: 30px; font-weight: bold; }
QLabel#heading { font-size: 20px; font-weight: bold; color: #555; }
QLabel#message[kind="error"] { font-size: 22px; color: #b00020; font-weight: bold; }
QLabel#message[kind="info"] { font-size: 22px; color: #1b5e20; }
QLabel#banner { font-size: 26px; font-weight: bold; color: white; background: #c62828;
                padding: 10px; }
QLabel#booking { font-size: 20px; background: #fff8e1; padding: 6px; }
QLabel#note { font-size: 20px; background: #e3f2fd; padding: 6px; }
QLabel#faults { color: #b00020; font-weight: bold; }
QTableWidget#waiting:focus { border: 3px solid #ffb300; }
QLabel#day { font-size: 17px; }
QToolButton { font-size: 19px; padding: 8px; min-height: 52px; }
QToolButton#toggle_window, QToolButton#close_window, QToolButton#logout,
QToolButton#language { font-size: 16px; padding: 4px 10px; min-height: 40px; }
QToolButton#call_next { font-size: 34px; font-weight: bold; min-height: 80px;
                        background: #0b3d91; color: white; border: 1px solid #072a63;
                        border-radius: 6px; }
QToolButton#call_next:disabled { background: #dde3ef; color: #6f7c96; border-color: #b7c0d4; }
QToolButton#call_next:focus { border: 3px solid #ffb300; }
QLabel#loginTitle { font-size: 32px; font-weight: bold; }
QLineEdit { font-size: 22px; padding: 6px; }
QPushButton { font-size: 22px; padding: 8px 24px; }
QLabel#loginError { color: #b00020; font-size: 20px; }
"""


class LoginView(QWidget):
    """Server, username, password. Emits `submitted`; shows the server's message on failure."""

    submitted = Signal(str, str, str)

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.title = plain_label("loginTitle")
        self.server = QLineEdit()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = plain_label("loginError")
        self.button = QPushButton()
        self.button.setDefault(True)
        self.labels = [plain_label("field") for _ in range(3)]
        self.form = QFormLayout()
        for label, field in zip(
            self.labels, (self.server, self.username, self.password), strict=True
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        box = QFrame()
        box.setMaximumWidth(640)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addLayout(self.form)
        inner.addWidget(self.error)
        inner.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.button.clicked.connect(self._submit)
        for field in (self.server, self.username, self.password):
            field.returnPressed.connect(self._submit)
        self.retranslate()

    def _submit(self) -> None:
        if self.button.isEnabled():
            self.submitted.emit(self.server.text(), self.username.text(), self.password.text())

    def set_values(self, server: str, username: str) -> None:
        self.server.setText(server)
        self.username.setText(username)
        (self.password if username else self.username).setFocus()

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(self.i18n.t("login.busy" if busy else "login.submit"))

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        if text:
            self.password.clear()
            self.password.setFocus()

    def retranslate(self) -> None:
        t = self.i18n.t
        self.title.setText(t("login.title"))
        for label, key in zip(
            self.labels, ("login.server", "login.username", "login.password"), strict=True
        ):
            label.setText(t(key))
        self.button.setText(t("login.submit"))


class DeskView(QWidget):
    """The desk: window bar, paused banner, current visitor and the waiting list, my day, the
    buttons (each with its key)."""

    triggered = Signal(str)  # an action name from SHORTCUTS
    counter_chosen = Signal(int)
    selection_changed = Signal(object)  # the ticket id chosen in the waiting list, or None

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.banner = plain_label("banner")
        self.banner.hide()
        self.window_label = plain_label("field")
        self.counter_box = QComboBox()
        self.counter_box.setMinimumWidth(140)
        self.counter_state = plain_label("status")
        self.counter_state.setWordWrap(False)
        self.key_actions: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        for name, keys in SHORTCUTS.items():
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, n=name: self.triggered.emit(n))
            self.addAction(action)
            self.key_actions[name] = action
            button = QToolButton()
            button.setObjectName(name)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons[name] = button
        self.ticket_panel = TicketPanel(i18n)
        self.waiting = WaitingPanel(i18n)
        self.day = DayPanel(i18n)
        self.message = plain_label("message")
        self.message.setProperty("kind", "info")

        bar = QHBoxLayout()
        bar.addWidget(self.window_label)
        bar.addWidget(self.counter_box)
        bar.addWidget(self.counter_state, 1)
        for name in (*BAR_ACTIONS, "logout", "language"):
            self.buttons[name].setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            bar.addWidget(self.buttons[name])

        left = QVBoxLayout()
        left.addWidget(self.ticket_panel, 1)
        left.addWidget(self.message)
        right = QVBoxLayout()
        right.addWidget(self.waiting, 1)
        right.addWidget(self.day)
        middle = QHBoxLayout()
        middle.addLayout(left, 1)
        middle.addLayout(right, 1)

        grid = QGridLayout()
        grid.addWidget(self.buttons["call_next"], 0, 0, 1, len(VISITOR_ACTIONS))
        for column, name in enumerate(VISITOR_ACTIONS):
            grid.addWidget(self.buttons[name], 1, column)
        for column, name in enumerate(LIST_ACTIONS):
            grid.addWidget(self.buttons[name], 2, column * 2, 1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addLayout(middle, 1)
        layout.addLayout(grid)
        self.counter_box.activated.connect(self._chosen)
        self.waiting.selection_changed.connect(self.selection_changed)
        self.waiting.activated.connect(lambda _id: self.triggered.emit("call_selected"))
        self.waiting.left.connect(lambda: self.buttons["call_next"].setFocus())
        self._counters: list[Counter] = []
        self._chosen_id: int | None = None
        self._counter: Counter | None = None
        self._user_id: int | None = None
        self._branch: Branch | None = None
        self._break: tuple[str, int] = ("", 0)
        self.retranslate()

    def _chosen(self, index: int) -> None:
        data = self.counter_box.itemData(index)
        if isinstance(data, int):
            self.counter_chosen.emit(data)

    # -- setters -------------------------------------------------------------------------------

    def set_user(self, username: str, user_id: int) -> None:
        self.day.set_user(username)
        self._user_id = user_id

    def set_counters(self, counters: list[Counter]) -> None:
        self._counters = counters
        self.counter_box.blockSignals(True)
        self.counter_box.clear()
        for c in counters:
            self.counter_box.addItem(self.i18n.t("window.item", number=c.number), c.id)
        self.counter_box.blockSignals(False)
        self._select(self._chosen_id)

    def set_counter(self, counter: Counter | None) -> None:
        self._counter = counter
        self._chosen_id = counter.id if counter is not None else None
        self._select(self._chosen_id)
        self._show_counter_state()

    def _select(self, counter_id: int | None) -> None:
        index = self.counter_box.findData(counter_id) if counter_id is not None else -1
        self.counter_box.setCurrentIndex(index)

    def set_break(self, reason: str, seconds: int) -> None:
        self._break = (reason, seconds)
        self._show_counter_state()

    def _show_counter_state(self) -> None:
        c, t = self._counter, self.i18n.t
        reason, seconds = self._break
        if c is None:
            self.counter_state.setText(t("window.none"))
        elif c.state != "closed" and c.clerk_id not in (None, self._user_id):
            self.counter_state.setText(t("state.taken"))
        elif c.state == "paused" and reason:
            why = t(f"break.{reason}") if f"break.{reason}" in TEXTS else reason
            self.counter_state.setText(t("break.state", reason=why, time=clock(seconds)))
        else:
            self.counter_state.setText(t(f"state.{c.state}"))
        held = c is not None and c.state == "open" and c.clerk_id == self._user_id
        self._set_action_text("toggle_window", "action.pause" if held else "action.open")

    def set_ticket(self, ticket: ClerkTicket | None) -> None:
        self.ticket_panel.set_ticket(ticket)

    def set_timer(self, kind: str, seconds: int, frozen: bool) -> None:
        self.ticket_panel.set_timer(kind, seconds, frozen)

    def set_hint(self, key: str) -> None:
        self.ticket_panel.set_hint(key)

    def set_waiting(self, rows: list[WaitingRow]) -> None:
        self.waiting.set_rows(rows)
        c = self._counter
        held = c is not None and c.clerk_id == self._user_id and c.state != "closed"
        self.day.set_line(rows if held else None)

    def set_due(self, bookings: list[DueBooking]) -> None:
        self.waiting.set_due(bookings)

    def set_today(self, today: StaffToday | None) -> None:
        self.day.set_today(today)

    def set_branch(self, branch: Branch | None) -> None:
        self._branch = branch
        timezone = branch.timezone if branch is not None else None
        self.ticket_panel.set_timezone(timezone)
        self.waiting.set_timezone(timezone)
        if branch is not None and branch.paused:
            reason = f": {branch.pause_reason}" if branch.pause_reason else ""
            self.banner.setText(f"⚠ {self.i18n.t('branch.paused')}{reason}")
            self.banner.show()
        else:
            self.banner.hide()

    def set_available(self, available: dict[str, bool]) -> None:
        for name, action in self.key_actions.items():
            action.setEnabled(available.get(name, True))
        self.counter_box.setEnabled(available.get("choose_window", False))

    def set_message(self, kind: str, text: str) -> None:
        self.message.setProperty("kind", "info" if kind == "info" else "error")
        self.message.setProperty("source", kind)
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _set_action_text(self, name: str, key: str) -> None:
        text = self.i18n.t(key)
        action = self.key_actions[name]
        action.setText(f"{text}  [{SHORTCUTS[name]}]")
        action.setIconText(action.text())  # as it is: Qt would drop the «…» of a dialog's action
        action.setToolTip(f"{text} ({SHORTCUTS[name]})")

    def retranslate(self) -> None:
        self.window_label.setText(self.i18n.t("window.label"))
        for name in SHORTCUTS:
            if name != "toggle_window":
                self._set_action_text(name, f"action.{name}")
        self.set_counters(self._counters)
        self._show_counter_state()
        self.set_branch(self._branch)
        self.ticket_panel.retranslate()
        self.waiting.retranslate()
        self.day.retranslate()
