"""The desk's screens. Dumb on purpose: setters in, signals out; no HTTP, no rules."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cherha.wire import Branch, ClerkTicket, Counter, StaffToday

from .desk import OverviewRow
from .i18n import Translator, clock

# The scheme: F2 calls, F3..F8 act on the visitor left to right, F9 is the window, Ctrl+L the
# language. Space is deliberately not a shortcut: it would also press whichever button has focus.
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
    "language": "Ctrl+L",
}
VISITOR_ACTIONS = ("recall", "start", "finish", "no_show", "transfer", "return")

STYLE = """
QWidget { font-size: 18px; }
QLabel#number { font-size: 120px; font-weight: bold; color: #0b3d91; }
QLabel#service { font-size: 26px; }
QLabel#status { font-size: 22px; color: #333; }
QLabel#timer { font-size: 30px; font-weight: bold; }
QLabel#heading { font-size: 20px; font-weight: bold; color: #555; }
QLabel#message[kind="error"] { font-size: 22px; color: #b00020; font-weight: bold; }
QLabel#message[kind="info"] { font-size: 22px; color: #1b5e20; }
QLabel#banner { font-size: 26px; font-weight: bold; color: white; background: #c62828;
                padding: 10px; }
QLabel#booking { font-size: 20px; background: #fff8e1; padding: 6px; }
QToolButton { font-size: 20px; padding: 10px; min-height: 64px; }
QToolButton#call_next { font-size: 34px; font-weight: bold; min-height: 96px;
                        background: #0b3d91; color: white; border: 1px solid #072a63;
                        border-radius: 6px; }
QToolButton#call_next:disabled { background: #dde3ef; color: #6f7c96; border-color: #b7c0d4; }
QToolButton#call_next:focus { border: 3px solid #ffb300; }
QLabel#loginTitle { font-size: 32px; font-weight: bold; }
QLineEdit { font-size: 22px; padding: 6px; }
QPushButton { font-size: 22px; padding: 8px 24px; }
QLabel#loginError { color: #b00020; font-size: 20px; }
"""


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(name not in ("number", "timer"))
    return label


class LoginView(QWidget):
    """Server, username, password. Emits `submitted`; shows the server's message on failure."""

    submitted = Signal(str, str, str)

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.title = _label("loginTitle")
        self.server = QLineEdit()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _label("loginError")
        self.button = QPushButton()
        self.button.setDefault(True)
        self.labels = [QLabel() for _ in range(3)]
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


