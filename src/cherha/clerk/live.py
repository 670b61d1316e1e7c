"""LiveDesk: what the desk shows, kept in step with the server (one job of the desk's three).

Rereads run on their own worker, coalesced (one at a time, another after it if asked), after
every event of the stream (debounced), after every action, on reconnecting and every 30 s.
An action answered while a reread was under way wins: its answer is newer.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from cherha.client import ApiError, Unauthorized
from cherha.qt.jobs import JobRunner
from cherha.wire import (
    Branch,
    ClerkAtWork,
    ClerkTicket,
    Counter,
    DeviceFault,
    NoShow,
    Outcome,
    Service,
    StaffToday,
    WaitingList,
)

from .desk import Pause, Snapshot, held_counter, holds, read_snapshot, timer_reading, waiting_rows
from .session import DeskSession

log = logging.getLogger(__name__)

PAUSES_KEPT = timedelta(hours=12)


class LiveDesk(QObject):
    counters_changed = Signal(list)  # list[Counter]
    counter_changed = Signal(object)  # Counter | None: the chosen window
    ticket_changed = Signal(object)  # ClerkTicket | None
    waiting_changed = Signal(list)  # list[desk.WaitingRow], in calling order
    due_changed = Signal(list)  # list[DueBooking]
    no_shows_changed = Signal(list)  # list[NoShow]
    branch_changed = Signal(object)  # Branch
    today_changed = Signal(object)  # StaffToday
    faults_changed = Signal(list)  # list[DeviceFault]
    timer_changed = Signal(str, int, bool)  # ("called" | "serving" | "", seconds, frozen)
    break_changed = Signal(str, int)  # (reason code, seconds on it) or ("", 0)
    refreshed = Signal()

    def __init__(
        self, session: DeskSession, *, refresh_delay_ms: int = 250, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.counters: list[Counter] = []
        self.services: list[Service] = []
        self.branch: Branch | None = None
        self.today: StaffToday | None = None
        self.ticket: ClerkTicket | None = None
        self.waiting: WaitingList | None = None
        self.no_shows: list[NoShow] = []
        self.faults: list[DeviceFault] = []
        self.at_work: list[ClerkAtWork] = []
        self.outcomes: list[Outcome] = []
        self.pauses: list[Pause] = []
        """Branch pauses seen (air-raid alerts): the visit's timer does not count them."""
        self.action_seq = 0
        self._runner = JobRunner("refreshes", self)
        self._again = False
        self._debounce = QTimer(self, singleShot=True, interval=refresh_delay_ms)
        self._debounce.timeout.connect(self.refresh)
        self._periodic = QTimer(self, interval=30_000)
        self._periodic.timeout.connect(self.refresh)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self.tick)
        session.logged_in.connect(lambda _user: self.start())
        session.logged_out.connect(self.clear)
        session.event_received.connect(lambda _event: self.soon())
        session.online_changed.connect(lambda online: self.soon() if online else None)

    # -- reading state -------------------------------------------------------------------------

    @property
    def counter(self) -> Counter | None:
        """The chosen window (the one held, once the server says so)."""
        chosen = self.session.state.counter_id
        return next((c for c in self.counters if c.id == chosen), None)

    def holds_counter(self) -> bool:
        return holds(self.session.user, self.counter)

    @property
    def returnable(self) -> list[NoShow]:
        return [n for n in self.no_shows if n.returnable]

    # -- running -------------------------------------------------------------------------------

    def start(self) -> None:
        self._periodic.start()
        self._ticker.start()
        self.refresh()

    def stop(self) -> None:
        for timer in (self._debounce, self._periodic, self._ticker):
            timer.stop()

    def soon(self) -> None:
        """Something happened: read again shortly (many events in a row make one read)."""
        if self.session.user is not None:
            self._debounce.start()

    def refresh(self) -> None:
        """Read the whole desk from the server again (one read at a time)."""
        reader, user = self.session.reader, self.session.user
        if reader is None or user is None:
            return
        if self._runner.busy:
            self._again = True
            return
        seq, chosen, first = self.action_seq, self.session.state.counter_id, not self.outcomes
        self._runner.submit(
            lambda: read_snapshot(reader, user.id, chosen, first),
            lambda snap: self._apply(snap, seq),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Unauthorized):
            self.session.ask_password()
        elif not isinstance(error, ApiError):
            log.error("refresh failed", exc_info=error)
        self._done()

    def _done(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.refreshed.emit()

    def _apply(self, snap: Snapshot, seq: int) -> None:
        user = self.session.user
        if user is None:  # logged out meanwhile
            self._done()
            return
        self.services, self.faults, self.at_work = snap.services, snap.faults, snap.at_work
        self.today = snap.today
        if snap.outcomes is not None:
            self.outcomes = snap.outcomes
        self._note_branch(snap.branch)
        # An action answered while this read was under way: its answer is newer than what we
        # read about the window and the visitor, so keep it and read again.
        if seq == self.action_seq:
            self.counters = snap.counters
            held = held_counter(user.id, snap.counters)
            if held is not None and held.id != self.session.state.counter_id:
                self.session.state.counter_id = held.id
                self.session.save()
            self.set_ticket(snap.current)
            self.waiting = snap.waiting
            self.no_shows = snap.no_shows
        else:
            self._again = True
        self.counters_changed.emit(self.counters)
        self.counter_changed.emit(self.counter)
        self.branch_changed.emit(snap.branch)
        self.today_changed.emit(snap.today)
        self.faults_changed.emit(self.faults)
        self.no_shows_changed.emit(self.no_shows)
        self.publish_waiting()
        self.tick()
        self._done()

    def publish_waiting(self) -> None:
        timezone = self.branch.timezone if self.branch is not None else None
        rows = waiting_rows(self.waiting, self.services, self.session.i18n.language, timezone)
        self.waiting_changed.emit(rows)
        self.due_changed.emit(list(self.waiting.bookings_due) if self.waiting else [])

    def _note_branch(self, branch: Branch) -> None:
        """Keep the pauses the desk saw, so the visit's timer can leave them out."""
        self.branch = branch
        now = self.session.clock.now()
        open_pause = next((p for p in self.pauses if p[1] is None), None)
        if branch.paused and branch.paused_at is not None:
            if open_pause is None:
                self.pauses.append((branch.paused_at, None))
        elif open_pause is not None:
            self.pauses = [(s, now if e is None else e) for s, e in self.pauses]
        self.pauses = [(s, e) for s, e in self.pauses if e is None or now - e < PAUSES_KEPT]

    # -- changes the actions report ------------------------------------------------------------

    def set_ticket(self, ticket: ClerkTicket | None) -> None:
        if ticket is not None and not ticket.at_counter:
            ticket = None
        self.ticket = ticket
        self.ticket_changed.emit(ticket)
        self.tick()

    def set_counter(self, counter: Counter) -> None:
        self.counters = [counter if c.id == counter.id else c for c in self.counters]
        self.counters_changed.emit(self.counters)
        self.counter_changed.emit(self.counter)
        self.tick()

    def choose_counter(self, counter_id: int) -> None:
        if self.holds_counter() or counter_id == self.session.state.counter_id:
            return
        self.session.state.counter_id = counter_id
        self.session.save()
        self.waiting, self.no_shows = None, []
        self.counter_changed.emit(self.counter)
        self.publish_waiting()
        self.no_shows_changed.emit(self.no_shows)
        self.refresh()

    def clear(self) -> None:
        """Logged out: nothing of the last clerk's desk stays on screen."""
        self.stop()
        self.ticket, self.waiting, self.no_shows, self.today = None, None, [], None
        self.ticket_changed.emit(None)
        self.publish_waiting()
        self.no_shows_changed.emit([])
        self.tick()

    # -- timers --------------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.session.clock.now()
        reading = timer_reading(self.ticket, now, self.pauses)
        self.timer_changed.emit(reading.kind, reading.seconds, reading.frozen)
        c = self.counter
        if self.holds_counter() and c is not None and c.state == "paused" and c.paused_at:
            seconds = max(0, int((now - c.paused_at).total_seconds()))
            self.break_changed.emit(c.pause_reason or "other", seconds)
        else:
            self.break_changed.emit("", 0)

    def shutdown(self) -> None:
        self.stop()
        self._runner.wait()
