"""Settler: what did an unanswered tap make? Asked again every few seconds until the server says.

When neither a ticket request nor the question «what did key K make?» got an answer
(`keyed.Unsettled`), the visitor is told it is not known yet, and this object keeps asking the
server (on the watch's thread, with the kiosk's key) while the visitor is still on that screen:
a ticket that exists is then shown and printed; "nothing" makes «no ticket» final.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from cherha.client import QueueClient, ServerUnavailable
from cherha.wire import RequestOutcome

from .workers import Runner

log = logging.getLogger(__name__)

ASK_EVERY_MS = 3000
ASK_AT_MOST = 40  # two minutes; then the screen's advice (ask at the reception) stands


class Settler(QObject):
    def __init__(
        self,
        runner: Runner,
        client: QueueClient,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._client = client
        self.key = ""
        self._asked = 0
        self._in_flight = False
        self._made: Callable[[RequestOutcome], None] = lambda _o: None
        self._nothing: Callable[[], None] = lambda: None
        self._timer = QTimer(self)
        self._timer.setInterval(ASK_EVERY_MS)
        self._timer.timeout.connect(self._ask)

    @property
    def active(self) -> bool:
        return bool(self.key)

    def start(
        self, key: str, made: Callable[[RequestOutcome], None], nothing: Callable[[], None]
    ) -> None:
        """Ask about `key` until answered: `made(outcome)` or `nothing()` is called once."""
        self.key, self._made, self._nothing = key, made, nothing
        self._asked = 0
        self._timer.start()

    def stop(self) -> None:
        """The visitor left the screen (or the answer came): ask no more."""
        self.key = ""
        self._timer.stop()

    def _ask(self) -> None:
        if not self.key or self._in_flight:
            return
        if self._asked >= ASK_AT_MOST:
            log.warning(
                "request %s still unsettled; the visitor was sent to the reception", self.key
            )
            self.stop()
            return
        self._asked += 1
        self._in_flight = True
        key, client = self.key, self._client
        self._runner.submit(
            lambda: client.request_outcome(key),
            lambda result: self._answered(key, result),
            lambda error: self._failed(key, error),
        )

    def _answered(self, key: str, result: object) -> None:
        self._in_flight = False
        if key != self.key:
            return  # the visitor has left that screen
        self.stop()
        if isinstance(result, RequestOutcome):
            self._made(result)
        else:
            self._nothing()

    def _failed(self, key: str, error: BaseException) -> None:
        self._in_flight = False
        if not isinstance(error, ServerUnavailable):
            log.error("asking what request %s made failed: %r", key, error)


__all__ = ["Settler"]
