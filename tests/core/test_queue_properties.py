"""Property-based tests of the queue rules: a model hall driven by random actions (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cherha.core import tickets as rules
from cherha.core.errors import (
    DomainError,
    InvalidTransition,
    RecallLimitReached,
    ReturnWindowPassed,
)
from cherha.core.model import Lane, TicketState, TicketStatus
from cherha.core.numbering import format_number, local_day, next_sequence
from cherha.core.ordering import CallPolicy, Choice, calling_order, choose_next

SERVICES = {1: "A", 2: "B", 3: "C"}
WINDOWS = {1: {1, 2}, 2: {2, 3}, 3: {1}}  # window → services it serves
CLERKS = {1: 101, 2: 102, 3: 103}  # window → the clerk at it
T0 = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # evening before the spring DST change in Kyiv


class Hall(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.next_id = 1
        self.tickets: dict[int, TicketState] = {}
        self.numbers: dict[int, tuple[date, str]] = {}
        self.series: dict[tuple[str, Lane, date], int] = {}
        self.issued: dict[tuple[str, Lane, date], list[int]] = {}
        self.streak = dict.fromkeys(WINDOWS, 0)
        self.policy = CallPolicy(priority_cap=2)
        self.ticket_rules = rules.TicketRules(
            recall_limit=1, no_show_return_window=timedelta(minutes=30)
        )

    # -- actions ---------------------------------------------------------------------------

    @rule(minutes=st.integers(min_value=0, max_value=240))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(service=st.sampled_from(sorted(SERVICES)), priority=st.booleans())
    def issue(self, service: int, priority: bool) -> None:
        lane = Lane.PRIORITY if priority else Lane.ORDINARY
        key = (SERVICES[service], lane, local_day(self.now, "Europe/Kyiv"))
        sequence = next_sequence(self.series.get(key))
        self.series[key] = sequence
        self.issued.setdefault(key, []).append(sequence)
        ticket = TicketState(id=self.next_id, service_id=service, lane=lane, order_key=self.now)
        self.tickets[ticket.id] = ticket
        self.numbers[ticket.id] = (key[2], format_number(SERVICES[service], sequence, lane))
        self.next_id += 1
        self.now += timedelta(seconds=1)

    @rule(window=st.sampled_from(sorted(WINDOWS)))
    def call_next(self, window: int) -> None:
        if self._at(window):
            return  # a window serves one visitor at a time
        waiting = [t for t in self.tickets.values() if t.status is TicketStatus.WAITING]
        choice = self._choose(window, waiting)
        plan = calling_order(
            waiting,
            WINDOWS[window],
            self.streak[window],
            self.policy,
            counter_id=window,
            clerk_id=CLERKS[window],
        )
        handed_over = [t for t in waiting if t.reserved_for(window, CLERKS[window])]
        general = [t for t in waiting if not t.reserved and t.service_id in WINDOWS[window]]
        if choice is None:
            assert not handed_over
            assert not general
            assert plan == []
            return
        picked = choice.ticket
        assert plan[0] == picked, "the waiting list's first is who call-next gives"
        assert not (picked.reserved and not picked.reserved_for(window, CLERKS[window])), (
            "a ticket handed over to another window was taken"
        )
        if handed_over:
            assert picked in handed_over, "a visitor handed over to this window waits longer"
            assert all(picked.sort_key <= t.sort_key for t in handed_over)
            assert choice.priority_streak == self.streak[window]
        else:
            same_lane = [t for t in general if t.lane is picked.lane]
            assert all(picked.sort_key <= t.sort_key for t in same_lane), (
                "someone earlier was skipped"
            )
            if picked.lane is Lane.PRIORITY and self.streak[window] >= self.policy.priority_cap:
                assert not [t for t in general if t.lane is Lane.ORDINARY]
        self.tickets[picked.id] = rules.call(picked, window, self.now)
        self.streak[window] = choice.priority_streak

    @rule(
        window=st.sampled_from(sorted(WINDOWS)),
        action=st.sampled_from(["recall", "start", "finish", "no_show"]),
    )
    def act(self, window: int, action: str) -> None:
        current = self._at(window)
        if current is None:
            return
        steps: dict[str, Callable[[], TicketState]] = {
            "recall": lambda: rules.recall(current, self.ticket_rules),
            "start": lambda: rules.start(current, self.now),
            "finish": lambda: rules.finish(current, self.now),
            "no_show": lambda: rules.no_show(current, self.now),
        }
        refusal = self._refusal(action, current)
        if refusal is not None:
            # Refused as the rules say, for the reason they give.
            with pytest.raises(refusal) as refused:
                steps[action]()
            assert type(refused.value) is refusal
            assert refused.value.message_uk
            assert refused.value.message_en
            return
        new = steps[action]()  # what the rules allow is never refused
        expected = {
            "recall": (TicketStatus.CALLED, current.recall_count + 1),
            "start": (TicketStatus.SERVING, current.recall_count),
            "finish": (TicketStatus.DONE, current.recall_count),
            "no_show": (TicketStatus.NO_SHOW, current.recall_count),
        }[action]
        assert (new.status, new.recall_count) == expected
        assert (new.id, new.service_id, new.lane, new.order_key) == (
            current.id,
            current.service_id,
            current.lane,
            current.order_key,
        )
        if action == "start":
            assert new.started_at == self.now
        if action == "finish":
            assert new.finished_at == self.now
            assert new.started_at == (current.started_at or self.now)
        if action == "no_show":
            assert new.no_show_at == self.now
        self.tickets[current.id] = new

    def _refusal(self, action: str, ticket: TicketState) -> type[DomainError] | None:
        """What the queue rules say to an action on a ticket at a window (None: allowed).

        Stated here from the rules (docs: DESIGN.md, queue rules 2 and 5), not from the code.
        """
        if action == "finish":  # serving → done; a called visitor may be finished directly
            return None
        if ticket.status is not TicketStatus.CALLED:  # recall, start, no-show: only when called
            return InvalidTransition
        if action == "recall" and ticket.recall_count >= self.ticket_rules.recall_limit:
            return RecallLimitReached
        return None

    @rule(window=st.sampled_from(sorted(WINDOWS)), service=st.sampled_from(sorted(SERVICES)))
    def transfer(self, window: int, service: int) -> None:
        current = self._at(window)
        if current is None or current.service_id == service:
            return
        moved = rules.transfer(current, service)
        assert moved.order_key == current.order_key, "a transfer keeps the place in line"
        self.tickets[current.id] = moved

    @rule(
        window=st.sampled_from(sorted(WINDOWS)),
        to_window=st.sampled_from(sorted(WINDOWS)),
        to_clerk=st.booleans(),
        service=st.sampled_from(sorted(SERVICES)),
    )
    def hand_over(self, window: int, to_window: int, to_clerk: bool, service: int) -> None:
        """To one window, or to the clerk at it; the service may change too."""
        current = self._at(window)
        if current is None or to_window == window:
            return
        target = {"clerk_id": CLERKS[to_window]} if to_clerk else {"counter_id": to_window}
        moved = rules.transfer(current, service, **target)
        assert moved.order_key == current.order_key, "a hand-over keeps the place in line"
        self.tickets[current.id] = moved

    @rule(window=st.sampled_from(sorted(WINDOWS)))
    def window_closes(self, window: int) -> None:
        """Closing a window sends those handed over to it back to their service's line."""
        if self._at(window) is not None:
            return  # a window with a visitor at it is not closed
        for t in list(self.tickets.values()):
            if t.status is TicketStatus.WAITING and t.reserved_for(window, CLERKS[window]):
                released = rules.release(t)
                assert released.sort_key == t.sort_key
                self.tickets[t.id] = released
        self.streak[window] = 0

    @precondition(lambda self: any(t.status is TicketStatus.NO_SHOW for t in self.tickets.values()))
    @rule(data=st.data())
    def return_no_show(self, data: st.DataObject) -> None:
        no_shows = sorted(t.id for t in self.tickets.values() if t.status is TicketStatus.NO_SHOW)
        ticket = self.tickets[data.draw(st.sampled_from(no_shows))]
        assert ticket.no_show_at is not None
        in_time = self.now - ticket.no_show_at <= self.ticket_rules.no_show_return_window
        try:
            returned = rules.return_no_show(ticket, self.now, self.ticket_rules)
        except ReturnWindowPassed:
            assert not in_time, "a no-show returned within the window was refused"
            return
        assert in_time, "a no-show was returned after the window"
        assert returned.status is TicketStatus.WAITING
        assert (returned.counter_id, returned.recall_count) == (None, 0)
        assert returned.order_key == self.now, "a returned no-show goes to the end of the line"
        self.tickets[ticket.id] = returned

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def one_window_per_ticket_and_one_ticket_per_window(self) -> None:
        at_windows = [
            t
            for t in self.tickets.values()
            if t.status in (TicketStatus.CALLED, TicketStatus.SERVING)
        ]
        windows = [t.counter_id for t in at_windows]
        assert len(windows) == len(set(windows)), "two tickets at one window"
        assert all(w is not None for w in windows)

    @invariant()
    def each_windows_list_is_the_order_it_calls_in(self) -> None:
        """The desk's list (calling_order) is what call-next gives, call after call."""
        waiting = [t for t in self.tickets.values() if t.status is TicketStatus.WAITING]
        for window in WINDOWS:
            plan = calling_order(
                waiting,
                WINDOWS[window],
                self.streak[window],
                self.policy,
                counter_id=window,
                clerk_id=CLERKS[window],
            )
            left, streak, called = list(waiting), self.streak[window], []
            while (
                choice := choose_next(
                    left,
                    WINDOWS[window],
                    streak,
                    self.policy,
                    counter_id=window,
                    clerk_id=CLERKS[window],
                )
            ) is not None:
                called.append(choice.ticket.id)
                streak = choice.priority_streak
                left = [t for t in left if t.id != choice.ticket.id]
            assert [t.id for t in plan] == called
            assert len(set(called)) == len(called)

    @invariant()
    def a_handed_over_ticket_is_on_exactly_one_windows_list(self) -> None:
        waiting = [t for t in self.tickets.values() if t.status is TicketStatus.WAITING]
        for t in waiting:
            if t.reserved:
                holders = [w for w in WINDOWS if t.reserved_for(w, CLERKS[w])]
                assert len(holders) == 1, holders

    @invariant()
    def numbers_are_unique_and_gap_free(self) -> None:
        for sequences in self.issued.values():
            assert sequences == list(range(1, len(sequences) + 1))
        assert len(set(self.numbers.values())) == len(self.numbers), "a number repeated in a day"

    def teardown(self) -> None:
        """Every waiting ticket is eventually callable: drain the hall with every window."""
        for window in WINDOWS:
            current = self._at(window)
            if current is not None:
                self.tickets[current.id] = rules.finish(current, self.now)
        for _ in range(len(self.tickets) * 2 + 1):
            progressed = False
            for window in WINDOWS:
                waiting = [t for t in self.tickets.values() if t.status is TicketStatus.WAITING]
                choice = self._choose(window, waiting)
                if choice is None:
                    continue
                self.streak[window] = choice.priority_streak
                self.tickets[choice.ticket.id] = replace(
                    rules.finish(rules.call(choice.ticket, window, self.now), self.now)
                )
                progressed = True
            if not progressed:
                break
        assert not [t for t in self.tickets.values() if t.status is TicketStatus.WAITING]

    def _choose(self, window: int, waiting: list[TicketState]) -> Choice | None:
        return choose_next(
            waiting,
            WINDOWS[window],
            self.streak[window],
            self.policy,
            counter_id=window,
            clerk_id=CLERKS[window],
        )

    def _at(self, window: int) -> TicketState | None:
        for t in self.tickets.values():
            if t.counter_id == window and t.status in (TicketStatus.CALLED, TicketStatus.SERVING):
                return t
        return None


Hall.TestCase.settings = settings(max_examples=150, stateful_step_count=60, deadline=None)
TestHall = Hall.TestCase
