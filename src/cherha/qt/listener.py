"""The server's event stream in a QThread, delivered as Qt signals (kiosk and desk alike)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal

from cherha.client import ApiError, EventStream

log = logging.getLogger(__name__)


class EventListener(QThread):
    """Runs an EventStream; reconnects by itself. `failed` only when credentials are refused."""

    received = Signal(object)  # cherha.client.Event
    connected_changed = Signal(bool)
    failed = Signal(object)  # cherha.client.ApiError

    def __init__(
        self,
        base_url: str,
        token: str | None,
        last_event_id: int | None = None,
        *,
        max_delay: float = 15.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.stream = EventStream(
            base_url,
            token,
            last_event_id=last_event_id,
            on_state=self.connected_changed.emit,
            min_delay=min(0.5, max_delay),
            max_delay=max_delay,
        )

    @property
    def last_event_id(self) -> int | None:
        return self.stream.last_event_id

    def run(self) -> None:
        try:
            for event in self.stream:
                self.received.emit(event)
        except ApiError as exc:
            log.warning("event stream refused: %s", exc)
            self.failed.emit(exc)
        except Exception:  # never let the thread die silently
            log.exception("event stream crashed")

    def stop(self, msecs: int = 10_000) -> None:
        """Close the stream (from the GUI thread) and wait for the thread to end."""
        self.stream.close()
        if not self.wait(msecs):
            log.warning("event listener did not stop within %d ms", msecs)