class TicketPanel(QFrame):
    """The current visitor: number, service, status, waited, running timer, booking."""

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ticket: ClerkTicket | None = None
        self.heading = _label("heading")
        self.number = _label("number")
        self.service = _label("service")
        self.status = _label("status")
        self.recalls = _label("status")
        self.waited = _label("status")
        self.timer = _label("timer")
        self.booking = _label("booking")  # booking details: shown only when the server sends them
        layout = QVBoxLayout(self)
        for widget in (
            self.heading,
            self.number,
            self.service,
            self.status,
            self.recalls,
            self.waited,
            self.timer,
            self.booking,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._timer_kind, self._timer_seconds = "", 0
        self.set_ticket(None)

    def set_ticket(self, ticket: ClerkTicket | None) -> None:
        self.ticket = ticket
        self.retranslate()

    def set_timer(self, kind: str, seconds: int) -> None:
        self._timer_kind, self._timer_seconds = kind, seconds
        if kind == "serving":
            self.timer.setText(self.i18n.t("ticket.serving_for", time=clock(seconds)))
        elif kind == "called":
            self.timer.setText(self.i18n.t("ticket.called_for", time=clock(seconds)))
        else:
            self.timer.clear()

    def retranslate(self) -> None:
        t, lang, ticket = self.i18n.t, self.i18n.language, self.ticket
        self.heading.setText(t("ticket.heading"))
        if ticket is None:
            self.number.setText(t("ticket.none"))
            self.service.setText(t("ticket.idle"))
            for label in (self.status, self.recalls, self.waited, self.timer):
                label.clear()
            self.booking.hide()
            return
        self.number.setText(ticket.number)
        self.service.setText(ticket.service_name(lang))
        status = t(f"status.{ticket.status}")
        if ticket.lane == "priority":
            status = f"{status} · {t('ticket.priority')}"
        self.status.setText(status)
        self.recalls.setText(
            t("ticket.recalls", count=ticket.recall_count, limit=ticket.recall_limit)
        )
        self.waited.setText(t("ticket.waited", time=self.i18n.duration(ticket.waited_seconds)))
        self.set_timer(self._timer_kind, self._timer_seconds)
        if ticket.booking is not None:
            booking = ticket.booking
            when = booking.start.astimezone().strftime("%H:%M")
            parts = [t("ticket.booking", code=booking.code, time=when)]
            if booking.name:
                parts.append(t("ticket.booking_name", name=booking.name))
            parts.append(t("ticket.booking_on_time" if booking.on_time else "ticket.booking_late"))
            self.booking.setText(" · ".join(parts))
            self.booking.show()
        else:
            self.booking.hide()


class OverviewPanel(QFrame):
    """People waiting and the longest wait per service of this window; today's own figures."""

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = _label("heading")
        self.table = QTableWidget(0, 3)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.today_heading = _label("heading")
        self.served = _label("status")
        self.average = _label("status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.today_heading)
        layout.addWidget(self.served)
        layout.addWidget(self.average)
        self.rows: list[OverviewRow] = []
        self.today: StaffToday | None = None
        self.retranslate()

    def set_rows(self, rows: list[OverviewRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (
                row.name,
                str(row.waiting),
                self.i18n.duration(row.longest_wait_seconds) if row.waiting else "—",
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()

    def set_today(self, today: StaffToday | None) -> None:
        self.today = today
        t = self.i18n.t
        self.served.setText(t("today.served", count=today.served if today else 0))
        avg = today.average_service_minutes if today else None
        self.average.setText(
            t("today.average_none") if avg is None else t("today.average", minutes=f"{avg:.1f}")
        )

    def retranslate(self) -> None:
        t = self.i18n.t
        self.heading.setText(t("overview.heading"))
        self.table.setHorizontalHeaderLabels(
            [t("overview.service"), t("overview.waiting"), t("overview.longest")]
        )
        self.today_heading.setText(t("today.heading"))
        self.set_rows(self.rows)
        self.set_today(self.today)


class DeskView(QWidget):
    """The desk: window bar, paused banner, current visitor, big call button, overview."""

    triggered = Signal(str)  # an action name from SHORTCUTS
    counter_chosen = Signal(int)

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.banner = _label("banner")
        self.banner.hide()
        self.window_label = QLabel()
        self.counter_box = QComboBox()
        self.counter_box.setMinimumWidth(180)
        self.counter_state = _label("status")
        self.user_label = QLabel()
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
        self.overview = OverviewPanel(i18n)
        self.message = _label("message")
        self.message.setProperty("kind", "info")

        bar = QHBoxLayout()
        bar.addWidget(self.window_label)
        bar.addWidget(self.counter_box)
        bar.addWidget(self.counter_state, 1)
        for name in ("toggle_window", "close_window"):
            self.buttons[name].setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            bar.addWidget(self.buttons[name])
        bar.addWidget(self.user_label)
        self.buttons["language"].setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed
        )
        bar.addWidget(self.buttons["language"])

        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.ticket_panel, 1)
        left.addWidget(self.message)
        middle.addLayout(left, 3)
        middle.addWidget(self.overview, 2)

        grid = QGridLayout()
        grid.addWidget(self.buttons["call_next"], 0, 0, 1, len(VISITOR_ACTIONS))
        for column, name in enumerate(VISITOR_ACTIONS):
            grid.addWidget(self.buttons[name], 1, column)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addLayout(middle, 1)
        layout.addLayout(grid)
        self.counter_box.activated.connect(self._chosen)
        self._counters: list[Counter] = []
        self._chosen_id: int | None = None
        self._counter: Counter | None = None
        self._user_id: int | None = None
        self._branch: Branch | None = None
        self._last_no_show: ClerkTicket | None = None
        self.retranslate()

    def _chosen(self, index: int) -> None:
        data = self.counter_box.itemData(index)
        if isinstance(data, int):
            self.counter_chosen.emit(data)

    # -- setters -------------------------------------------------------------------------------

    def set_user(self, username: str, user_id: int) -> None:
        self.user_label.setText(username)
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

    def _show_counter_state(self) -> None:
        c, t = self._counter, self.i18n.t
        if c is None:
            self.counter_state.setText(t("window.none"))
        elif c.state != "closed" and c.clerk_id not in (None, self._user_id):
            self.counter_state.setText(t("state.taken"))
        else:
            self.counter_state.setText(t(f"state.{c.state}"))
        held = c is not None and c.state == "open" and c.clerk_id == self._user_id
        self._set_action_text("toggle_window", "action.pause" if held else "action.open")

    def set_ticket(self, ticket: ClerkTicket | None) -> None:
        self.ticket_panel.set_ticket(ticket)

    def set_timer(self, kind: str, seconds: int) -> None:
        self.ticket_panel.set_timer(kind, seconds)

    def set_last_no_show(self, ticket: ClerkTicket | None) -> None:
        self._last_no_show = ticket
        self._set_action_text("return", "action.return")

    def set_overview(self, rows: list[OverviewRow]) -> None:
        self.overview.set_rows(rows)

    def set_today(self, today: StaffToday) -> None:
        self.overview.set_today(today)

    def set_branch(self, branch: Branch | None) -> None:
        self._branch = branch
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
        self.message.setProperty("kind", kind)
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _set_action_text(self, name: str, key: str) -> None:
        text = self.i18n.t(key)
        if name == "return" and self._last_no_show is not None:
            text = f"{text} {self._last_no_show.number}"
        self.key_actions[name].setText(f"{text}  [{SHORTCUTS[name]}]")
        self.key_actions[name].setToolTip(f"{text} ({SHORTCUTS[name]})")

    def retranslate(self) -> None:
        self.window_label.setText(self.i18n.t("window.label"))
        for name in SHORTCUTS:
            if name not in ("toggle_window", "return"):
                self._set_action_text(name, f"action.{name}")
        self._set_action_text("return", "action.return")
        self.set_counters(self._counters)
        self._show_counter_state()
        self.set_branch(self._branch)
        self.ticket_panel.retranslate()
        self.overview.retranslate()
