"""The client's calls for the clerk's desk against a live server: typed results, clear refusals."""

from __future__ import annotations

import pytest

from cherha.client import Conflict, InvalidRequest, QueueClient
from cherha.core.model import BreakReason
from tests.helpers.app import Centre, ThreadedServer
from tests.helpers.server import CLERK_PASSWORD


@pytest.fixture
def clerk2(live: tuple[ThreadedServer, Centre]) -> QueueClient:
    client = QueueClient(live[0].url)
    client.login("clerk2", CLERK_PASSWORD)
    return client


def test_waiting_list_hand_over_and_the_note(
    clerk: QueueClient, clerk2: QueueClient, kiosk: QueueClient
) -> None:
    clerk.open_counter(1)
    clerk2.open_counter(2)
    first = kiosk.issue_ticket(1)
    priority = kiosk.issue_ticket(10, priority=True)  # consultation: window 1 only
    waiting = clerk.waiting_list(1)
    assert (waiting.counter_id, waiting.counter_number) == (1, 1)
    assert [t.number for t in waiting.tickets] == [priority.number, first.number]
    assert waiting.tickets[0].lane == "priority"
    assert waiting.generated_at.tzinfo is not None
    assert waiting.bookings_due == ()
    called = clerk2.call_next(2)
    assert called is not None
    assert called.id == first.id
    at_work = {c.name: c for c in clerk2.clerks_at_work()}
    moved = clerk2.transfer(called.id, clerk_id=at_work["clerk1"].id, note="<i>підпис</i>")
    assert (moved.status, moved.target_clerk_id) == ("waiting", at_work["clerk1"].id)
    mine = clerk.waiting_list(1).tickets[0]
    assert (mine.id, mine.handed_over, mine.note, mine.note_by) == (
        first.id,
        True,
        "<i>підпис</i>",
        "clerk2",
    )
    got = clerk.call_next(1)
    assert got is not None
    assert (got.id, got.note) == (first.id, "<i>підпис</i>")
    with pytest.raises(Conflict) as refused:
        clerk.transfer(got.id, counter_id=3)
    assert refused.value.code == "window_closed"


def test_finish_with_an_outcome_cancel_no_shows_break_and_my_day(
    clerk: QueueClient, kiosk: QueueClient
) -> None:
    assert [o.code for o in clerk.outcomes()][:2] == ["served", "another_visit"]
    assert clerk.outcomes()[1].name("en") == "Needs another visit"
    clerk.open_counter(1)
    kiosk.issue_ticket(1)
    kiosk.issue_ticket(1)
    gone = kiosk.issue_ticket(1)
    called = clerk.call_next(1)
    assert called is not None
    with pytest.raises(InvalidRequest) as refused:
        clerk.finish(called.id, "lost")
    assert refused.value.code == "unknown_outcome"
    done = clerk.finish(called.id, "documents_missing", "без довідки")
    assert (done.outcome, done.note) == ("documents_missing", "без довідки")
    missed = clerk.call_next(1)
    assert missed is not None
    clerk.no_show(missed.id)
    [no_show] = clerk.no_shows(1)
    assert (no_show.number, no_show.returnable) == (missed.number, True)
    assert no_show.service_name("en").startswith("Registration")
    cancelled = clerk.cancel(gone.id, "пішов")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "пішов")
    on_break = clerk.pause_counter(1, BreakReason.LUNCH)
    assert (on_break.state, on_break.pause_reason) == ("paused", "lunch")
    assert on_break.paused_at is not None
    day = clerk.staff_today()
    assert (day.served, day.no_shows, day.cancelled, day.transferred) == (1, 1, 1, 0)
    assert clerk.device_faults() == []
    kiosk.request("POST", "/devices/me/status", json={"printer": "paper_out"})
    [fault] = clerk.device_faults()
    assert (fault.name, fault.printer) == ("kiosk-1", "paper_out")
