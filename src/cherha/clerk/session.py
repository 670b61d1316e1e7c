"""DeskSession: who is logged in, the HTTP clients, the event stream, being online.

One job of the desk's three (session, actions, live state). It knows the server through
`cherha.client` only and says what happens through signals; it remembers the server address,
the username, the chosen window and the language (`settings.DeskState`), never the password.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from cherha.client import ApiError, QueueClient, ServerClock, Unauthorized
from cherha.qt.jobs import JobRunner
from cherha.qt.listener import EventListener
from cherha.wire import Event, User

from .i18n import Translator
from .settings import DeskState, StateStore

log = logging.getLogger(__name__)


class DeskSession(QObject):
    logged_in = Signal(object)  # User
    login_failed = Signal(str)
    logged_out = Signal()
    password_required = Signal(str)  # username
    relogin_failed = Signal(str)
    relogged_in = Signal()
    relogin_cancelled = Signal()
    asking_changed = Signal(bool)  # the password prompt is open: nothing else until it closes
    online_changed = Signal(bool)
    event_received = Signal(object)  # cherha.client.Event

    def __init__(
        self,
        store: StateStore,
        i18n: Translator,
        *,
        server_url: str | None = None,
        stream_max_delay: float = 15.0,
        clock: ServerClock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.state: DeskState = store.load()
        if server_url:
            self.state.server_url = server_url
        self.i18n = i18n
        i18n.set_language(self.state.language)
        # Timers count from the server's timestamps, so "now" is the server's too.
        self.clock = clock or ServerClock()
        self.stream_max_delay = stream_max_delay
        self.client: QueueClient | None = None
        """For actions (the actions' runner uses it)."""
        self.reader: QueueClient | None = None
        """For rereads (the live state's runner uses it): a session of its own."""
        self.user: User | None = None
        self.online = False
        self.asking_password = False
        self._runner = JobRunner("session", self)
        self._listener: EventListener | None = None
        self._retired: set[EventListener] = set()
        self._retry: Callable[[], object] | None = None

    # -- login and logout ----------------------------------------------------------------------

    def login(self, server_url: str, username: str, password: str) -> None:
        server_url = server_url.strip().rstrip("/")
        username = username.strip()
        if not (server_url and username and password):
            self.login_failed.emit(self.i18n.t("login.missing"))
            return
        self._stop_listener()
        self._close_clients()
        self.client = QueueClient(server_url, clock=self.clock)
        self.reader = QueueClient(server_url, clock=self.clock)
        client = self.client
        self._runner.submit(
            lambda: client.login(username, password),
            lambda result: self._logged_in(server_url, result.user, result.token),
            lambda error: self.login_failed.emit(self.describe(error)),
        )

    def _logged_in(self, server_url: str, user: User, token: str) -> None:
        assert self.reader is not None
        self.reader.token = token
        self.user = user
        self.state.server_url, self.state.username = server_url, user.username
        self.save()
        self._start_listener(None)
        self.logged_in.emit(user)

    def logout(self) -> None:
        """Forget the login here and on the server (offline: here only; it expires there)."""
        client = self.client
        self._stop_listener()
        self.user = None
        self._retry = None
        self._set_asking(False)
        if client is not None and client.token is not None:
            self._runner.submit(client.logout, lambda _r: None, lambda _e: None)
        self.logged_out.emit()

    def relogin(self, password: str) -> None:
        """The password again after an expired session; then the interrupted action is redone."""
        if self.client is None or self.user is None:
            return
        client, username = self.client, self.user.username
        self._runner.submit(
            lambda: client.login(username, password),
            lambda result: self._relogged(result.token),
            lambda error: self.relogin_failed.emit(self.describe(error)),
        )

    def _relogged(self, token: str) -> None:
        assert self.reader is not None
        self.reader.token = token
        self._set_asking(False)
        self.relogged_in.emit()
        last = self._listener.last_event_id if self._listener is not None else None
        self._stop_listener()
        self._start_listener(last)
        retry, self._retry = self._retry, None
        if retry is not None:
            retry()

    def ask_password(self, retry: Callable[[], object] | None = None) -> None:
        """The server refused the token: ask once; `retry` runs after a successful login."""
        if retry is not None:
            self._retry = retry
        if not self.asking_password and self.user is not None:
            self._set_asking(True)
            self.password_required.emit(self.user.username)

    def cancel_relogin(self) -> None:
        self._retry = None
        self._set_asking(False)
        self.relogin_cancelled.emit()

    def _set_asking(self, asking: bool) -> None:
        if asking != self.asking_password:
            self.asking_password = asking
            self.asking_changed.emit(asking)

    # -- the event stream ----------------------------------------------------------------------

    def _start_listener(self, last_event_id: int | None) -> None:
        if self.client is None or self.client.token is None:
            return
        listener = EventListener(
            self.client.base_url, self.client.token, last_event_id, max_delay=self.stream_max_delay
        )
        listener.received.connect(self._on_event)
        listener.connected_changed.connect(self._set_online)
        listener.failed.connect(self._on_stream_refused)
        self._listener = listener
        listener.start()

    def _stop_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.received.disconnect(self._on_event)
            listener.connected_changed.disconnect(self._set_online)
            listener.failed.disconnect(self._on_stream_refused)
            listener.stop(2000)
            if listener.isFinished():
                listener.deleteLater()
            else:  # stuck in a connect: let it end by its timeout, then go
                self._retired.add(listener)
                listener.finished.connect(lambda: self._retired.discard(listener))
                listener.finished.connect(listener.deleteLater)
        self._set_online(False)

    def _on_event(self, event: Event) -> None:
        log.debug("event %s %s", event.id, event.type)
        self.event_received.emit(event)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    def _on_stream_refused(self, error: ApiError) -> None:
        self._set_online(False)
        if isinstance(error, Unauthorized):
            self.ask_password()

    # -- helpers -------------------------------------------------------------------------------

    def describe(self, error: BaseException) -> str:
        """A refusal or fault in the clerk's language (the server's own words when it has them)."""
        if isinstance(error, ApiError):
            return error.message(self.i18n.language)
        log.error("unexpected error", exc_info=error)
        return self.i18n.t("msg.unexpected", error=error)

    def save(self) -> None:
        self.store.save(self.state)

    def _close_clients(self) -> None:
        for old in (self.client, self.reader):
            if old is not None:
                old.close()

    def shutdown(self) -> None:
        self._stop_listener()
        for listener in list(self._retired):
            listener.wait(10_000)
        self._runner.wait()
        self._close_clients()
