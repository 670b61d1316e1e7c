"""What the clerk's desk needs from the server: the waiting list in calling order, hand-overs to a
window or a clerk, cancelling with a reason, today's no-shows, outcomes, breaks, the day's
figures and printer faults. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from cherha.server.store.db import Database
from cherha.server.store.models import Event
from tests.api.test_bookings import TOMORROW_10, booked
from tests.helpers.app import Api, FakeClock

RESIDENCE, CIVIL, CERTIFICATES, CONSULTATION = 1, 8, 9, 10  # window 1: 1, 9, 10; window 2: 1, 8, 9


def waiting(api: Api, counter: int = 1, clerk: str = "clerk1") -> dict[str, Any]:
    r = api.client.get(f"/api/v1/counters/{counter}/waiting", headers=api.as_user(clerk))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def listed(api: Api, counter: int = 1) -> list[int]:
    return [t["id"] for t in waiting(api, counter)["tickets"]]


def call(api: Api, clerk: str, counter: int) -> dict[str, Any]:
    ticket = api.call_next(clerk, counter)
    assert ticket is not None
    return ticket


def user_id(api: Api, name: str) -> int:
    me: dict[str, Any] = api.client.get("/api/v1/auth/me", headers=api.as_user(name)).json()
    return int(me["id"])


def events(api: Api, type_: str) -> list[Event]:
    db = Database(api.centre.database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(Event).where(Event.type == type_)))
    finally:
        db.dispose()


def today(api: Api, clerk: str = "clerk1") -> dict[str, Any]:
    body: dict[str, Any] = api.client.get("/api/v1/staff/today", headers=api.as_user(clerk)).json()
    return body


def test_the_waiting_list_is_the_calling_order_while_tickets_arrive(
    api: Api, clock: FakeClock
) -> None:
    booking = booked(api)  # residence, tomorrow 10:00 Kyiv
    clock.now = TOMORROW_10 - timedelta(minutes=20)
    civil = api.issue(CIVIL)  # called at window 2, then handed over to window 1
    api.open("clerk1", 1)
    api.open("clerk2", 2)
    assert call(api, "clerk2", 2)["id"] == civil["id"]
    api.issue(RESIDENCE)
    api.issue(CERTIFICATES, priority=True)
    clock.advance(minutes=1)
    api.issue(CONSULTATION)
    api.issue(RESIDENCE, priority=True)
    r = api.post(
        f"/api/v1/tickets/{civil['id']}/transfer", "clerk2", {"counter_id": 1, "note": "довідка"}
    )
    assert r.status_code == 200, r.text
    clock.now = TOMORROW_10 - timedelta(minutes=8)
    r = api.post(f"/api/v1/bookings/{booking['code']}/check-in", "kiosk")
    assert r.status_code == 201, r.text
    booked_ticket = r.json()
    api.issue(CERTIFICATES)

    first = waiting(api)
    assert first["tickets"][0]["id"] == civil["id"]
    assert first["tickets"][0]["handed_over"] is True
    assert (first["tickets"][0]["note"], first["tickets"][0]["note_by"]) == ("довідка", "clerk2")
    shown_booking = next(t for t in first["tickets"] if t["id"] == booked_ticket["id"])
    assert shown_booking["booking"]["name"] == "Олена Коваль"
    assert shown_booking["booking"]["start"] == TOMORROW_10.isoformat()  # the centre's offset
    assert [t["lane"] for t in first["tickets"]].count("priority") == 2

    # Call by call, with visitors arriving in between: the list's head is who call-next gives.
    calls = 0
    while plan := listed(api):
        if calls in (1, 3):
            api.issue(RESIDENCE, priority=calls == 1)
            api.issue(CONSULTATION)
            plan = listed(api)
        ticket = call(api, "clerk1", 1)
        assert ticket["id"] == plan[0], (calls, ticket["number"])
        api.post(f"/api/v1/tickets/{ticket['id']}/start", "clerk1")
        clock.advance(minutes=2)
        calls += 1
    assert calls == 11
    assert api.call_next("clerk1", 1) is None

    # No arrivals: the whole list is the sequence of calls.
    for service, priority in [(1, False), (9, True), (10, False), (1, True), (1, True)] * 2:
        api.issue(service, priority=priority)
        clock.advance(seconds=30)
    plan = listed(api)
    in_turn: list[int] = []
    while (got := api.call_next("clerk1", 1)) is not None:
        in_turn.append(int(str(got["id"])))
        api.post(f"/api/v1/tickets/{got['id']}/start", "clerk1")
    assert in_turn == plan


def test_bookings_due_within_the_hour_are_listed_until_they_check_in(
    api: Api, clock: FakeClock
) -> None:
    soon = booked(api, name="<b>Іван</b>")
    later = booked(api, TOMORROW_10 + timedelta(hours=2), phone="067 765 43 21")
    clock.now = TOMORROW_10 - timedelta(minutes=40)
    due = waiting(api)["bookings_due"]
    assert [(d["code"], d["name"]) for d in due] == [(soon["code"], "<b>Іван</b>")]
    assert later["code"] not in {d["code"] for d in due}
    clock.now = TOMORROW_10 - timedelta(minutes=10)
    assert api.post(f"/api/v1/bookings/{soon['code']}/check-in", "kiosk").status_code == 201
    assert waiting(api)["bookings_due"] == []
    assert len(waiting(api)["tickets"]) == 1


def test_hand_over_to_a_clerk_is_called_at_their_window_next(api: Api) -> None:
    api.open("clerk1", 1)
    api.open("clerk2", 2)
    earlier = api.issue(RESIDENCE)
    moving = api.issue(CIVIL)
    assert call(api, "clerk2", 2)["id"] == earlier["id"]  # earliest at window 2
    api.post(f"/api/v1/tickets/{earlier['id']}/start", "clerk2")
    body = {"clerk_id": user_id(api, "clerk1"), "note": "Потрібен підпис керівника"}
    r = api.post(f"/api/v1/tickets/{earlier['id']}/transfer", "clerk2", body)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["target_clerk_id"]) == ("waiting", user_id(api, "clerk1"))
    assert earlier["id"] not in listed(api, 2)
    assert call(api, "clerk2", 2)["id"] == moving["id"]  # window 2 never takes it
    got = call(api, "clerk1", 1)
    assert got["id"] == earlier["id"]
    assert (got["note"], got["note_by"]) == ("Потрібен підпис керівника", "clerk2")
    [event] = events(api, "ticket_transferred")
    assert event.data["handed_over"] == "clerk"
    assert event.data["has_note"] is True
    assert "Потрібен" not in str(event.data)  # the public stream carries no staff words
    [handed] = [e for e in events(api, "ticket_called") if e.ticket_id == earlier["id"]][1:]
    assert handed.data["handed_over"] is True


def test_hand_over_refusals_change_nothing(api: Api) -> None:
    api.open("clerk1", 1)
    api.issue(RESIDENCE)
    ticket = call(api, "clerk1", 1)
    path = f"/api/v1/tickets/{ticket['id']}/transfer"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"counter_id": 3}, 409, "window_closed"),
        ({"clerk_id": user_id(api, "clerk2")}, 409, "clerk_not_at_window"),
        ({"counter_id": 1}, 409, "invalid_state"),
        ({"counter_id": 2, "clerk_id": 2}, 422, "invalid_request"),
        ({"note": "куди?"}, 422, "invalid_request"),
        ({"counter_id": 999}, 404, "not_found"),
        ({"service_id": RESIDENCE}, 409, "invalid_state"),
    ]
    for body, status, error in cases:
        r = api.post(path, "clerk1", body)
        assert (r.status_code, r.json()["error"]) == (status, error), (body, r.text)
        assert r.json()["message"]
        assert r.json()["message_en"]
    after = api.client.get(f"/api/v1/staff/tickets/{ticket['id']}", headers=api.as_user("clerk1"))
    assert (after.json()["status"], after.json()["counter_id"]) == ("called", 1)
    assert events(api, "ticket_transferred") == []


def test_closing_a_window_sends_those_handed_over_back_to_their_line(api: Api) -> None:
    api.open("clerk1", 1)
    api.open("clerk2", 2)
    api.issue(RESIDENCE)
    ticket = call(api, "clerk2", 2)
    api.post(f"/api/v1/tickets/{ticket['id']}/transfer", "clerk2", {"counter_id": 1})
    assert ticket["id"] not in listed(api, 2)
    assert api.post("/api/v1/counters/1/close", "clerk1").status_code == 200
    assert listed(api, 2) == [ticket["id"]]  # residence: window 2's line, same place
    [released] = events(api, "ticket_released")
    assert released.ticket_id == ticket["id"]
    assert call(api, "clerk2", 2)["id"] == ticket["id"]


def test_cancel_with_a_reason_kept_for_staff_only(api: Api) -> None:
    waiting_ticket = api.issue(RESIDENCE)
    r = api.post(
        f"/api/v1/tickets/{waiting_ticket['id']}/cancel", "clerk2", {"reason": "Пішов додому"}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["cancel_reason"]) == ("cancelled", "Пішов додому")
    api.open("clerk1", 1)
    api.issue(RESIDENCE)
    at_window = call(api, "clerk1", 1)
    r = api.post(f"/api/v1/tickets/{at_window['id']}/cancel", "clerk1", {"reason": "Передумав"})
    assert r.json()["status"] == "cancelled"
    assert api.post("/api/v1/tickets/1/cancel", "clerk1", {"reason": "x" * 201}).status_code == 422
    for event in events(api, "ticket_cancelled"):
        assert event.data["has_reason"] is True
        assert "Пішов" not in str(event.data)
        assert "Передумав" not in str(event.data)
    assert today(api)["cancelled"] == 1


def test_any_of_today_s_no_shows_returns_within_the_window(api: Api, clock: FakeClock) -> None:
    api.open("clerk1", 1)
    numbers = []
    for _ in range(3):
        api.issue(RESIDENCE)
        ticket = call(api, "clerk1", 1)
        api.post(f"/api/v1/tickets/{ticket['id']}/no-show", "clerk1")
        numbers.append(ticket["number"])
        clock.advance(minutes=12)
    r = api.client.get("/api/v1/counters/1/no-shows", headers=api.as_user("clerk1"))
    rows = r.json()
    assert [n["number"] for n in rows] == numbers[::-1]  # newest first
    assert [n["returnable"] for n in rows] == [True, True, False]  # 12, 24, 36 min ago
    assert rows[0]["counter_number"] == 1
    oldest_returnable = rows[1]
    r = api.post(f"/api/v1/tickets/{oldest_returnable['id']}/return", "clerk1")
    assert r.json()["status"] == "waiting"
    r = api.post(f"/api/v1/tickets/{rows[2]['id']}/return", "clerk1")
    assert r.json()["error"] == "return_window_passed"
    assert today(api)["no_shows"] == 3


def test_finish_with_an_outcome_from_the_centre_s_list(api: Api) -> None:
    r = api.client.get("/api/v1/outcomes", headers=api.as_user("clerk1"))
    codes = [o["code"] for o in r.json()]
    assert codes == ["served", "another_visit", "documents_missing", "redirected"]
    api.open("clerk1", 1)
    api.issue(RESIDENCE)
    ticket = call(api, "clerk1", 1)
    path = f"/api/v1/tickets/{ticket['id']}/finish"
    r = api.post(path, "clerk1", {"outcome": "lost"})
    assert (r.status_code, r.json()["error"]) == (422, "unknown_outcome")
    assert "documents_missing" in r.json()["message"]
    body = {"outcome": "documents_missing", "note": "Бракує довідки про доходи"}
    r = api.post(path, "clerk1", body)
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["outcome"], done["note"]) == ("done", *body.values())
    [finished] = events(api, "ticket_finished")
    assert finished.data["outcome"] == "documents_missing"
    assert "довідки" not in str(finished.data)
    api.issue(RESIDENCE)
    plain = call(api, "clerk1", 1)
    r = api.post(f"/api/v1/tickets/{plain['id']}/finish", "clerk1")  # no body: as before
    assert (r.json()["status"], r.json()["outcome"]) == ("done", "")


def test_breaks_with_a_reason_and_the_time_on_them(api: Api, clock: FakeClock) -> None:
    api.open("clerk1", 1)
    r = api.post("/api/v1/counters/1/pause", "clerk1", {"reason": "lunch"})
    assert r.status_code == 200, r.text
    counter = r.json()
    assert (counter["state"], counter["pause_reason"]) == ("paused", "lunch")
    assert counter["paused_at"] is not None
    listed_counter = next(c for c in api.client.get("/api/v1/counters").json() if c["id"] == 1)
    assert listed_counter["pause_reason"] == "lunch"
    clock.advance(minutes=15)
    assert today(api)["break_seconds"] == 15 * 60  # still on it
    reopened = api.post("/api/v1/counters/1/open", "clerk1").json()
    assert (reopened["pause_reason"], reopened["paused_at"]) == ("", None)
    clock.advance(minutes=30)
    assert api.post("/api/v1/counters/1/pause", "clerk1", {"reason": "coffee"}).status_code == 422
    api.post("/api/v1/counters/1/pause", "clerk1", {"reason": "technical"})
    clock.advance(minutes=5)
    api.post("/api/v1/counters/1/close", "clerk1")
    clock.advance(minutes=50)
    assert today(api)["break_seconds"] == 20 * 60
    assert today(api, "clerk2")["break_seconds"] == 0
    [paused, _again] = events(api, "counter_paused")
    assert paused.data["reason"] == "lunch"


def test_my_day_counts_the_clerk_s_own_actions(api: Api, clock: FakeClock) -> None:
    api.open("clerk1", 1)
    for service in (RESIDENCE, CERTIFICATES, CONSULTATION):
        api.issue(service)
    ticket = call(api, "clerk1", 1)
    api.post(f"/api/v1/tickets/{ticket['id']}/start", "clerk1")
    api.post(f"/api/v1/tickets/{ticket['id']}/transfer", "clerk1", {"service_id": CIVIL})
    ticket = call(api, "clerk1", 1)
    api.post(f"/api/v1/tickets/{ticket['id']}/start", "clerk1")
    clock.advance(minutes=4)
    api.post(f"/api/v1/tickets/{ticket['id']}/finish", "clerk1")
    day = today(api)
    assert (day["served"], day["average_service_minutes"], day["transferred"]) == (1, 4.0, 1)
    assert (day["no_shows"], day["cancelled"], day["break_seconds"]) == (0, 0, 0)
    assert today(api, "clerk2")["transferred"] == 0
    # The next local day starts afresh (Kyiv midnight, the server in UTC).
    clock.now = clock.now.replace(hour=21, minute=59)  # 23:59 in Kyiv: still today
    assert today(api)["served"] == 1
    clock.now = clock.now.replace(hour=22, minute=1)  # 00:01 in Kyiv, the next day
    api._tokens.clear()  # the 12-hour login ran out at 22:00: log in again
    assert today(api)["served"] == 0
    assert today(api)["transferred"] == 0


def test_printer_faults_reach_the_desk(api: Api) -> None:
    def faults() -> list[dict[str, Any]]:
        body: list[dict[str, Any]] = api.client.get(
            "/api/v1/staff/device-faults", headers=api.as_user("clerk1")
        ).json()
        return body

    assert faults() == []
    api.post("/api/v1/devices/me/status", "kiosk", {"printer": "paper_out", "message": "Папір"})
    [fault] = faults()
    assert (fault["name"], fault["printer"], fault["message"]) == ("kiosk-1", "paper_out", "Папір")
    api.post("/api/v1/devices/me/status", "kiosk", {"printer": "ok"})
    assert faults() == []
    assert api.client.get("/api/v1/staff/device-faults", headers=api.kiosk()).status_code == 403


def test_an_out_of_order_call_from_the_list_is_recorded_with_its_reason(api: Api) -> None:
    api.issue(1)
    later = api.issue(1)
    api.open("admin", 1)
    assert listed(api)[1] == later["id"]
    body = {"ticket_id": later["id"], "reason": "Відвідувач з немовлям"}
    assert api.post("/api/v1/counters/1/call", "admin", body).status_code == 200
    [called] = events(api, "ticket_called")
    assert (called.data["out_of_order"], called.data["reason"]) == (True, body["reason"])
    assert called.actor == "user:admin"
    assert later["id"] not in listed(api)  # called: no longer waiting


def test_desk_reads_are_for_staff(api: Api) -> None:
    for path in ("/api/v1/counters/1/waiting", "/api/v1/counters/1/no-shows", "/api/v1/outcomes"):
        assert api.client.get(path).status_code == 401
        assert api.client.get(path, headers=api.kiosk()).status_code == 403
    r = api.client.get("/api/v1/counters/99/waiting", headers=api.as_user("clerk1"))
    assert (r.status_code, r.json()["error"]) == (404, "not_found")


def test_an_older_centre_gets_the_default_outcomes_and_the_migration_goes_back(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import text

    from cherha.server.store.migrate import alembic_config, upgrade

    db = Database(database_url)
    config = alembic_config(database_url)
    try:
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.execute(
                text(
                    "INSERT INTO branches (id, code, name_uk, name_en, timezone, paused, pause_reason,"
                    " priority_cap, recall_limit, no_show_return_minutes, returned_keeps_place)"
                    " VALUES (1, 'old', 'Старий', 'Old', 'Europe/Kyiv', false, '', 3, 2, 30, false)"
                )
            )
        upgrade(db.engine)
        with db.engine.connect() as connection:
            codes = connection.execute(
                text("SELECT code FROM outcomes WHERE branch_id = 1 ORDER BY position")
            ).scalars()
            assert list(codes) == ["served", "another_visit", "documents_missing", "redirected"]
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        upgrade(db.engine)
    finally:
        db.dispose()


def test_who_is_at_work_to_hand_over_to(api: Api) -> None:
    def at_work() -> list[tuple[str, int, str]]:
        r = api.client.get("/api/v1/staff/at-work", headers=api.as_user("clerk1"))
        return [(c["name"], c["counter_number"], c["state"]) for c in r.json()]

    assert at_work() == []
    api.open("clerk2", 3)
    api.open("clerk1", 1)
    api.post("/api/v1/counters/3/pause", "clerk2", {"reason": "technical"})
    assert at_work() == [("clerk1", 1, "open"), ("clerk2", 3, "paused")]
    assert api.client.get("/api/v1/staff/at-work", headers=api.kiosk()).status_code == 403


def test_the_centre_file_s_outcomes_load_export_and_retire(database_url: str) -> None:
    from cherha.core.errors import Invalid
    from cherha.server.store.centre import export_centre, load_centre
    from cherha.server.store.centre_file import (
        SAMPLE_CENTRE,
        centre_toml,
        parse_centre_text,
        read_centre_file,
    )
    from cherha.server.store.migrate import upgrade
    from cherha.server.store.outcomes import OutcomeSpec, active_outcomes

    db = Database(database_url)
    try:
        upgrade(db.engine)
        spec = read_centre_file(SAMPLE_CENTRE)
        own = [
            OutcomeSpec(code="served", name_uk="Обслуговано", name_en="Served"),
            OutcomeSpec(code="consulted", name_uk="Надано консультацію", name_en="Consulted"),
        ]
        branch_id = load_centre(db, spec.model_copy(update={"outcomes": own}))
        exported = export_centre(db, branch_id)
        assert [o.code for o in exported.outcomes] == ["served", "consulted"]
        again = parse_centre_text(centre_toml(exported))  # the file round trip keeps them
        assert again.outcomes == own
        load_centre(db, spec.model_copy(update={"outcomes": own[:1]}))
        with db.read() as session:
            assert [o.code for o in active_outcomes(session, branch_id)] == ["served"]
        twice = spec.model_dump() | {"outcomes": [own[0].model_dump()] * 2}
        with pytest.raises(ValueError, match="outcome codes must be unique"):
            type(spec).model_validate(twice)
        bad = centre_toml(exported).replace('code = "consulted"', 'code = "Consulted!"')
        with pytest.raises(Invalid) as refused:
            parse_centre_text(bad)
        assert "outcomes" in refused.value.message_en
    finally:
        db.dispose()
