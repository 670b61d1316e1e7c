"""ServerWatch: the services, the branch and whether the server answers, kept fresh.

Polls `/services` and `/branch` (off the GUI thread) and listens to the event stream, so a
pause, a new ticket or the server going away shows on the kiosk within a second or two.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from cherha.client import Forbidden, QueueClient, ServerUnavailable, Unauthorized
from cherha.qt.listener import EventListener
from cherha.wire import Branch, Service

from .workers import Runner

log = logging.getLogger(__name__)

OUTAGE_POLL_MS = 2000  # while the server is away, look for it more often
DEBOUNCE_MS = 150  # a burst of events costs one refresh


@dataclass(frozen=True, slots=True)
class Snapshot:
    branch: Branch
    services: tuple[Service, ...]


class ServerWatch(QObject):
    """Knows whether tickets can be issued: server reachable, key accepted, branch state."""

    updated = Signal(object)  # Snapshot
    reachable_changed = Signal(bool)

    def __init__(
        self,
        make_client: Callable[[], QueueClient],
        *,
        poll_seconds: float = 5.0,
        events: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = make_client()
        self.runner = Runner("server-watch", self)
        self.reachable: bool | None = None  # None until the first answer
        self.refused = False  # the server answered but refused the key
        self.snapshot: Snapshot | None = None
        self._in_flight = False
        self._again = False
        self._poll_ms = max(50, int(poll_seconds * 1000))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._listener: EventListener | None = None
        if events and self._client.token:
            self._listener = EventListener(
                self._client.base_url, self._client.token, max_delay=5.0, parent=self
            )
            self._listener.received.connect(lambda _event: self.soon())
            self._listener.connected_changed.connect(lambda _up: self.soon())

    @property
    def client(self) -> QueueClient:
        """The watch's own client; use it only through `self.runner` (its thread)."""
        return self._client

    def start(self) -> None:
        self.refresh()
        if self._listener is not None:
            self._listener.start()

    def stop(self) -> None:
        self._timer.stop()
        self._debounce.stop()
        if self._listener is not None:
            self._listener.stop()
        self.runner.shutdown()
        self._client.close()

    def soon(self) -> None:
        """Refresh shortly (events come in bursts)."""
        if not self._debounce.isActive():
            self._debounce.start()

    def refresh(self) -> None:
        """Fetch branch and services now (one request pair at a time)."""
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        self._timer.stop()
        self.runner.submit(self._fetch, self._on_ok, self._on_error)

    def _fetch(self) -> Snapshot:
        branch = self._client.branch()
        return Snapshot(branch, tuple(self._client.services()))

    def _on_ok(self, result: object) -> None:
        assert isinstance(result, Snapshot)
        self.snapshot = result
        self.refused = False
        self._settle(True)
        self.updated.emit(result)

    def _on_error(self, error: BaseException) -> None:
        if isinstance(error, Unauthorized | Forbidden):
            self.refused = True
            log.error("the server refuses the kiosk's key: %s", error)
        elif not isinstance(error, ServerUnavailable):
            log.warning("refresh failed: %r", error)
        self._settle(False)

    def _settle(self, reachable: bool) -> None:
        self._in_flight = False
        changed = reachable != self.reachable
        self.reachable = reachable
        if self._again:
            self._again = False
            self.refresh()
        else:
            self._timer.start(self._poll_ms if reachable else min(self._poll_ms, OUTAGE_POLL_MS))
        if changed:
            log.info("server %s", "reachable" if reachable else "unreachable")
            self.reachable_changed.emit(reachable)
