"""What a clerk does with a called visitor, and the branch pause, through the API."""

from __future__ import annotations

from tests.helpers.app import Api, FakeClock


def _called(
    api: Api, service: int = 1, clerk: str = "clerk1", counter: int = 1
) -> dict[str, object]:
    api.issue(service)
    api.open(clerk, counter)
    ticket = api.call_next(clerk, counter)
    assert ticket is not None
    return ticket


def test_recall_counts_up_to_the_limit(api: Api) -> None:
    ticket = _called(api)
    for expected in (1, 2):
        r = api.post(f"/api/v1/tickets/{ticket['id']}/recall", "clerk1")
        assert r.status_code == 200
        assert (r.json()["recall_count"], r.json()["recall_limit"]) == (expected, 2)
    r = api.post(f"/api/v1/tickets/{ticket['id']}/recall", "clerk1")
    assert r.status_code == 409
    assert r.json()["error"] == "recall_limit"


def test_no_show_and_return_within_the_window(api: Api, clock: FakeClock) -> None:
    ticket = _called(api)
    assert (
        api.post(f"/api/v1/tickets/{ticket['id']}/no-show", "clerk1").json()["status"] == "no_show"
    )
    clock.advance(minutes=10)
    back = api.post(f"/api/v1/tickets/{ticket['id']}/return", "clerk2")
    assert back.status_code == 200
    assert back.json()["status"] == "waiting"
    again = api.call_next("clerk1", 1)
    assert again is not None
    assert again["id"] == ticket["id"]


def test_no_show_cannot_return_after_the_window(api: Api, clock: FakeClock) -> None:
    ticket = _called(api)
    api.post(f"/api/v1/tickets/{ticket['id']}/no-show", "clerk1")
    clock.advance(minutes=31)
    r = api.post(f"/api/v1/tickets/{ticket['id']}/return", "clerk1")
    assert r.status_code == 409
    assert "30" in r.json()["message"]


def test_transfer_keeps_the_place_in_line(api: Api, clock: FakeClock) -> None:
    ticket = _called(api, service=1)  # window 1
    clock.advance(minutes=5)
    later = api.issue(2)  # ID card, served at windows 3 and 4
    r = api.post(f"/api/v1/tickets/{ticket['id']}/transfer", "clerk1", {"service_id": 2})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["service_id"]) == ("waiting", 2)
    api.open("clerk2", 3)
    first = api.call_next("clerk2", 3)
    assert first is not None
    assert first["id"] == ticket["id"], "the transferred visitor came earlier than the new one"
    assert first["number"] != later["number"]


def test_only_the_window_holding_a_ticket_acts_on_it(api: Api) -> None:
    ticket = _called(api)
    api.open("clerk2", 2)
    r = api.post(f"/api/v1/tickets/{ticket['id']}/finish", "clerk2")
    assert r.status_code == 403
    assert r.json()["error"] == "not_your_window"


def test_a_clerk_calls_only_at_a_window_he_opened(api: Api) -> None:
    api.issue(1)
    api.open("clerk1", 1)
    r = api.call_next_raw("clerk2", 1)
    assert r.status_code == 403
    assert "вікно 1" in r.json()["message"].lower()


def test_a_window_held_by_another_clerk_cannot_be_taken(api: Api) -> None:
    api.open("clerk1", 1)
    r = api.post("/api/v1/counters/1/open", "clerk2")
    assert r.status_code == 403
    assert r.json()["error"] == "window_taken"


def test_one_clerk_one_window(api: Api) -> None:
    api.open("clerk1", 1)
    r = api.post("/api/v1/counters/2/open", "clerk1")
    assert r.status_code == 409
    assert r.json()["error"] == "other_window_open"


def test_reopening_one_s_own_window_is_harmless(api: Api, clock: FakeClock) -> None:
    """A desk opens its window again after a restart: the window stays this clerk's, keeps
    when it was opened and the visitor called to it; the queue is as it was."""
    api.issue(1)
    waiting = api.issue(1)
    first = api.post("/api/v1/counters/1/open", "clerk1")
    assert first.status_code == 200, first.text
    called = api.call_next("clerk1", 1)
    assert called is not None
    clock.advance(minutes=5)
    again = api.post("/api/v1/counters/1/open", "clerk1")
    assert again.status_code == 200, again.text
    before, after = first.json(), again.json()
    assert after["state"] == "open"
    assert (after["clerk_id"], after["opened_at"]) == (before["clerk_id"], before["opened_at"])
    assert after["current"]["id"] == called["id"]
    assert after["current"]["status"] == "called"
    status = api.client.get(f"/api/v1/tickets/{waiting['public_token']}").json()
    assert (status["status"], status["people_ahead"]) == ("waiting", 0)
    # Still one visitor at the window: the next call waits for them.
    assert api.call_next_raw("clerk1", 1).json()["error"] == "ticket_pending"
    assert api.post("/api/v1/counters/1/open", "clerk2").json()["error"] == "window_taken"


