"""DeskController: the desk's state (login, window, current visitor, figures) and its actions.

Knows the server through `cherha.client` only, and the screen through signals only. Actions
run one at a time on `ApiWorker`; refreshes run on a second worker so they never delay a call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from cherha.client import ApiError, QueueClient, ServerClock, Unauthorized
from cherha.qt.listener import EventListener
from cherha.wire import Branch, ClerkTicket, Counter, Event, Service, StaffToday, User

from .desk import (
    Snapshot,
    available_actions,
    held_counter,
    holds,
    overview_rows,
    read_snapshot,
)
from .i18n import Translator
from .settings import DeskState, StateStore
from .worker import ApiWorker

log = logging.getLogger(__name__)


class DeskController(QObject):
    logged_in = Signal(object)  # User
    login_failed = Signal(str)
    counters_changed = Signal(list)  # list[Counter]
    counter_changed = Signal(object)  # Counter | None: the chosen window
    ticket_changed = Signal(object)  # ClerkTicket | None
    last_no_show_changed = Signal(object)  # ClerkTicket | None
    overview_changed = Signal(list)  # list[OverviewRow]
    branch_changed = Signal(object)  # Branch
    today_changed = Signal(object)  # StaffToday
    timer_changed = Signal(str, int)  # ("called" | "serving" | "", seconds)
    actions_changed = Signal(dict)  # action name -> available
    online_changed = Signal(bool)
    notice = Signal(str, str)  # ("error" | "info", text)
    password_required = Signal(str)  # username
    relogin_failed = Signal(str)
    relogged_in = Signal()
    nobody_waiting = Signal()
    refreshed = Signal()

    def __init__(
        self,
        store: StateStore,
        i18n: Translator,
        *,
        server_url: str | None = None,
        stream_max_delay: float = 15.0,
        refresh_delay_ms: int = 250,
        clock: ServerClock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # Timers count from the server's timestamps, so "now" is the server's too.
        self.clock = clock or ServerClock()
        self.store = store
        self.state: DeskState = store.load()
        if server_url:
            self.state.server_url = server_url
        self.i18n = i18n
        i18n.set_language(self.state.language)
        self.stream_max_delay = stream_max_delay
        self.client: QueueClient | None = None
        self._reader: QueueClient | None = None
        self.user: User | None = None
        self.counters: list[Counter] = []
        self.services: list[Service] = []
        self.branch: Branch | None = None
        self.today: StaffToday | None = None
        self.ticket: ClerkTicket | None = None
        self.last_no_show: ClerkTicket | None = None
        self.online = False
        self._actions = ApiWorker("actions", self)
        self._refreshes = ApiWorker("refreshes", self)
        self._actions.busy_changed.connect(lambda _busy: self._publish_actions())
        self._listener: EventListener | None = None
        self._retired: set[EventListener] = set()
        self._pending: tuple[Callable[[QueueClient], Any], Callable[[Any], None]] | None = None
        self._asking_password = False
        self._action_seq = 0
        self._refresh_again = False
        self._debounce = QTimer(self, singleShot=True, interval=refresh_delay_ms)
        self._debounce.timeout.connect(self.refresh)
        self._periodic = QTimer(self, interval=30_000)
        self._periodic.timeout.connect(self.refresh)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._tick)

    # -- reading state -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._actions.busy

    @property
    def counter(self) -> Counter | None:
        return next((c for c in self.counters if c.id == self.state.counter_id), None)

    def holds_counter(self) -> bool:
        return holds(self.user, self.counter)

    def available(self) -> dict[str, bool]:
        """What the clerk can do now; the view enables exactly these (so keys never surprise)."""
        return available_actions(
            user=self.user,
            ready=self.user is not None and not self.busy and not self._asking_password,
            counter=self.counter,
            ticket=self.ticket,
            branch=self.branch,
            has_no_show=self.last_no_show is not None,
        )

    # -- login ---------------------------------------------------------------------------------

    def login(self, server_url: str, username: str, password: str) -> None:
        server_url = server_url.strip().rstrip("/")
        username = username.strip()
        if not (server_url and username and password):
            self.login_failed.emit(self.i18n.t("login.missing"))
            return
        self._stop_listener()
        for old in (self.client, self._reader):
            if old is not None:
                old.close()
        self.client = QueueClient(server_url, clock=self.clock)
        self._reader = QueueClient(server_url, clock=self.clock)
        client = self.client
        self._actions.submit(
            lambda: client.login(username, password),
            lambda result: self._logged_in(server_url, result.user, result.token),
            self._login_failed,
        )

    def _logged_in(self, server_url: str, user: User, token: str) -> None:
        assert self._reader is not None
        self._reader.token = token
        self.user = user
        self.state.server_url, self.state.username = server_url, user.username
        self._save()
        self.logged_in.emit(user)
        self._start_listener(None)
        self._periodic.start()
        self._ticker.start()
        self.refresh()

    def _login_failed(self, error: BaseException) -> None:
        self.login_failed.emit(self._describe(error))

    def relogin(self, password: str) -> None:
        """The password again after an expired session; then the interrupted action is redone."""
        if self.client is None or self.user is None:
            return
        client, username = self.client, self.user.username
        self._actions.submit(
            lambda: client.login(username, password),
            lambda result: self._relogged(result.token),
            lambda error: self.relogin_failed.emit(self._describe(error)),
        )

    def _relogged(self, token: str) -> None:
        assert self._reader is not None
        self._reader.token = token
        self._asking_password = False
        self.relogged_in.emit()
        self.notice.emit("info", self.i18n.t("msg.relogged"))
        last = self._listener.last_event_id if self._listener is not None else None
        self._stop_listener()
        self._start_listener(last)
        pending, self._pending = self._pending, None
        self._publish_actions()
        if pending is not None:
            self._act(*pending)
        self.refresh()

    def cancel_relogin(self) -> None:
        self._asking_password = False
        self._pending = None
        self.notice.emit("error", self.i18n.t("relogin.cancelled"))
        self._publish_actions()

    # -- the window ----------------------------------------------------------------------------

    def choose_counter(self, counter_id: int) -> None:
        if self.holds_counter() or counter_id == self.state.counter_id:
            return
        self.state.counter_id = counter_id
        self._save()
        self.counter_changed.emit(self.counter)
        self._publish_overview()
        self._publish_actions()

    def toggle_counter(self) -> None:
        """F9: open the window, or take a break when it is open."""
        c = self.counter
        if c is not None and self.holds_counter() and c.state == "open":
            self.pause_counter()
        else:
            self.open_counter()

    def open_counter(self) -> None:
        self._counter_action(QueueClient.open_counter)

    def pause_counter(self) -> None:
        self._counter_action(QueueClient.pause_counter)

    def close_counter(self) -> None:
        self._counter_action(QueueClient.close_counter)

    def _counter_action(self, method: Callable[[QueueClient, int], Counter]) -> None:
        counter_id = self.state.counter_id
        if counter_id is None:
            self.notice.emit("error", self.i18n.t("msg.choose_window"))
            return
        self._act(lambda client: method(client, counter_id), self._counter_updated)

    def _counter_updated(self, counter: Counter) -> None:
        self.counters = [counter if c.id == counter.id else c for c in self.counters]
        self.counters_changed.emit(self.counters)
        self.counter_changed.emit(counter)
        self._publish_overview()

    # -- the visitor ---------------------------------------------------------------------------

    def call_next(self) -> None:
        counter_id = self.state.counter_id
        if counter_id is None:
            self.notice.emit("error", self.i18n.t("msg.choose_window"))
            return
        self._act(lambda client: client.call_next(counter_id), self._called)

    def _called(self, ticket: ClerkTicket | None) -> None:
        if ticket is None:
            self._set_ticket(None)
            self.notice.emit("info", self.i18n.t("msg.nobody"))
            self.nobody_waiting.emit()
            return
        self._set_ticket(ticket)
        self.notice.emit("info", self.i18n.t("msg.called", number=ticket.number))

    def recall(self) -> None:
        self._ticket_action(QueueClient.recall, self._set_ticket)

    def start(self) -> None:
        self._ticket_action(QueueClient.start, self._set_ticket)

    def finish(self) -> None:
        self._ticket_action(QueueClient.finish, self._finished)

    def no_show(self) -> None:
        self._ticket_action(QueueClient.no_show, self._marked_no_show)

    def transfer(self, service_id: int) -> None:
        self._ticket_action(lambda c, tid: c.transfer(tid, service_id), self._transferred)

    def return_no_show(self) -> None:
        ticket = self.last_no_show
        if ticket is not None:
            self._act(lambda client: client.return_no_show(ticket.id), self._returned)

    def _ticket_action(
        self, method: Callable[[QueueClient, int], ClerkTicket], done: Callable[[ClerkTicket], None]
    ) -> None:
        ticket = self.ticket
        if ticket is not None:
            self._act(lambda client: method(client, ticket.id), done)

    def _finished(self, ticket: ClerkTicket) -> None:
        self._set_ticket(None)
        self.notice.emit("info", self.i18n.t("msg.finished", number=ticket.number))

    def _marked_no_show(self, ticket: ClerkTicket) -> None:
        self._set_ticket(None)
        self._set_last_no_show(ticket)
        self.notice.emit("info", self.i18n.t("msg.no_show", number=ticket.number))

    def _transferred(self, ticket: ClerkTicket) -> None:
        self._set_ticket(None)
        service = ticket.service_name(self.i18n.language)
        self.notice.emit(
            "info", self.i18n.t("msg.transferred", number=ticket.number, service=service)
        )

    def _returned(self, ticket: ClerkTicket) -> None:
        self._set_last_no_show(None)
        self.notice.emit("info", self.i18n.t("msg.returned", number=ticket.number))

    # -- running actions -----------------------------------------------------------------------

    def _act(self, fn: Callable[[QueueClient], Any], done: Callable[[Any], None]) -> bool:
        """Run one action unless another is under way: a second key press is not queued."""
        client = self.client
        if client is None or self.user is None or self.busy or self._asking_password:
            return False
        self._actions.submit(
            lambda: fn(client),
            lambda result: self._action_done(done, result),
            lambda error: self._action_failed(fn, done, error),
        )
        return True

    def _action_done(self, done: Callable[[Any], None], result: Any) -> None:
        self._action_seq += 1
        done(result)
        self._publish_actions()
        self._debounce.start()

    def _action_failed(
        self, fn: Callable[[QueueClient], Any], done: Callable[[Any], None], error: BaseException
    ) -> None:
        self._action_seq += 1
        if isinstance(error, Unauthorized) and self.user is not None:
            self._pending = (fn, done)
            self._ask_password()
            return
        self.notice.emit("error", self._describe(error))
        self._publish_actions()
        self._debounce.start()  # the server may know better than we do: look again

    def _ask_password(self) -> None:
        if not self._asking_password and self.user is not None:
            self._asking_password = True
            self._publish_actions()
            self.password_required.emit(self.user.username)

    def _describe(self, error: BaseException) -> str:
        if isinstance(error, ApiError):
            return error.message(self.i18n.language)
        log.error("unexpected error", exc_info=error)
        return self.i18n.t("msg.unexpected", error=error)

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the whole desk from the server again (coalesced: one read at a time)."""
        reader, user = self._reader, self.user
        if reader is None or user is None:
            return
        if self._refreshes.busy:
            self._refresh_again = True
            return
        seq, no_show_id = self._action_seq, self.state.last_no_show_id
        self._refreshes.submit(
            lambda: read_snapshot(reader, user.id, no_show_id),
            lambda snap: self._apply(snap, seq),
            self._refresh_failed,
        )

    def _refresh_failed(self, error: BaseException) -> None:
        if isinstance(error, Unauthorized):
            self._ask_password()
        elif not isinstance(error, ApiError):
            log.error("refresh failed", exc_info=error)
        self._refresh_done()

    def _refresh_done(self) -> None:
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()
        else:
            self.refreshed.emit()

    def _apply(self, snap: Snapshot, seq: int) -> None:
        self.services, self.branch, self.today = snap.services, snap.branch, snap.today
        # An action answered while this read was under way: its answer is newer than what we
        # read about the window and the visitor, so keep it and read again.
        if seq == self._action_seq and not self.busy and self.user is not None:
            self.counters = snap.counters
            held = held_counter(self.user.id, snap.counters)
            if held is not None and held.id != self.state.counter_id:
                self.state.counter_id = held.id
                self._save()
            self._set_ticket(snap.current)
            self._set_last_no_show(snap.last_no_show)
        elif not self.busy:
            self._refresh_again = True  # else the running action reads again when it ends
        self.counters_changed.emit(self.counters)
        self.counter_changed.emit(self.counter)
        self.branch_changed.emit(snap.branch)
        self.today_changed.emit(snap.today)
        self._publish_overview()
        self._publish_actions()
        self._refresh_done()

    def _publish_overview(self) -> None:
        self.overview_changed.emit(overview_rows(self.services, self.counter, self.i18n.language))

    def _publish_actions(self) -> None:
        self.actions_changed.emit(self.available())

    def set_language(self, language: str) -> None:
        self.i18n.set_language(language)
        self.state.language = self.i18n.language
        self._save()
        self._publish_overview()

    def toggle_language(self) -> None:
        self.set_language("en" if self.i18n.language == "uk" else "uk")

    # -- current ticket and timers -------------------------------------------------------------

    def _set_ticket(self, ticket: ClerkTicket | None) -> None:
        if ticket is not None and not ticket.at_counter:
            ticket = None
        self.ticket = ticket
        self.ticket_changed.emit(ticket)
        self._tick()

    def _set_last_no_show(self, ticket: ClerkTicket | None) -> None:
        self.last_no_show = ticket
        self.state.last_no_show_id = ticket.id if ticket is not None else None
        self._save()
        self.last_no_show_changed.emit(ticket)

    def _tick(self) -> None:
        t = self.ticket
        now = self.clock.now()
        if t is not None and t.status == "serving" and t.started_at is not None:
            self.timer_changed.emit("serving", int((now - t.started_at).total_seconds()))
        elif t is not None and t.called_at is not None:
            self.timer_changed.emit("called", int((now - t.called_at).total_seconds()))
        else:
            self.timer_changed.emit("", 0)

    # -- the event stream ----------------------------------------------------------------------

    def _start_listener(self, last_event_id: int | None) -> None:
        if self.client is None or self.client.token is None:
            return
        listener = EventListener(
            self.client.base_url, self.client.token, last_event_id, max_delay=self.stream_max_delay
        )
        listener.received.connect(self._on_event)
        listener.connected_changed.connect(self._on_connected)
        listener.failed.connect(self._on_stream_refused)
        self._listener = listener
        listener.start()

    def _stop_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
            listener.received.disconnect(self._on_event)
            listener.connected_changed.disconnect(self._on_connected)
            listener.failed.disconnect(self._on_stream_refused)
            if listener.isFinished():
                listener.deleteLater()
            else:  # stuck in a connect: let it end by its timeout, then go
                self._retired.add(listener)
                listener.finished.connect(lambda: self._retired.discard(listener))
                listener.finished.connect(listener.deleteLater)
        self._on_connected(False)

    def _on_event(self, event: Event) -> None:
        log.debug("event %s %s", event.id, event.type)
        self._debounce.start()

    def _on_connected(self, connected: bool) -> None:
        if connected != self.online:
            self.online = connected
            self.online_changed.emit(connected)
            if connected:
                self._debounce.start()  # whatever happened while offline

    def _on_stream_refused(self, error: ApiError) -> None:
        self._on_connected(False)
        if isinstance(error, Unauthorized):
            self._ask_password()

    # -- persistence and shutdown --------------------------------------------------------------

    def _save(self) -> None:
        self.store.save(self.state)

    def shutdown(self) -> None:
        """Stop timers, the listener and the workers (the window stays as it is on the server)."""
        for timer in (self._debounce, self._periodic, self._ticker):
            timer.stop()
        self._stop_listener()
        self._actions.wait()
        self._refreshes.wait()
        for client in (self.client, self._reader):
            if client is not None:
                client.close()
