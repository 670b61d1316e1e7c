from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from cherha.core import tickets as rules
from cherha.core.errors import Invalid, InvalidTransition, RecallLimitReached, ReturnWindowPassed
from cherha.core.model import Lane, TicketState, TicketStatus

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
RULES = rules.TicketRules(recall_limit=2, no_show_return_window=timedelta(minutes=30))


def waiting() -> TicketState:
    return TicketState(id=1, service_id=1, lane=Lane.ORDINARY, order_key=T0)


def called() -> TicketState:
    return rules.call(waiting(), counter_id=3, now=T0 + timedelta(minutes=5))


def test_call_puts_the_ticket_at_the_window() -> None:
    t = called()
    assert (t.status, t.counter_id, t.called_at) == (
        TicketStatus.CALLED,
        3,
        T0 + timedelta(minutes=5),
    )


def test_a_called_ticket_cannot_be_called_again() -> None:
    with pytest.raises(InvalidTransition) as info:
        rules.call(called(), counter_id=4, now=T0)
    assert "викликаний" in info.value.message_uk
    assert "called" in info.value.message_en


def test_recall_up_to_the_limit_then_only_no_show() -> None:
    t = rules.recall(rules.recall(called(), RULES), RULES)
    assert t.recall_count == 2
    with pytest.raises(RecallLimitReached):
        rules.recall(t, RULES)
    assert rules.no_show(t, T0).status is TicketStatus.NO_SHOW


def test_start_then_finish() -> None:
    t = rules.start(called(), T0 + timedelta(minutes=6))
    done = rules.finish(t, T0 + timedelta(minutes=16))
    assert done.status is TicketStatus.DONE
    assert done.finished_at is not None
    assert done.started_at is not None
    assert done.finished_at - done.started_at == timedelta(minutes=10)


def test_finish_straight_from_called_counts_from_the_finish() -> None:
    done = rules.finish(called(), T0 + timedelta(minutes=9))
    assert done.started_at == done.finished_at


ACTIONS_NEEDING_A_CALL: dict[str, Callable[[TicketState], TicketState]] = {
    "start": lambda t: rules.start(t, T0),
    "no_show": lambda t: rules.no_show(t, T0),
    "recall": lambda t: rules.recall(t, RULES),
}


@pytest.mark.parametrize("action", sorted(ACTIONS_NEEDING_A_CALL))
def test_actions_on_a_waiting_ticket_are_refused(action: str) -> None:
    apply = ACTIONS_NEEDING_A_CALL[action]
    with pytest.raises(InvalidTransition):
        apply(waiting())


def test_no_show_returns_to_the_end_of_the_line_within_the_window() -> None:
    gone = rules.no_show(called(), T0 + timedelta(minutes=10))
    back = rules.return_no_show(gone, T0 + timedelta(minutes=39), RULES)
    assert back.status is TicketStatus.WAITING
    assert back.order_key == T0 + timedelta(minutes=39)
    assert back.counter_id is None


def test_no_show_can_keep_its_place_when_the_centre_says_so() -> None:
    keep = rules.TicketRules(returned_keeps_place=True)
    gone = rules.no_show(called(), T0 + timedelta(minutes=10))
    assert rules.return_no_show(gone, T0 + timedelta(minutes=11), keep).order_key == T0


def test_no_show_cannot_return_after_the_window() -> None:
    gone = rules.no_show(called(), T0 + timedelta(minutes=10))
    with pytest.raises(ReturnWindowPassed) as info:
        rules.return_no_show(gone, T0 + timedelta(minutes=41), RULES)
    assert "30" in info.value.message_uk


def test_transfer_keeps_the_place_in_line() -> None:
    moved = rules.transfer(rules.start(called(), T0), service_id=2)
    assert (moved.status, moved.service_id, moved.order_key, moved.counter_id) == (
        TicketStatus.WAITING,
        2,
        T0,
        None,
    )


def test_transfer_to_the_same_service_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        rules.transfer(called(), service_id=1)


def test_cancel_while_waiting_or_called_and_expire_closes_leftovers() -> None:
    assert rules.cancel(waiting()).status is TicketStatus.CANCELLED
    # Called, the visitor may say at the window that they are leaving; once served, not.
    assert rules.cancel(called()).status is TicketStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        rules.cancel(rules.start(called(), T0))
    assert rules.expire(called()).status is TicketStatus.EXPIRED
    done = rules.finish(called(), T0)
    with pytest.raises(InvalidTransition):
        rules.expire(done)


def test_hand_over_to_a_window_or_a_clerk_keeps_the_place() -> None:
    t = rules.start(called(), T0 + timedelta(minutes=6))
    to_window = rules.transfer(t, t.service_id, counter_id=5)
    assert (to_window.status, to_window.target_counter_id, to_window.order_key) == (
        TicketStatus.WAITING,
        5,
        T0,
    )
    assert to_window.reserved
    assert to_window.reserved_for(5, None)
    assert not to_window.reserved_for(3, 5)  # a clerk id is not a window id
    to_clerk = rules.transfer(t, 2, clerk_id=9)
    assert (to_clerk.service_id, to_clerk.target_clerk_id) == (2, 9)
    assert to_clerk.reserved_for(1, 9)
    again = rules.call(to_window, counter_id=5, now=T0 + timedelta(minutes=9))
    assert not again.reserved  # the handover is spent once that window calls


def test_hand_over_refusals() -> None:
    t = called()
    with pytest.raises(InvalidTransition):
        rules.transfer(t, t.service_id, counter_id=t.counter_id)  # its own window
    with pytest.raises(InvalidTransition):
        rules.transfer(t, t.service_id)  # nowhere new
    with pytest.raises(Invalid):
        rules.transfer(t, t.service_id, counter_id=5, clerk_id=9)
    with pytest.raises(InvalidTransition):
        rules.transfer(waiting(), 2, counter_id=5)  # only from a window


def test_release_puts_a_handed_over_ticket_back_in_its_line() -> None:
    held = rules.transfer(called(), 1, clerk_id=9)
    free = rules.release(held)
    assert (free.reserved, free.order_key, free.status) == (False, T0, TicketStatus.WAITING)
    with pytest.raises(InvalidTransition):
        rules.release(free)


def test_return_deadline() -> None:
    assert rules.return_deadline(called(), RULES) is None
    missed = rules.no_show(called(), T0 + timedelta(minutes=7))
    assert rules.return_deadline(missed, RULES) == T0 + timedelta(minutes=37)
