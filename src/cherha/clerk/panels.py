"""The desk's panels: the current visitor, the waiting list, my day. Dumb on purpose: setters
in, signals out; every text from outside shown as plain text (never rich text)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cherha.wire import ClerkTicket, DueBooking, StaffToday

from .desk import WaitingRow, local_time
from .i18n import Translator, clock


def plain_label(name: str, text: str = "") -> QLabel:
    """A label that never interprets its text as HTML (a booking's name is the public's words)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setWordWrap(name != "number")
    label.setText(text)
    return label


class TicketPanel(QFrame):
    """The current visitor: number, service, status, waited, running timer, booking, note."""

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ticket: ClerkTicket | None = None
        self.timezone: str | None = None
        self.hint_key = "idle.call"
        self.heading = plain_label("heading")
        self.number = plain_label("number")
        self.service = plain_label("service")
        self.status = plain_label("status")
        self.recalls = plain_label("status")
        self.waited = plain_label("status")
        self.timer = plain_label("timer")
        self.booking = plain_label("booking")  # shown only when the server sends a booking
        self.note = plain_label("note")  # shown only when the clerk before left one
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        for widget in (self.heading, self.number, self.service, self.status):
            layout.addWidget(widget)
        counts = QHBoxLayout()
        for short in (self.recalls, self.waited):
            short.setWordWrap(False)
        counts.addWidget(self.recalls)
        counts.addSpacing(32)
        counts.addWidget(self.waited)
        counts.addStretch(1)
        layout.addLayout(counts)
        for widget in (self.timer, self.booking, self.note):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._timer: tuple[str, int, bool] = ("", 0, False)
        self.set_ticket(None)

    def set_ticket(self, ticket: ClerkTicket | None) -> None:
        self.ticket = ticket
        self.retranslate()

    def set_timezone(self, timezone: str | None) -> None:
        if timezone != self.timezone:
            self.timezone = timezone
            self.retranslate()

    def set_hint(self, key: str) -> None:
        self.hint_key = key
        if self.ticket is None:
            self.service.setText(self.i18n.t(key))

    def set_timer(self, kind: str, seconds: int, frozen: bool = False) -> None:
        self._timer = (kind, seconds, frozen)
        if kind not in ("serving", "called"):
            self.timer.clear()
            return
        text = self.i18n.t(
            "ticket.serving_for" if kind == "serving" else "ticket.called_for", time=clock(seconds)
        )
        self.timer.setText(self.i18n.t("ticket.frozen", time=text) if frozen else text)

    def retranslate(self) -> None:
        t, lang, ticket = self.i18n.t, self.i18n.language, self.ticket
        self.heading.setText(t("ticket.heading"))
        if ticket is None:
            self.number.setText(t("ticket.none"))
            self.service.setText(t(self.hint_key))
            for label in (self.status, self.recalls, self.waited, self.timer):
                label.clear()
            self.booking.hide()
            self.note.hide()
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
        self.set_timer(*self._timer)
        if ticket.booking is not None:
            booking = ticket.booking
            when = local_time(booking.start, self.timezone)
            parts = [t("ticket.booking", code=booking.code, time=when)]
            if booking.name:
                parts.append(t("ticket.booking_name", name=booking.name))
            parts.append(t("ticket.booking_on_time" if booking.on_time else "ticket.booking_late"))
            self.booking.setText(" · ".join(parts))
            self.booking.show()
        else:
            self.booking.hide()
        if ticket.note:
            self.note.setText(t("ticket.note", by=ticket.note_by or "—", note=ticket.note))
            self.note.show()
        else:
            self.note.hide()


class WaitingTable(QTableWidget):
    """The waiting list: arrows move, Enter asks to call the chosen one, Esc leaves the list."""

    activated_ticket = Signal(int)
    left = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            row = self.currentRow()
            item = self.item(row, 0) if row >= 0 else None
            if item is not None:
                self.activated_ticket.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            return
        if key == Qt.Key.Key_Escape:
            self.left.emit()
            return
        super().keyPressEvent(event)


