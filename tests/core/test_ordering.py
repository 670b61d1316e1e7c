from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cherha.core.model import Lane, TicketState, TicketStatus
from cherha.core.ordering import CallPolicy, calling_order, choose_next, people_ahead

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def ticket(
    id_: int,
    service: int = 1,
    minutes: float = 0,
    lane: Lane = Lane.ORDINARY,
    *,
    to_window: int | None = None,
    to_clerk: int | None = None,
) -> TicketState:
    return TicketState(
        id=id_,
        service_id=service,
        lane=lane,
        order_key=T0 + timedelta(minutes=minutes),
        target_counter_id=to_window,
        target_clerk_id=to_clerk,
    )


def test_nobody_waiting_gives_none() -> None:
    assert choose_next([], {1}, 0, CallPolicy()) is None
    assert choose_next([ticket(1, service=2)], {1}, 0, CallPolicy()) is None


def test_earliest_across_the_services_a_window_serves() -> None:
    waiting = [
        ticket(1, service=1, minutes=5),
        ticket(2, service=2, minutes=1),
        ticket(3, service=3, minutes=0),
    ]
    choice = choose_next(waiting, {1, 2}, 0, CallPolicy())
    assert choice is not None
    assert choice.ticket.id == 2


def test_same_key_breaks_ties_by_issue_order() -> None:
    waiting = [ticket(7, minutes=1), ticket(3, minutes=1)]
    choice = choose_next(waiting, {1}, 0, CallPolicy())
    assert choice is not None
    assert choice.ticket.id == 3


def test_priority_lane_first_then_cap_lets_an_ordinary_visitor_through() -> None:
    waiting = [ticket(1, minutes=0)] + [
        ticket(10 + i, minutes=1 + i, lane=Lane.PRIORITY) for i in range(5)
    ]
    policy = CallPolicy(priority_cap=2)
    streak = 0
    called = []
    for _ in range(4):
        choice = choose_next(waiting, {1}, streak, policy)
        assert choice is not None
        called.append(choice.ticket.id)
        streak = choice.priority_streak
        waiting = [t for t in waiting if t.id != choice.ticket.id]
    assert called == [10, 11, 1, 12]


def test_cap_does_not_matter_when_no_ordinary_visitor_waits() -> None:
    waiting = [ticket(1, lane=Lane.PRIORITY), ticket(2, minutes=1, lane=Lane.PRIORITY)]
    choice = choose_next(waiting, {1}, 99, CallPolicy(priority_cap=1))
    assert choice is not None
    assert choice.ticket.id == 1


def test_cap_zero_means_plain_first_come_order() -> None:
    waiting = [ticket(1, minutes=0), ticket(2, minutes=1, lane=Lane.PRIORITY)]
    choice = choose_next(waiting, {1}, 0, CallPolicy(priority_cap=0))
    assert choice is not None
    assert choice.ticket.id == 1


def test_only_waiting_tickets_are_candidates() -> None:
    called = TicketState(
        id=1, service_id=1, lane=Lane.ORDINARY, order_key=T0, status=TicketStatus.CALLED
    )
    choice = choose_next([called, ticket(2, minutes=3)], {1}, 0, CallPolicy())
    assert choice is not None
    assert choice.ticket.id == 2


def test_people_ahead_counts_the_same_service_only() -> None:
    me = ticket(5, service=1, minutes=10)
    others = [
        ticket(1, service=1, minutes=1),
        ticket(2, service=2, minutes=2),
        ticket(6, service=1, minutes=11),
    ]
    assert people_ahead(me, [me, *others]) == 1


def test_priority_visitors_are_ahead_of_ordinary_ones_but_not_the_reverse() -> None:
    me = ticket(5, minutes=10)
    priority_later = ticket(9, minutes=20, lane=Lane.PRIORITY)
    assert people_ahead(me, [priority_later]) == 1
    assert people_ahead(priority_later, [me]) == 0


def test_a_visitor_handed_over_to_the_window_comes_first_whatever_the_service() -> None:
    waiting = [
        ticket(1, minutes=0, lane=Lane.PRIORITY),
        ticket(2, service=7, minutes=30, to_window=4),
    ]
    choice = choose_next(waiting, {1}, 0, CallPolicy(), counter_id=4, clerk_id=40)
    assert choice is not None
    assert (choice.ticket.id, choice.priority_streak) == (2, 0)  # the lane balance untouched


def test_a_visitor_handed_over_to_the_clerk_is_called_at_their_window() -> None:
    waiting = [ticket(1, minutes=0), ticket(2, minutes=5, to_clerk=40)]
    mine = choose_next(waiting, {1}, 0, CallPolicy(), counter_id=4, clerk_id=40)
    assert mine is not None
    assert mine.ticket.id == 2
    theirs = choose_next(waiting, {1}, 0, CallPolicy(), counter_id=5, clerk_id=50)
    assert theirs is not None
    assert theirs.ticket.id == 1


def test_a_ticket_handed_over_elsewhere_is_never_taken() -> None:
    waiting = [ticket(1, minutes=0, to_window=9), ticket(2, minutes=0, to_clerk=90)]
    assert choose_next(waiting, {1}, 0, CallPolicy(), counter_id=4, clerk_id=40) is None
    assert choose_next(waiting, {1}, 0, CallPolicy()) is None  # a window that says nothing


def test_calling_order_is_choose_next_again_and_again() -> None:
    waiting = [
        ticket(1, minutes=0),
        ticket(2, service=2, minutes=1),
        *(ticket(10 + i, minutes=2 + i, lane=Lane.PRIORITY) for i in range(4)),
        ticket(20, service=3, minutes=9, to_window=4),
        ticket(21, service=1, minutes=3, to_window=5),
        ticket(22, minutes=4, to_clerk=40),
    ]
    policy = CallPolicy(priority_cap=2)
    plan = calling_order(waiting, {1, 2}, 1, policy, counter_id=4, clerk_id=40)
    called, streak, left = [], 1, list(waiting)
    while choice := choose_next(left, {1, 2}, streak, policy, counter_id=4, clerk_id=40):
        called.append(choice.ticket.id)
        streak = choice.priority_streak
        left = [t for t in left if t.id != choice.ticket.id]
    assert [t.id for t in plan] == called == [22, 20, 10, 1, 11, 12, 2, 13]
