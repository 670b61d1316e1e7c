"""DeskActions: everything a clerk does, each one call to the server (one job of the desk's three).

Actions run one at a time on their own worker, in the order pressed; a press while one is under
way is ignored, not queued. A refused login asks for the password and does the action after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from cherha.client import QueueClient, ServerUnavailable, Unauthorized
from cherha.core.model import BreakReason
from cherha.qt.jobs import JobRunner
from cherha.wire import ClerkTicket, Counter

from .live import LiveDesk
from .session import DeskSession

Call = Callable[[QueueClient], Any]
Done = Callable[[Any], None]


class DeskActions(QObject):
    notice = Signal(str, str)  # ("info" | "error" | "offline", text)
    busy_changed = Signal(bool)
    nobody_waiting = Signal()

    def __init__(self, session: DeskSession, live: LiveDesk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.live = live
        self.i18n = session.i18n
        self._runner = JobRunner("actions", self)
        self._runner.busy_changed.connect(self.busy_changed)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    # -- the window ----------------------------------------------------------------------------

    def open_counter(self) -> None:
        self._counter_action(lambda c, cid: c.open_counter(cid), "msg.window_open")

    def pause_counter(self, reason: BreakReason) -> None:
        self._counter_action(lambda c, cid: c.pause_counter(cid, reason), "")

    def close_counter(self) -> None:
        self._counter_action(lambda c, cid: c.close_counter(cid), "msg.window_closed")

    def _counter_action(self, method: Callable[[QueueClient, int], Counter], said: str) -> None:
        counter_id = self.session.state.counter_id
        if counter_id is None:
            self.notice.emit("error", self.i18n.t("msg.choose_window"))
            return

        def done(counter: Counter) -> None:
            self.live.set_counter(counter)
            if counter.state == "paused":
                reason = self.i18n.t(f"break.{counter.pause_reason or 'other'}")
                self._info("msg.on_break", reason=reason)
            elif said:
                self._info(said, number=counter.number)

        self._act(lambda client: method(client, counter_id), done)

    def logout(self, then_window: str | None) -> None:
        """Log out; first close the window ("close") or put it on a break ("break")."""
        counter_id = self.session.state.counter_id
        if then_window is None or counter_id is None:
            self.session.logout()
            return

        def leave(client: QueueClient) -> Counter:
            if then_window == "close":
                return client.close_counter(counter_id)
            return client.pause_counter(counter_id, BreakReason.OTHER)

        def done(counter: Counter) -> None:
            self.live.set_counter(counter)
            self.session.logout()

        self._act(leave, done)

    # -- the visitor ---------------------------------------------------------------------------

    def call_next(self) -> None:
        counter_id = self.session.state.counter_id
        if counter_id is None:
            self.notice.emit("error", self.i18n.t("msg.choose_window"))
            return
        self._act(lambda client: client.call_next(counter_id), self._called)

    def call_selected(self, ticket_id: int, reason: str) -> None:
        """Out of order, with a reason the server records (needs the permission)."""
        counter_id = self.session.state.counter_id
        if counter_id is not None:
            self._act(lambda c: c.call_ticket(counter_id, ticket_id, reason), self._called)

    def _called(self, ticket: ClerkTicket | None) -> None:
        self.live.set_ticket(ticket)
        if ticket is None:
            self._info("msg.nobody")
            self.nobody_waiting.emit()
        else:
            self._info("msg.called", number=ticket.number)

    def recall(self) -> None:
        def done(t: ClerkTicket) -> None:
            self.live.set_ticket(t)
            self._info("msg.recalled", number=t.number, count=t.recall_count, limit=t.recall_limit)

        self._on_ticket(lambda c, tid: c.recall(tid), done)

    def start(self) -> None:
        def done(t: ClerkTicket) -> None:
            self.live.set_ticket(t)
            self._info("msg.started", number=t.number)

        self._on_ticket(lambda c, tid: c.start(tid), done)

    def finish(self, outcome: str | None = None, note: str = "") -> None:
        def done(t: ClerkTicket) -> None:
            self.live.set_ticket(None)
            self._info("msg.finished", number=t.number)

        self._on_ticket(lambda c, tid: c.finish(tid, outcome, note), done)

    def no_show(self) -> None:
        def done(t: ClerkTicket) -> None:
            self.live.set_ticket(None)
            self._info("msg.no_show", number=t.number)

        self._on_ticket(lambda c, tid: c.no_show(tid), done)

    def transfer(
        self,
        *,
        service_id: int | None = None,
        counter_id: int | None = None,
        clerk_id: int | None = None,
        note: str = "",
    ) -> None:
        """To another service's line, or handed over to a window or a clerk (called next)."""

        def done(t: ClerkTicket) -> None:
            self.live.set_ticket(None)
            window = next(
                (c.number for c in self.live.counters if c.id == t.target_counter_id), None
            )
            if window is None and t.target_clerk_id is not None:
                window = next(
                    (a.counter_number for a in self.live.at_work if a.id == t.target_clerk_id),
                    None,
                )
            if window is not None:
                self._info("msg.handed_over", number=t.number, window=window)
            else:
                service = t.service_name(self.i18n.language)
                self._info("msg.transferred", number=t.number, service=service)

        self._on_ticket(
            lambda c, tid: c.transfer(
                tid, service_id, counter_id=counter_id, clerk_id=clerk_id, note=note
            ),
            done,
        )

    def cancel(self, ticket_id: int, reason: str) -> None:
        def done(t: ClerkTicket) -> None:
            if self.live.ticket is not None and self.live.ticket.id == t.id:
                self.live.set_ticket(None)
            self._info("msg.cancelled", number=t.number)

        self._act(lambda client: client.cancel(ticket_id, reason), done)

    def return_no_show(self, ticket_id: int) -> None:
        self._act(
            lambda client: client.return_no_show(ticket_id),
            lambda t: self._info("msg.returned", number=t.number),
        )

    def _on_ticket(self, method: Callable[[QueueClient, int], ClerkTicket], done: Done) -> None:
        ticket = self.live.ticket
        if ticket is not None:
            self._act(lambda client: method(client, ticket.id), done)

    # -- running -------------------------------------------------------------------------------

    def _act(self, fn: Call, done: Done) -> bool:
        """Run one action unless another is under way: a second key press is not queued."""
        client = self.session.client
        if client is None or self.session.user is None or self.busy or self.session.asking_password:
            return False
        self._runner.submit(
            lambda: fn(client),
            lambda result: self._done(done, result),
            lambda error: self._failed(fn, done, error),
        )
        return True

    def _done(self, done: Done, result: Any) -> None:
        self.live.action_seq += 1
        done(result)
        self.live.soon()

    def _failed(self, fn: Call, done: Done, error: BaseException) -> None:
        self.live.action_seq += 1
        if isinstance(error, Unauthorized) and self.session.user is not None:
            self.session.ask_password(retry=lambda: self._act(fn, done))
            return
        kind = "offline" if isinstance(error, ServerUnavailable) else "error"
        self.notice.emit(kind, self.session.describe(error))
        self.live.soon()  # the server may know better than we do: look again

    def _info(self, key: str, **values: object) -> None:
        self.notice.emit("info", self.i18n.t(key, **values))

    def shutdown(self) -> None:
        self._runner.wait()