class WaitingPanel(QFrame):
    """Who waits for this window, in the order it will call them; bookings due within the hour."""

    selection_changed = Signal(object)  # ticket id | None
    activated = Signal(int)  # a ticket id: Enter on it
    left = Signal()

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = plain_label("heading")
        self.table = WaitingTable(0, 4)
        self.table.setObjectName("waiting")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.due_heading = plain_label("heading")
        self.due = plain_label("due")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.due_heading)
        layout.addWidget(self.due)
        self.rows: list[WaitingRow] = []
        self.bookings: list[DueBooking] = []
        self.timezone: str | None = None
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.activated_ticket.connect(self.activated)
        self.table.left.connect(self.left)
        self.retranslate()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _selected(self) -> None:
        self.selection_changed.emit(self.selected_id())

    def set_rows(self, rows: list[WaitingRow]) -> None:
        keep = self.selected_id()
        self.rows = rows
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (
                row.number,
                row.service,
                self.i18n.duration(row.waited_seconds),
                self._about(row),
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)  # item text is never interpreted as HTML
                item.setData(Qt.ItemDataRole.UserRole, row.ticket_id)
                if row.handed_over:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
            if row.ticket_id == keep:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        self.heading.setText(self.i18n.t("waiting.heading", count=len(rows)))
        if self.selected_id() != keep:
            self._selected()

    def _about(self, row: WaitingRow) -> str:
        t = self.i18n.t
        parts = []
        if row.handed_over:
            parts.append(t("waiting.handed_over"))
        if row.priority:
            parts.append(t("waiting.priority"))
        if row.booking:
            parts.append(t("waiting.booking", booking=row.booking))
        if row.note:
            parts.append(row.note)
        return " · ".join(parts)

    def set_due(self, bookings: list[DueBooking]) -> None:
        self.bookings = bookings
        if not bookings:
            self.due.setText(self.i18n.t("due.none"))
            return
        self.due.setText(
            "\n".join(
                self.i18n.t(
                    "due.item",
                    time=local_time(b.start, self.timezone),
                    code=b.code,
                    name=b.name,
                )
                for b in bookings
            )
        )

    def set_timezone(self, timezone: str | None) -> None:
        if timezone != self.timezone:
            self.timezone = timezone
            self.set_due(self.bookings)

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.selected_id() is None and self.table.rowCount():
            self.table.selectRow(max(0, self.table.currentRow()))

    def retranslate(self) -> None:
        t = self.i18n.t
        self.table.setHorizontalHeaderLabels(
            [t("waiting.number"), t("waiting.service"), t("waiting.waited"), t("waiting.about")]
        )
        self.due_heading.setText(t("due.heading"))
        self.set_rows(self.rows)
        self.set_due(self.bookings)


class DayPanel(QFrame):
    """My day: served, average time, no-shows, moves, breaks, and the wait for my window now."""

    def __init__(self, i18n: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = plain_label("heading")
        self.served = plain_label("day")
        self.average = plain_label("day")
        self.no_shows = plain_label("day")
        self.moved = plain_label("day")
        self.breaks = plain_label("day")
        self.wait = plain_label("day")
        layout = QGridLayout(self)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.heading, 0, 0, 1, 2)
        for i, label in enumerate(
            (self.served, self.average, self.no_shows, self.breaks, self.moved)
        ):
            layout.addWidget(label, 1 + i // 2, i % 2)
        layout.addWidget(self.wait, 4, 0, 1, 2)
        self.today: StaffToday | None = None
        self.line: list[WaitingRow] | None = None
        self.user = ""
        self.retranslate()

    def set_user(self, username: str) -> None:
        self.user = username
        self.retranslate()

    def set_today(self, today: StaffToday | None) -> None:
        self.today = today
        t, d = self.i18n.t, today
        self.served.setText(t("today.served", count=d.served if d else 0))
        avg = d.average_service_minutes if d else None
        self.average.setText(
            t("today.average_none") if avg is None else t("today.average", minutes=f"{avg:.1f}")
        )
        self.no_shows.setText(t("today.no_shows", count=d.no_shows if d else 0))
        self.moved.setText(
            t(
                "today.moved",
                transferred=d.transferred if d else 0,
                cancelled=d.cancelled if d else 0,
            )
        )
        self.breaks.setText(t("today.breaks", time=self.i18n.duration(d.break_seconds if d else 0)))
        self.set_line(self.line)

    def set_line(self, rows: list[WaitingRow] | None) -> None:
        """The wait for my window now, from its waiting list (None: no window held)."""
        self.line = rows
        t = self.i18n.t
        if rows is None:
            self.wait.setText(t("today.wait_none"))
            return
        longest = max((r.waited_seconds for r in rows), default=0)
        self.wait.setText(
            t("today.wait", count=len(rows), time=self.i18n.duration(longest) if rows else "—")
        )

    def retranslate(self) -> None:
        heading = self.i18n.t("today.heading")
        self.heading.setText(f"{heading} · {self.user}" if self.user else heading)
        self.set_today(self.today)
