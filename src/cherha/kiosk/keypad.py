"""Use without sight: a tactile keypad (EZ Access style) or a keyboard (EN 301 549 §5.1.3).

A USB keypad sends ordinary keys: up/down (or left/right, Tab) move a focus through every
control of the screen in reading order, Enter presses the focused one, Back (Escape or
Backspace) goes a step back, Help (F1, the Help key or «?») explains the screen. Each focused
control is read aloud. On the keyboard screens, a real keyboard types too: digits on the
phone pad, letters on the name and code keyboards, each typed character read back.

The hall's barcode scanner is a keyboard as well: what it types, very fast, then Enter, is a
scan on the screens that take one (start, booking code).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QScrollArea, QWidget

from .content import Control
from .model import SPACE
from .states import Screen
from .widgets import Button, Card, repolish

NO_TYPING = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class Action(Enum):
    NEXT = "next"
    PREVIOUS = "previous"
    PRESS = "press"
    BACK = "back"
    HELP = "help"
    TYPE = "type"  # `text` is a character for the screen's keyboard (or the scanner)
    DELETE = "delete"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class KeyPress:
    action: Action
    text: str = ""


KEYBOARD_SCREENS = (Screen.CODE, Screen.BOOK_PHONE, Screen.FIND_PHONE, Screen.BOOK_NAME)


def read_key(event: QKeyEvent, screen: Screen) -> KeyPress:
    """What a key press means on `screen`."""
    key = event.key()
    mods = event.modifiers()
    if mods & NO_TYPING:
        return KeyPress(Action.NONE)  # shortcuts (Alt+F4, Ctrl+Q …) do nothing at all
    if key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Tab):
        return KeyPress(Action.NEXT)
    if key in (Qt.Key.Key_Up, Qt.Key.Key_Left, Qt.Key.Key_Backtab):
        return KeyPress(Action.PREVIOUS)
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select):
        return KeyPress(Action.PRESS)
    if key in (Qt.Key.Key_F1, Qt.Key.Key_Help) or event.text() == "?":
        return KeyPress(Action.HELP)
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_Back):
        return KeyPress(Action.BACK)
    if key == Qt.Key.Key_Backspace:
        return KeyPress(Action.DELETE if screen in KEYBOARD_SCREENS else Action.BACK)
    if key == Qt.Key.Key_Space:
        if screen == Screen.BOOK_NAME:
            return KeyPress(Action.TYPE, SPACE)
        return KeyPress(Action.PRESS)
    text = "".join(ch for ch in event.text() if ch.isprintable())
    if text:
        return KeyPress(Action.TYPE, text)
    return KeyPress(Action.NONE)


class FocusRing:
    """The keypad's focus: one control at a time, shown with a thick outline."""

    def __init__(self) -> None:
        self.current: tuple[str, str] | None = None  # (slot, key) of the focused control
        self._widget: QWidget | None = None

    def clear(self) -> None:
        self._mark(None)
        self.current = None

    def widgets(self, window: QWidget, roots: list[QWidget]) -> list[Button | Card]:
        """The visible, focusable controls under `roots`, in reading order."""
        found: list[Button | Card] = []
        for root in roots:
            for w in root.findChildren(QWidget):
                if isinstance(w, Button | Card) and w.control is not None and w.isVisible():
                    found.append(w)

        def place(w: QWidget) -> tuple[int, int]:
            p = w.mapTo(window, QPoint(0, 0))
            return (p.y(), p.x())

        return sorted(found, key=place)

    def move(
        self, window: QWidget, roots: list[QWidget], step: int, first: int = 0
    ) -> Control | None:
        """Focus the next (step 1) or previous (-1) control; the first move goes to the
        page's first control (`first` is its index: the top bar comes before it)."""
        widgets = self.widgets(window, roots)
        if not widgets:
            self.clear()
            return None
        keys = [_key(w) for w in widgets]
        if self.current in keys:
            index = (keys.index(self.current) + step) % len(widgets)
        else:
            index = min(first, len(widgets) - 1) if step > 0 else len(widgets) - 1
        widget = widgets[index]
        self.current = keys[index]
        self._mark(widget)
        _scroll_to(widget)
        return widget.control

    def refresh(self, window: QWidget, roots: list[QWidget]) -> None:
        """After the screen was redrawn: keep the outline on the same control if it is there."""
        if self.current is None:
            self._mark(None)
            return
        for w in self.widgets(window, roots):
            if _key(w) == self.current:
                self._mark(w)
                return
        self.clear()

    def focused(self, window: QWidget, roots: list[QWidget]) -> Button | Card | None:
        for w in self.widgets(window, roots):
            if _key(w) == self.current:
                return w
        return None

    def _mark(self, widget: QWidget | None) -> None:
        if self._widget is widget:
            return
        old, self._widget = self._widget, widget
        for w, on in ((old, False), (widget, True)):
            if w is not None:
                try:
                    w.setProperty("focused", on)
                    repolish(w)
                except RuntimeError:  # a key or card rebuilt since: already gone
                    pass


def _key(widget: Button | Card) -> tuple[str, str]:
    control = widget.control
    assert control is not None
    return (control.slot, str(control.key))


def _scroll_to(widget: QWidget) -> None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
            return
        parent = parent.parentWidget()


__all__ = ["KEYBOARD_SCREENS", "Action", "FocusRing", "KeyPress", "read_key"]
