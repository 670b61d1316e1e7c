"""Issuing and calling through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.helpers.app import Api, FakeClock


def test_tickets_are_numbered_per_service_from_one(api: Api) -> None:
    first, second = api.issue(1), api.issue(1)
    other = api.issue(2)
    assert (first["number"], second["number"], other["number"]) == ("А001", "А002", "Б001")
    assert second["people_ahead"] == 1
    assert str(first["status_url"]).endswith(f"/t/{first['public_token']}")
    assert first["branch_name_uk"]


def test_priority_tickets_have_their_own_series(api: Api) -> None:
    api.issue(1)
    priority = api.issue(1, priority=True)
    assert priority["number"] == "ПА001"
    assert priority["lane"] == "priority"
    assert priority["people_ahead"] == 0  # the ordinary visitor is not ahead of a priority one


def test_wait_estimate_uses_the_service_average_and_windows(api: Api) -> None:
    # Service 2 (ID card, 20 min average) is served by windows 3 and 4; none open: both count.
    for _ in range(4):
        api.issue(2)
    fifth = api.issue(2)
    assert fifth["people_ahead"] == 4
    assert fifth["estimated_wait_minutes"] == 40


def test_call_next_gives_first_come_across_the_window_s_services(
    api: Api, clock: FakeClock
) -> None:
    # Window 1 serves services 1, 9 and 10.
    consultation = api.issue(10)
    clock.advance(minutes=1)
    api.issue(2)  # not served at window 1
    clock.advance(minutes=1)
    residence = api.issue(1)
    api.open("clerk1", 1)
    called = api.call_next("clerk1", 1)
    assert called is not None
    assert called["number"] == consultation["number"]
    assert called["counter_number"] == 1
    api.client.post(f"/api/v1/tickets/{called['id']}/start", headers=api.as_user("clerk1"))
    second = api.call_next("clerk1", 1)  # finishes the one being served
    assert second is not None
    assert second["number"] == residence["number"]
    assert api.call_next_raw("clerk1", 1).status_code == 409  # second is only "called"


def test_nobody_waiting_is_204(api: Api) -> None:
    api.open("clerk1", 1)
    assert api.call_next("clerk1", 1) is None


def test_two_windows_never_get_the_same_ticket(api: Api) -> None:
    api.issue(1)
    api.open("clerk1", 1)
    api.open("clerk2", 2)
    results = [api.call_next("clerk1", 1), api.call_next("clerk2", 2)]
    assert [r is None for r in results].count(True) == 1


def test_ticket_status_page_data_has_no_personal_data(api: Api) -> None:
    ticket = api.issue(1)
    status = api.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert status["number"] == "А001"
    assert status["status"] == "waiting"
    assert status["people_ahead"] == 0
    assert "name" not in status
    assert "phone" not in status
    api.open("clerk1", 1)
    api.call_next("clerk1", 1)
    status = api.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert (status["status"], status["counter_number"]) == ("called", 1)


def test_unknown_ticket_token_is_a_clear_404(api: Api) -> None:
    r = api.client.get("/api/v1/tickets/nonexistent-token")
    assert r.status_code == 404
    assert "QR" in r.json()["message"]


def test_board_shows_current_and_last_calls_and_waiting(api: Api, clock: FakeClock) -> None:
    for _ in range(3):
        api.issue(1)
    api.open("clerk1", 1)
    api.open("clerk2", 2)
    a = api.call_next("clerk1", 1)
    clock.advance(seconds=1)
    b = api.call_next("clerk2", 2)
    board: dict[str, Any] = api.client.get("/api/v1/board").json()
    assert [c["number"] for c in board["last_calls"]] == [b["number"], a["number"]]  # type: ignore[index]
    assert {c["counter_number"] for c in board["current"]} == {1, 2}
    residence = next(s for s in board["services"] if s["id"] == 1)
    assert residence["waiting"] == 1
    assert board["last_event_id"] > 0


def test_every_change_writes_its_event(api: Api) -> None:
    before = api.client.get("/api/v1/board").json()["last_event_id"]
    ticket = api.issue(1)
    api.open("clerk1", 1)
    api.call_next("clerk1", 1)
    api.client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=api.as_user("clerk1"))
    after = api.client.get("/api/v1/board").json()["last_event_id"]
    assert after - before == 4  # issued, window opened, called, finished


def test_numbers_restart_at_kyiv_midnight_and_leftovers_expire(api: Api, clock: FakeClock) -> None:
    from datetime import UTC, datetime

    clock.now = datetime(2026, 11, 24, 21, 58, tzinfo=UTC)  # 23:58 in Kyiv
    yesterday = api.issue(1)
    assert api.issue(1)["number"] == "А002"
    clock.now = datetime(2026, 11, 24, 22, 1, tzinfo=UTC)  # 00:01 next day in Kyiv
    assert api.issue(1)["number"] == "А001"
    status = api.client.get(f"/api/v1/tickets/{yesterday['public_token']}").json()
    assert status["status"] == "expired"


def test_services_say_which_take_bookings(api: Api) -> None:
    services = {s["code"]: s for s in api.client.get("/api/v1/services").json()}
    assert services["residence"]["bookable"] is True
    assert services["consultation"]["bookable"] is False  # walk-in only in the sample centre
