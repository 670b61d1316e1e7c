"""Client calls off the GUI thread: jobs run one at a time, results come back as signals."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

OnOk = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives in the GUI thread, so signals emitted from the pool are queued to it."""

    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id = job_id
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # every failure goes back to the GUI thread as a value
            self.relay.failed.emit(self.job_id, exc)
        else:
            self.relay.done.emit(self.job_id, result)


class ApiWorker(QObject):
    """A one-thread pool: jobs keep their order, callbacks run in the GUI thread.

    One at a time on purpose: a clerk's actions must reach the server in the order pressed.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[_Job, OnOk, OnError]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, fn: Callable[[], Any], on_ok: OnOk, on_error: OnError) -> int:
        job_id = next(self._ids)
        job = _Job(job_id, fn, self._relay)
        was_busy = self.busy
        self._pending[job_id] = (job, on_ok, on_error)
        self._pool.start(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until every job finished (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def _finish(self, job_id: int) -> tuple[OnOk, OnError] | None:
        entry = self._pending.pop(job_id, None)
        if not self._pending and entry is not None:
            self.busy_changed.emit(False)
        return None if entry is None else (entry[1], entry[2])

    def _on_done(self, job_id: int, result: object) -> None:
        callbacks = self._finish(job_id)
        if callbacks is not None:
            callbacks[0](result)

    def _on_failed(self, job_id: int, error: object) -> None:
        callbacks = self._finish(job_id)
        if callbacks is not None:
            assert isinstance(error, BaseException)
            callbacks[1](error)