def test_a_window_on_a_break_does_not_call(api: Api) -> None:
    api.issue(1)
    api.open("clerk1", 1)
    assert api.post("/api/v1/counters/1/pause", "clerk1").json()["state"] == "paused"
    r = api.call_next_raw("clerk1", 1)
    assert r.status_code == 409
    assert r.json()["error"] == "counter_paused"
    api.open("clerk1", 1)
    assert api.call_next("clerk1", 1) is not None


def test_closing_with_a_visitor_at_the_window_is_refused(api: Api) -> None:
    ticket = _called(api)
    r = api.post("/api/v1/counters/1/close", "clerk1")
    assert r.status_code == 409
    assert str(ticket["number"]) in r.json()["message"]


def test_out_of_order_call_needs_permission_and_reason(api: Api) -> None:
    api.issue(1)
    later = api.issue(1)
    api.open("clerk1", 1)
    body = {"ticket_id": later["id"], "reason": "Відвідувач з немовлям"}
    assert api.post("/api/v1/counters/1/call", "clerk1", body).status_code == 403
    api.post("/api/v1/counters/1/close", "clerk1")
    api.open("admin", 1)
    r = api.post("/api/v1/counters/1/call", "admin", {"ticket_id": later["id"], "reason": "x"})
    assert r.status_code == 422
    r = api.post("/api/v1/counters/1/call", "admin", body)
    assert r.status_code == 200
    assert r.json()["number"] == later["number"]


def test_pause_stops_issuing_and_calling_and_resume_keeps_places(api: Api) -> None:
    first, second = api.issue(1), api.issue(1)
    api.open("clerk1", 1)
    r = api.post("/api/v1/branch/pause", "admin", {"reason": "Повітряна тривога"})
    assert r.status_code == 200
    assert r.json()["paused"] is True
    refused_issue = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk())
    assert refused_issue.status_code == 409
    assert "Повітряна тривога" in refused_issue.json()["message"]
    assert api.call_next_raw("clerk1", 1).status_code == 409
    assert api.client.get("/api/v1/board").json()["branch"]["paused"] is True
    assert api.post("/api/v1/branch/resume", "admin").json()["paused"] is False
    called = api.call_next("clerk1", 1)
    assert called is not None
    assert called["id"] == first["id"]
    status = api.client.get(f"/api/v1/tickets/{second['public_token']}").json()
    assert (status["status"], status["people_ahead"]) == ("waiting", 0)


def test_only_an_administrator_pauses_the_branch(api: Api) -> None:
    r = api.post("/api/v1/branch/pause", "clerk1", {"reason": "тривога"})
    assert r.status_code == 403
    assert r.json()["error"] == "admin_only"


def test_staff_figures_for_today(api: Api, clock: FakeClock) -> None:
    ticket = _called(api)
    api.post(f"/api/v1/tickets/{ticket['id']}/start", "clerk1")
    clock.advance(minutes=6)
    api.post(f"/api/v1/tickets/{ticket['id']}/finish", "clerk1")
    today = api.client.get("/api/v1/staff/today", headers=api.as_user("clerk1")).json()
    assert (today["served"], today["average_service_minutes"]) == (1, 6.0)
    other = api.client.get("/api/v1/staff/today", headers=api.as_user("clerk2")).json()
    assert (other["served"], other["average_service_minutes"]) == (0, None)


def test_finished_tickets_teach_the_average(api: Api, clock: FakeClock) -> None:
    before = next(s for s in api.client.get("/api/v1/services").json() if s["id"] == 1)
    ticket = _called(api)
    api.post(f"/api/v1/tickets/{ticket['id']}/start", "clerk1")
    clock.advance(minutes=2)
    api.post(f"/api/v1/tickets/{ticket['id']}/finish", "clerk1")
    after = next(s for s in api.client.get("/api/v1/services").json() if s["id"] == 1)
    assert after["average_service_minutes"] < before["average_service_minutes"]


def test_staff_cancel_a_waiting_ticket_but_not_one_at_another_window(api: Api) -> None:
    waiting = api.issue(1)
    r = api.post(f"/api/v1/tickets/{waiting['id']}/cancel", "clerk2")
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    called = _called(api)
    r = api.post(f"/api/v1/tickets/{called['id']}/cancel", "clerk2")
    assert r.status_code == 403
    assert r.json()["error"] == "not_your_window"
    served = api.post(f"/api/v1/tickets/{called['id']}/start", "clerk1").json()
    r = api.post(f"/api/v1/tickets/{served['id']}/cancel", "clerk1")
    assert r.status_code == 409
    assert r.json()["error"] == "invalid_state"
