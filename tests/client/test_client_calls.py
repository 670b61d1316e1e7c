"""Every QueueClient method against a real server, with typed results."""

from __future__ import annotations

from datetime import datetime

import pytest

from cherha.client import Forbidden, QueueClient
from cherha.wire import (
    Board,
    Branch,
    ClerkTicket,
    Counter,
    IssuedTicket,
    PublicTicket,
    Service,
    StaffToday,
)
from tests.helpers.app import Centre, ThreadedServer


def test_login_keeps_the_token_and_me_answers(live: tuple[ThreadedServer, Centre]) -> None:
    with QueueClient(live[0].url) as client:
        result = client.login("clerk1", "clerk-pass-1")
        assert client.token == result.token
        assert result.user.username == "clerk1"
        assert result.user.role == "clerk"
        assert isinstance(result.expires_at, datetime)
        assert result.expires_at.tzinfo is not None
        assert client.me().username == "clerk1"
        client.logout()
        assert client.token is None


def test_catalogue_board_branch_health(kiosk: QueueClient) -> None:
    services = kiosk.services()
    assert [s.id for s in services] == list(range(1, 11))
    assert all(isinstance(s, Service) for s in services)
    assert services[0].prefix == "А"  # Cyrillic, as in the sample centre
    assert services[0].name("en").startswith("Registration")
    counters = kiosk.counters()
    assert [c.number for c in counters] == list(range(1, 9))
    assert counters[0].service_ids == (1, 9, 10)
    assert all(isinstance(c, Counter) and c.state == "closed" for c in counters)
    branch = kiosk.branch()
    assert isinstance(branch, Branch)
    assert not branch.paused
    assert branch.timezone == "Europe/Kyiv"
    board = kiosk.board(last=3)
    assert isinstance(board, Board)
    assert board.branch.id == branch.id
    assert len(board.services) == 10
    assert kiosk.health().status == "ok"


def test_issue_and_public_status(kiosk: QueueClient) -> None:
    issued = kiosk.issue_ticket(1)
    assert isinstance(issued, IssuedTicket)
    assert issued.number == "А001"
    assert issued.people_ahead == 0
    assert issued.status_url.endswith(issued.public_token)
    status = kiosk.ticket_status(issued.public_token)
    assert isinstance(status, PublicTicket)
    assert (status.number, status.status, status.people_ahead) == ("А001", "waiting", 0)
    priority = kiosk.issue_ticket(1, priority=True)
    assert priority.lane == "priority"


def test_a_visitor_from_call_to_finish(clerk: QueueClient, kiosk: QueueClient) -> None:
    issued = kiosk.issue_ticket(1)
    window = clerk.open_counter(1)
    assert (window.state, window.number) == ("open", 1)
    assert clerk.open_counter(1).state == "open"  # reopening one's own window is harmless
    ticket = clerk.call_next(1)
    assert isinstance(ticket, ClerkTicket)
    assert (ticket.id, ticket.status, ticket.counter_number) == (issued.id, "called", 1)
    assert ticket.recall_limit == 2
    assert ticket.called_at is not None
    recalled = clerk.recall(ticket.id)
    assert recalled.recall_count == 1
    started = clerk.start(ticket.id)
    assert started.status == "serving"
    assert started.started_at is not None
    assert clerk.counters()[0].current is not None
    assert clerk.staff_ticket(ticket.id).status == "serving"
    finished = clerk.finish(ticket.id)
    assert finished.status == "done"
    assert clerk.call_next(1) is None  # 204: nobody waits
    today = clerk.staff_today()
    assert isinstance(today, StaffToday)
    assert today.served == 1
    assert today.average_service_minutes is not None
    assert clerk.pause_counter(1).state == "paused"
    assert clerk.close_counter(1).state == "closed"


def test_no_show_return_transfer_cancel(clerk: QueueClient, kiosk: QueueClient) -> None:
    first = kiosk.issue_ticket(1)
    second = kiosk.issue_ticket(9)
    third = kiosk.issue_ticket(10)
    clerk.open_counter(1)
    called = clerk.call_next(1)
    assert called is not None
    assert called.id == first.id
    assert clerk.no_show(called.id).status == "no_show"
    assert clerk.return_no_show(called.id).status == "waiting"
    nxt = clerk.call_next(1)
    assert nxt is not None
    assert nxt.id == second.id
    moved = clerk.transfer(nxt.id, 2)
    assert (moved.status, moved.service_id) == ("waiting", 2)
    assert moved.service_name_en.startswith("Ukrainian national passport")
    cancelled = clerk.cancel(third.id)
    assert cancelled.status == "cancelled"


def test_out_of_order_call_needs_the_permission(
    clerk: QueueClient, admin: QueueClient, kiosk: QueueClient
) -> None:
    kiosk.issue_ticket(1)
    second = kiosk.issue_ticket(1)
    clerk.open_counter(1)
    with pytest.raises(Forbidden):
        clerk.call_ticket(1, second.id, "літній відвідувач")
    admin.open_counter(2)
    called = admin.call_ticket(2, second.id, "літній відвідувач")
    assert (called.id, called.counter_number) == (second.id, 2)


def test_branch_pause_and_resume(admin: QueueClient, clerk: QueueClient) -> None:
    paused = admin.pause_branch("Повітряна тривога")
    assert paused.paused
    assert paused.pause_reason == "Повітряна тривога"
    assert paused.paused_at is not None
    assert clerk.branch().paused
    with pytest.raises(Forbidden) as refused:
        clerk.resume_branch()
    assert refused.value.code == "admin_only"
    assert not admin.resume_branch().paused
