"""Blocking client work (HTTP, printing) off the GUI thread, for the kiosk and the desk.

`JobRunner` is a one-thread pool: jobs run in the order submitted, and their results or
exceptions come back as queued signals, so the callbacks run in the GUI thread. One runner per
concern keeps a slow printer from delaying a ticket, and a clerk's actions in the order pressed.
Only this module of cherha.client imports Qt.
"""

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
    """Lives in the GUI thread, so signals emitted from the pool are delivered there."""

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


class JobRunner(QObject):
    """Runs jobs one at a time on a thread of its own; callbacks run in the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[OnOk, OnError]] = {}
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, fn: Callable[[], Any], on_ok: OnOk, on_error: OnError) -> int:
        """Queue `fn`; returns its job id (0 once the runner is shut down)."""
        if self._closed:
            return 0
        job_id = next(self._ids)
        was_busy = self.busy
        self._pending[job_id] = (on_ok, on_error)
        self._pool.start(_Job(job_id, fn, self._relay))
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until every job finished (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 20_000) -> bool:
        """No new jobs, callbacks dropped; wait for the running job to end."""
        self._closed = True
        self._pending.clear()
        self._pool.clear()
        done = self._pool.waitForDone(msecs)
        if not done:
            log.warning("%s: a job did not finish within %d ms", self.objectName(), msecs)
        return done

    def _finish(self, job_id: int) -> tuple[OnOk, OnError] | None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is not None and not self._pending:
            self.busy_changed.emit(False)
        return callbacks

    def _on_done(self, job_id: int, result: object) -> None:
        callbacks = self._finish(job_id)
        if callbacks is not None:
            callbacks[0](result)

    def _on_failed(self, job_id: int, error: object) -> None:
        callbacks = self._finish(job_id)
        if callbacks is not None:
            assert isinstance(error, BaseException)
            callbacks[1](error)
