"""Pages of the booking screens: on-screen keyboards (code, phone, name) and the confirmation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QPushButton, QVBoxLayout, QWidget

from .screens import Page
from .widgets import NavBar, button, label

KEY_HEIGHT = 100  # px: above the 96 px every target has, a key is pressed often


class KeyboardPage(Page):
    """A title, what was typed so far, big keys and a submit button; Back and Start over.

    Keys are (key, label, columns spanned); the page only says which key was pressed.
    Portrait: everything in one column. Landscape: the texts left, the keys right.
    """

    pressed = Signal(str)
    submit = Signal()
    back = Signal()
    cancel = Signal()

    def __init__(self, columns: tuple[int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns  # (portrait, landscape)
        self.title = label("title")
        self.hint = label("body")
        self.entry = label("entry", wrap=False, center=True)
        self.message = label("note", center=True)
        self.submit_button = button("primary", height=110)
        self.submit_button.clicked.connect(self.submit)
        texts = QVBoxLayout()
        texts.setSpacing(16)
        for w in (self.title, self.hint, self.entry, self.message):
            texts.addWidget(w)
        texts.addStretch(1)
        texts.addWidget(self.submit_button)
        self.texts = texts
        self.keyboard = QWidget()
        self.grid = QGridLayout(self.keyboard)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.main = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.main.setSpacing(32)
        self.main.addLayout(texts, 2)
        self.main.addWidget(self.keyboard, 3)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.box.addLayout(self.main, 1)
        self.box.addWidget(self.nav)
        self.keys: dict[str, QPushButton] = {}
        self._layout: list[tuple[str, str, int]] = []

    def set_keys(self, keys: list[tuple[str, str, int]]) -> None:
        if [(k, span) for k, _l, span in keys] != [(k, span) for k, _l, span in self._layout]:
            self._layout = list(keys)
            self._place()
        self._layout = list(keys)
        for key, text, _span in keys:
            self.keys[key].setText(text)

    def set_texts(self, title: str, hint: str, submit: str, back: str, cancel: str) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.submit_button.setText(submit)
        self.nav.set_texts(back, cancel)

    def set_entry(self, text: str, *, ready: bool, message: str = "") -> None:
        self.entry.setText(text)
        self.submit_button.setEnabled(ready)
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def set_orientation(self, portrait: bool) -> None:
        changed = portrait != self.portrait
        super().set_orientation(portrait)
        self.main.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        # Portrait: the texts as high as they need, the keys right under them.
        self.main.setStretch(0, 0 if portrait else 2)
        self.texts.setStretch(self.texts.count() - 2, 0 if portrait else 1)
        if changed and self._layout:
            self._place()

    def _place(self) -> None:
        for b in self.keys.values():
            self.grid.removeWidget(b)
            b.deleteLater()
        self.keys = {}
        columns = self.columns[0] if self.portrait else self.columns[1]
        row = col = 0
        for key, text, span in self._layout:
            if col + span > columns:
                row, col = row + 1, 0
            # A letter large; a word («Стерти», «пробіл», «ABC») smaller, to fit its key.
            b = button("key" if len(text) == 1 else "key_word", height=KEY_HEIGHT)
            b.setMinimumWidth(KEY_HEIGHT - 8)
            b.setText(text)
            b.clicked.connect(lambda _=False, k=key: self.pressed.emit(k))
            self.grid.addWidget(b, row, col, 1, span)
            self.keys[key] = b
            col += span
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(row + 1, 1)  # the keys close together, room left below


class ConfirmPage(Page):
    """What will be booked, one line each, and the button that books it."""

    confirmed = Signal()
    back = Signal()
    cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title")
        self.lines = [label("subtitle"), label("body"), label("body"), label("body")]
        self.note = label("note")
        self.confirm_button = button("primary", height=140)
        self.confirm_button.clicked.connect(self.confirmed)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.box.addWidget(self.title)
        self.box.addSpacing(16)
        for w in self.lines:
            self.box.addWidget(w)
        self.box.addWidget(self.note)
        self.box.addStretch(1)
        self.box.addWidget(self.confirm_button)
        self.box.addStretch(1)
        self.box.addWidget(self.nav)

    def set_texts(
        self, title: str, lines: list[str], note: str, confirm: str, back: str, cancel: str
    ) -> None:
        self.title.setText(title)
        for widget, text in zip(self.lines, [*lines, "", "", "", ""], strict=False):
            widget.setText(text)
            widget.setVisible(bool(text))
        self.note.setText(note)
        self.confirm_button.setText(confirm)
        self.nav.set_texts(back, cancel)
