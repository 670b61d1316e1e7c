"""Sender: a visitor's requests, off the GUI thread, sent with a key and never made twice.

Every ticket, check-in and booking goes out on the issuing thread with an `Idempotency-Key`
of its own (kiosk/keyed.py: retried with the same key while no answer comes, then «what did
it make?»). While the server takes longer than `slow_after` seconds, `waiting_long` is true
(the busy screen says the kiosk is still waiting). A request whose fate could not be learned
is handed to a `Settler`, which keeps asking while the visitor waits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from cherha.client import QueueClient, new_request_key
from cherha.wire import RequestOutcome

from .keyed import send_keyed
from .settling import Settler
from .workers import Runner

T = TypeVar("T")


class Sender(QObject):
    slow_changed = Signal(bool)

    def __init__(
        self,
        client: QueueClient,
        settler: Settler,
        *,
        patience: float,
        slow_after: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.settler = settler
        self.patience = patience
        self.runner = Runner("issuing", self)
        self.waiting_long = False
        self._stopped = threading.Event()
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(max(1, int(slow_after * 1000)))
        self._slow.timeout.connect(lambda: self._set_slow(True))

    def send(
        self,
        request: Callable[[QueueClient, str], T],
        made: Callable[[RequestOutcome | None], T | None],
        on_ok: Callable[[object], None],
        on_error: Callable[[BaseException], None],
    ) -> str:
        """Send `request(client, key)` with a new key; returns the key.

        `made` picks this request's result out of the server's answer to «what did the key
        make?» (None: nothing). `on_error` gets the server's refusal, `keyed.NothingMade` or
        `keyed.Unsettled`.
        """
        key, client, stopped, patience = (
            new_request_key(),
            self.client,
            self._stopped,
            self.patience,
        )

        def job() -> T:
            return send_keyed(
                lambda k: request(client, k),
                lambda k: made(client.request_outcome(k)),
                key,
                patience=patience,
                stopped=stopped,
            )

        def done(result: object) -> None:
            self._set_slow(False)
            on_ok(result)

        def failed(error: BaseException) -> None:
            self._set_slow(False)
            on_error(error)

        self._slow.start()
        self.runner.submit(job, done, failed)
        return key

    def submit(
        self,
        job: Callable[[], Any],
        on_ok: Callable[[object], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """A request that needs no key (a read, a hold), on the same thread, in order."""
        self.runner.submit(job, on_ok, on_error)

    def shutdown(self) -> None:
        self._stopped.set()  # a retry loop under way ends at its next pause
        self._slow.stop()
        self.settler.stop()
        self.runner.shutdown()
        self.client.close()

    def _set_slow(self, slow: bool) -> None:
        if not slow:
            self._slow.stop()
        if slow != self.waiting_long:
            self.waiting_long = slow
            self.slow_changed.emit(slow)


__all__ = ["Sender"]
