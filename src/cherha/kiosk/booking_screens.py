"""Pages of the booking screens: on-screen keyboards (code, phone, name) and the confirmation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from .content import Content, Control
from .model import CLEAR, LAYOUT, SPACE
from .screens import Page
from .widgets import Button, NavBar, button, label, show_line

KEY_HEIGHT = 96  # design px: the touch-target floor's size, keys close together
WIDE_KEYS = (CLEAR, SPACE, LAYOUT)  # a word on the key: two columns wide


class KeyboardPage(Page):
    """A title, what was typed so far, big keys and a submit button; Back and Start over.

    The keys come from the content (`slot` "key"); the page only says which key was pressed.
    Portrait: everything in one column. Landscape: the texts left, the keys right.
    """

    pressed = Signal(str)
    submit = Signal()
    find_booking = Signal()
    back = Signal()
    cancel = Signal()

    def __init__(
        self, columns: tuple[int, int], *, keys_share: int = 3, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = columns  # (portrait, landscape)
        self.keys_share = keys_share  # landscape: the keys' share of the width, of 5
        self.title = label("title")
        self.hint = label("body")
        self.notice = label("note")
        self.hold = label("note")
        self.entry = label("entry", center=True)  # a long name wraps rather than hides
        self.submit_button = button("primary", height=104)
        self.submit_button.clicked.connect(self.submit)
        self.find_button = button(height=96)
        self.find_button.clicked.connect(self.find_booking)
        texts = QVBoxLayout()
        texts.setSpacing(12)
        for w in (self.title, self.hint, self.notice, self.hold, self.entry):
            texts.addWidget(w)
        texts.addStretch(1)
        texts.addWidget(self.submit_button)
        self.texts = texts
        self.keyboard = QWidget()
        self.grid = QGridLayout(self.keyboard)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.main = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.main.setSpacing(24)
        self.main.addLayout(texts, 5 - keys_share)
        self.main.addWidget(self.keyboard, keys_share)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.box.addLayout(self.main, 1)
        self.box.addWidget(self.find_button)
        self.box.addWidget(self.nav)
        self.keys: dict[str, Button] = {}
        self._layout: list[tuple[str, int]] = []

    def show_content(self, content: Content) -> None:
        for widget, slot in (
            (self.title, "title"),
            (self.hint, "hint"),
            (self.notice, "notice"),
            (self.hold, "hold"),
            (self.entry, "entry"),
        ):
            show_line(widget, content.line(slot))
        keys = content.all("key")
        layout = [(str(k.key), self._span(str(k.key))) for k in keys]
        if layout != self._layout:
            self._layout = layout
            self._place(keys)
        for control in keys:
            self.keys[str(control.key)].show_control(control)
        self.submit_button.show_control(content.control("submit"))
        self.find_button.show_control(content.control("find"))
        self.nav.show_content(content)

    def set_orientation(self, portrait: bool) -> None:
        changed = portrait != self.portrait
        super().set_orientation(portrait)
        self.main.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        # Portrait: the texts as high as they need, the keys right under them.
        self.main.setStretch(0, 0 if portrait else 5 - self.keys_share)
        if changed and self._layout:
            controls = [b.control for b in self.keys.values() if b.control is not None]
            self._place(controls)

    def _span(self, key: str) -> int:
        """A word on a key takes two columns, except on a narrow pad (the phone's 3 × 4)."""
        return 2 if key in WIDE_KEYS and min(self.columns) > 3 else 1

    def _place(self, keys: list[Control]) -> None:
        for b in self.keys.values():
            self.grid.removeWidget(b)
            b.deleteLater()
        self.keys = {}
        columns = self.columns[0] if self.portrait else self.columns[1]
        row = col = 0
        for control in keys:
            key = str(control.key)
            span = self._span(key)
            if col + span > columns:
                row, col = row + 1, 0
            # A letter large; a word («Стерти», «пробіл», «ABC») smaller, to fit its key.
            b = button("key" if len(control.label) == 1 else "key_word", height=KEY_HEIGHT)
            b.setMinimumHeight(self.metrics.px(KEY_HEIGHT))
            b.setMinimumWidth(self.metrics.target)
            b.show_control(control)
            b.clicked.connect(lambda _=False, k=key: self.pressed.emit(k))
            self.grid.addWidget(b, row, col, 1, span)
            self.keys[key] = b
            col += span
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)
        for r in range(self.grid.rowCount() + 1):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(row + 1, 1)  # the keys close together, room left below


class ConfirmPage(Page):
    """What will be booked, one line each, and the button that books it."""

    confirmed = Signal()
    back = Signal()
    cancel = Signal()

    SLOTS = ("service", "when", "phone", "name", "hold")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title")
        self.lines = {
            slot: label("subtitle" if slot == "service" else "body") for slot in self.SLOTS
        }
        self.confirm_button = button("primary", height=130)
        self.confirm_button.clicked.connect(self.confirmed)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.box.addWidget(self.title)
        self.box.addSpacing(12)
        for w in self.lines.values():
            self.box.addWidget(w)
        self.box.addStretch(1)
        self.box.addWidget(self.confirm_button)
        self.box.addStretch(1)
        self.box.addWidget(self.nav)

    def show_content(self, content: Content) -> None:
        show_line(self.title, content.line("title"))
        for slot, widget in self.lines.items():
            show_line(widget, content.line(slot))
        self.confirm_button.show_control(content.control("confirm"))
        self.nav.show_content(content)
