"""Issuing and calling through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx

from tests.helpers.app import Api, FakeClock, live_server, make_centre
from tests.helpers.server import login
from tests.integration.hall import calls_in_commit_order, wide_centre


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


RACE_WINDOWS = 4
RACE_ROUNDS = 9  # three times each of 1, 2 and 3 visitors


def _call_next_at_once(windows: dict[int, httpx.Client]) -> dict[int, httpx.Response]:
    """Every window's clerk presses "call next"; the requests leave together (one barrier)."""
    start = threading.Barrier(len(windows), timeout=30)

    def press(number: int) -> httpx.Response:
        start.wait()
        return windows[number].post(f"/api/v1/counters/{number}/call-next")

    with ThreadPoolExecutor(len(windows)) as pool:
        return dict(zip(windows, pool.map(press, windows), strict=True))


def test_two_windows_never_get_the_same_ticket(database_url: str) -> None:
    """Clerks at four windows press "call next" at the same moment over real HTTP, round after
    round, with fewer visitors waiting than windows: each visitor goes to exactly one window."""
    centre = make_centre(database_url, clerks=RACE_WINDOWS, spec=wide_centre(RACE_WINDOWS))
    with (
        live_server(database_url, centre=centre) as (server, _centre),
        httpx.Client(base_url=server.url, timeout=30) as kiosk,
        ExitStack() as stack,
    ):
        kiosk.headers["Authorization"] = f"Bearer {centre.kiosk_key}"
        windows: dict[int, httpx.Client] = {}
        for number, clerk in enumerate(centre.clerks, start=1):
            client = stack.enter_context(httpx.Client(base_url=server.url, timeout=30))
            client.headers["Authorization"] = f"Bearer {login(server.url, clerk)}"
            assert client.post(f"/api/v1/counters/{number}/open").status_code == 200
            windows[number] = client

        issued_in_all: list[int] = []
        for round_ in range(RACE_ROUNDS):
            waiting = 1 + round_ % (RACE_WINDOWS - 1)  # 1 to 3 visitors for 4 windows
            issued = [
                kiosk.post("/api/v1/tickets", json={"service_id": 1}).json()["id"]
                for _ in range(waiting)
            ]
            issued_in_all += issued
            answers = _call_next_at_once(windows)
            statuses = sorted(r.status_code for r in answers.values())
            assert statuses == [200] * waiting + [204] * (RACE_WINDOWS - waiting), statuses
            called = {n: r.json()["id"] for n, r in answers.items() if r.status_code == 200}
            assert sorted(called.values()) == sorted(issued), "a visitor called twice or lost"
            for number, ticket_id in called.items():
                finished = windows[number].post(f"/api/v1/tickets/{ticket_id}/finish")
                assert finished.status_code == 200, finished.text

    in_call_order, first_come = calls_in_commit_order(database_url)
    assert in_call_order == first_come == issued_in_all


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
