from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cherha.core.model import Lane, TicketState, TicketStatus
from cherha.core.ordering import CallPolicy, choose_next, people_ahead

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def ticket(
    id_: int, service: int = 1, minutes: float = 0, lane: Lane = Lane.ORDINARY
) -> TicketState:
    return TicketState(
        id=id_, service_id=service, lane=lane, order_key=T0 + timedelta(minutes=minutes)
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
