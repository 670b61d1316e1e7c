"""Whether a visitor is still at the kiosk: the countdown back to the start after a ticket or
booking, and the «Ви ще тут? / Are you still here?» question after a while with no touch.

After `idle_seconds` without a touch or a key on any screen that holds something of the
visitor's (a choice, typed digits, English, large text, speech), the question comes up with
`idle_warning_seconds` to answer (EN 301 549 §5.2, WCAG 2.2.1: warned, and extended with one
touch). Unanswered, the controller clears everything and returns to the start. A result
screen counts down on its own (`count_down`), and «Keep on screen» stops that countdown
(the idle question then still guards it).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from .config import KioskConfig

TICK_MS = 1000


class Attendance(QObject):
    """The two timers of a visit; `guard()` says whether anything of a visitor's is on the
    kiosk (no question on an untouched start screen)."""

    returned = Signal()  # a result screen's countdown is over
    timed_out = Signal()  # nobody answered «still here?»
    asking_changed = Signal(bool)
    ticked = Signal()  # a countdown moved

    def __init__(
        self, config: KioskConfig, guard: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.guard = guard
        self.warning_seconds = max(1, round(config.idle_warning_seconds))
        self.idle_left: int | None = None  # seconds left to answer «still here?»
        self.return_left: int | None = None  # seconds before a result screen returns
        self.kept = False  # «Keep on screen» was pressed
        self.clock = time.monotonic
        self._return_at: float | None = None
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(max(50, int(config.idle_seconds * 1000)))
        self.idle_timer.timeout.connect(self._ask)
        self.return_timer = QTimer(self)
        self.return_timer.setSingleShot(True)
        self.return_timer.timeout.connect(self.returned)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)

    @property
    def asking(self) -> bool:
        return self.idle_left is not None

    # -- the visitor ----------------------------------------------------------------------

    def activity(self) -> None:
        """A touch or a key anywhere: the visitor is here."""
        if self.asking:
            self.stay()
        else:
            self.idle_timer.start()

    def stay(self) -> None:
        """«Yes, I am still here»."""
        if self.asking:
            self.idle_left = None
            self._sync_tick()
            self.asking_changed.emit(False)
        self.idle_timer.start()

    def keep(self) -> None:
        self.kept = True
        self.return_timer.stop()
        self._return_at = None
        self.return_left = None
        self._sync_tick()
        self.idle_timer.start()

    # -- the controller ---------------------------------------------------------------------

    def screen_changed(self) -> None:
        if not self.asking:
            self.idle_timer.start()

    def hold_result(self) -> None:
        """A slip is being printed: no countdown until it is done."""
        self.return_timer.stop()
        self._return_at = None
        self.return_left = None
        self.kept = False
        self._sync_tick()

    def count_down(self, seconds: float) -> None:
        """Back to the start in `seconds` (a result screen), unless kept on screen."""
        if self.kept:
            return
        self.return_timer.start(max(1, int(seconds * 1000)))
        self._return_at = self.clock() + seconds
        self.return_left = math.ceil(seconds)
        self._sync_tick()

    def reset(self) -> None:
        self.idle_left = None
        self.kept = False
        self.return_timer.stop()
        self._return_at = None
        self.return_left = None
        self._sync_tick()
        self.idle_timer.stop()

    def stop(self) -> None:
        self.reset()

    # -- internals --------------------------------------------------------------------------

    def _ask(self) -> None:
        if self.return_left is not None or not self.guard():
            self.idle_timer.start()  # counting down already, or nothing to protect
            return
        self.idle_left = self.warning_seconds
        self._sync_tick()
        self.asking_changed.emit(True)

    def _on_tick(self) -> None:
        if self.idle_left is not None:
            self.idle_left -= 1
            if self.idle_left <= 0:
                self.timed_out.emit()
                return
        if self._return_at is not None:
            self.return_left = max(1, math.ceil(self._return_at - self.clock()))
        self.ticked.emit()

    def _sync_tick(self) -> None:
        if self.idle_left is not None or self._return_at is not None:
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()


__all__ = ["Attendance"]
