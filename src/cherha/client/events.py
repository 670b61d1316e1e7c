"""EventStream: the server's Server-Sent Events, parsed, resumed and reconnected by itself."""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pydantic
import requests

from cherha.wire import Event

from .client import CONNECT_TIMEOUT, USER_AGENT
from .errors import ApiError, Forbidden, Unauthorized, error_for

log = logging.getLogger(__name__)

# The server sends a keep-alive every 15 s; three missed ones mean the connection is dead.
READ_TIMEOUT = 45.0


class _Parser:
    """Incremental SSE parser (the WHATWG rules the server uses: id, event, data, retry)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []
        self._type = ""
        self._id: str | None = None
        self.retry_ms: int | None = None

    def feed(self, chunk: bytes) -> Iterator[tuple[str | None, str, str]]:
        self._buffer += chunk
        while True:
            cut = self._buffer.find(b"\n")
            if cut < 0:
                return
            raw, self._buffer = self._buffer[:cut], self._buffer[cut + 1 :]
            line = raw.rstrip(b"\r").decode("utf-8", errors="replace")
            if not line:
                if self._data:
                    yield self._id, self._type or "message", "\n".join(self._data)
                self._data, self._type = [], ""
                continue
            if line.startswith(":"):
                continue  # a comment: keep-alive
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._type = value
            elif name == "id" and "\0" not in value:
                self._id = value
            elif name == "retry" and value.isdigit():
                self.retry_ms = int(value)


class EventStream:
    """Iterate the branch's events; reconnects with backoff and resumes with Last-Event-ID.

    Credentials: a clerk's `token` (Authorization header) or a display's `key` (?key=).
    `on_state(connected)` is called from the iterating thread on every change of connection.
    `close()` may be called from any thread; the iteration then ends. A 401/403 ends it too,
    raising the ApiError (new credentials are needed, retrying would not help).
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        key: str | None = None,
        last_event_id: int | None = None,
        branch_id: int | None = None,
        on_state: Callable[[bool], None] | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        min_delay: float = 0.5,
        max_delay: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.key = key
        self.last_event_id = last_event_id
        self.branch_id = branch_id
        self.on_state = on_state
        self.timeout = (connect_timeout, read_timeout)
        self.min_delay = min_delay
        self.max_delay = max_delay
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._response: requests.Response | None = None
        self._connected = False
        self._retry_ms: int | None = None

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """Stop: wakes the iterating thread (shuts the socket down) and ends the iteration.

        Only the iterating thread closes its response: closed from here as well, the two
        closes (or a close and a read) raced inside http.client ("I/O operation on closed
        file", "'NoneType' object has no attribute 'read'")."""
        self._closed.set()
        with self._lock:
            response = self._response
        if response is not None:
            # Already released, or not yet reading: the iterating thread sees `_closed` then.
            with contextlib.suppress(ValueError, RuntimeError, OSError, AttributeError):
                response.raw.shutdown()  # wakes a thread blocked reading the socket

    def __iter__(self) -> Iterator[Event]:
        return self.events()

    def events(self) -> Iterator[Event]:
        delay = self.min_delay
        try:
            while not self._closed.is_set():
                try:
                    for event in self._connect_once():
                        delay = self.min_delay  # a working connection resets the backoff
                        yield event
                except (Unauthorized, Forbidden):
                    raise
                except (requests.RequestException, ApiError, OSError) as exc:
                    if self._closed.is_set():
                        break
                    log.info("event stream lost: %s", exc)
                self._set_state(False)
                if self._closed.is_set():
                    break
                wait = max(delay, (self._retry_ms or 0) / 1000)
                self._closed.wait(wait * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.max_delay)
        finally:
            self._set_state(False)
            self._session.close()

    def _connect_once(self) -> Iterator[Event]:
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        params: dict[str, Any] = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.key:
            params["key"] = self.key
        if self.branch_id is not None:
            params["branch_id"] = self.branch_id
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        response = self._session.get(
            f"{self.base_url}/api/v1/events",
            headers=headers,
            params=params or None,
            stream=True,
            timeout=self.timeout,
        )
        with self._lock:
            self._response = response
        try:
            if self._closed.is_set():
                return
            if response.status_code != 200:
                try:
                    body: Any = response.json()
                except ValueError:
                    body = None
                raise error_for(response.status_code, body)
            self._set_state(True)
            parser = _Parser()
            for chunk in response.iter_content(chunk_size=None):
                for event_id, event_type, data in parser.feed(chunk):
                    self._retry_ms = parser.retry_ms or self._retry_ms
                    event = self._event(event_id, event_type, data)
                    if event is not None:
                        yield event
                if self._closed.is_set():
                    return
        finally:
            with self._lock:
                self._response = None
            response.close()

    def _event(self, event_id: str | None, event_type: str, data: str) -> Event | None:
        if event_id is not None and event_id.strip().isdigit():
            self.last_event_id = int(event_id)
        try:
            payload = json.loads(data)
        except ValueError:
            log.warning("event %s: data is not JSON", event_id)
            return None
        if not isinstance(payload, dict):
            return None
        try:  # the SSE fields stand in for what the data leaves out
            return Event.model_validate({"id": self.last_event_id, "type": event_type} | payload)
        except pydantic.ValidationError as exc:
            log.warning("event %s: not an event (%s)", event_id, exc.error_count())
            return None

    def _set_state(self, connected: bool) -> None:
        if connected == self._connected:
            return
        self._connected = connected
        if self.on_state is not None:
            self.on_state(connected)


__all__ = ["READ_TIMEOUT", "EventStream"]
