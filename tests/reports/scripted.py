"""A scripted morning at the sample centre whose report figures are known by construction.

Kyiv, Tuesday 24 November 2026, from 12:00 (10:00 UTC). Minutes below are after 12:00.

| ticket | service (window) | what happens | wait (min) | service (min) |
| --- | --- | --- | --- | --- |
| А001 | residence (1) | issued 0, called 5, started 5, finished 15 | 5 | 10 |
| А002 | residence (1) | issued 0, called 15, recalled 16, started 16, finished 26 | 16 | 10 |
| А003 | residence (1) | issued 0, called 26, no-show 28 | 26 | — |
| Б001 | id-card (3) | issued 0, called 5, started 6, transferred to residence 20 | 5 | 14 |
| Б001 | → residence (1) | joined 20, called 28, started 28, finished 38 | 8 | 10 |
| Л001 | certificates (2) | issued 30, called out of order 40, started 40, finished 45 | 10 | 5 |
| М001 | consultation | issued 31, cancelled 45 | — | — |
| ПА001 | residence (1) | issued 50 (priority), called 52, started 52, finished 60 | 2 | 8 |

Residence has a wait target of 15 minutes (set before the day), the others none. The centre
pauses from 60 to 90 (an air-raid alert); window 3 takes a break from 61 to 71. After the day
residence is renamed: the reports keep the name it had.

Bookings for certificates, all made at 0 on the phone page:

| booking | slot | what happens | ticket | wait | service |
| --- | --- | --- | --- | --- | --- |
| K1 | 14:00 (120) | checked in 110 (on time, early), called 122, finished 129 | Л002 | 2 (from the slot) | 7 |
| K2 | 14:15 | cancelled by the visitor at 100 | — | | |
| K3 | 14:30 | checked in 160 (late: a walk-in), called 161, finished 168 | Л003 | 1 | 7 |
| K4 | 14:45 | never comes: a no-show at the sweep at 180 | — | | |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from cherha.server.store.bookings import BookingOps
from cherha.server.store.db import Database
from cherha.server.store.models import Service
from tests.helpers.app import Api, FakeClock

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DAY = "2026-11-24"
RESIDENCE, ID_CARD, CERTIFICATES, CONSULTATION = 1, 2, 9, 10
RESIDENCE_NAME = "Реєстрація / зняття з реєстрації місця проживання"


@dataclass
class Day:
    tickets: dict[str, int] = field(default_factory=dict)
    estimates: dict[str, int] = field(default_factory=dict)


def set_target(database_url: str, service_id: int, minutes: int | None) -> None:
    db = Database(database_url)
    try:
        with db.write(None) as session:
            session.execute(
                update(Service).where(Service.id == service_id).values(wait_target_minutes=minutes)
            )
    finally:
        db.dispose()


PHONES = ("+380671110001", "+380671110002", "+380671110003", "+380671110004")


def play(api: Api, clock: FakeClock, database_url: str) -> Day:
    """Run the morning; `clock` must start at START. Returns tickets' ids and estimates."""
    assert clock.now == START
    day = Day()

    def at(minute: float) -> None:
        clock.now = START + timedelta(minutes=minute)

    def issue(service_id: int, *, priority: bool = False) -> int:
        body = api.issue(service_id, priority=priority)
        number = str(body["number"])
        ticket_id = int(str(body["id"]))
        day.tickets[number] = ticket_id
        day.estimates[number] = int(str(body["estimated_wait_minutes"]))
        return ticket_id

    def ok(path: str, who: str, json: object = None) -> dict[str, object]:
        r = api.post(path, who, json)
        assert r.status_code in (200, 201), (path, r.status_code, r.text)
        body: dict[str, object] = r.json()
        return body

    def book(minute: int, phone: str) -> str:
        slot = (START + timedelta(minutes=minute)).isoformat()
        r = api.client.post(
            "/api/v1/bookings",
            json={"service_id": CERTIFICATES, "start": slot, "name": "Тест", "phone": phone},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["code"])

    def check_in(code: str) -> int:
        r = api.post(f"/api/v1/bookings/{code}/check-in", "kiosk")
        assert r.status_code == 201, r.text
        body = r.json()
        day.tickets[str(body["number"])] = int(body["id"])
        day.estimates[str(body["number"])] = int(body["estimated_wait_minutes"])
        return int(body["id"])

    at(0)
    codes = [book(m, p) for m, p in zip((120, 135, 150, 165), PHONES, strict=True)]
    a1, a2, a3 = issue(RESIDENCE), issue(RESIDENCE), issue(RESIDENCE)
    b1 = issue(ID_CARD)
    api.open("clerk1", 1)
    api.open("clerk2", 3)
    api.open("admin", 2)
    at(5)
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == a1
    ok(f"/api/v1/tickets/{a1}/start", "clerk1")
    assert ok("/api/v1/counters/3/call-next", "clerk2")["id"] == b1
    at(6)
    ok(f"/api/v1/tickets/{b1}/start", "clerk2")
    at(15)
    ok(f"/api/v1/tickets/{a1}/finish", "clerk1")
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == a2
    at(16)
    ok(f"/api/v1/tickets/{a2}/recall", "clerk1")
    ok(f"/api/v1/tickets/{a2}/start", "clerk1")
    at(20)
    ok(f"/api/v1/tickets/{b1}/transfer", "clerk2", {"service_id": RESIDENCE})
    at(26)
    ok(f"/api/v1/tickets/{a2}/finish", "clerk1")
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == a3
    at(28)
    ok(f"/api/v1/tickets/{a3}/no-show", "clerk1")
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == b1
    ok(f"/api/v1/tickets/{b1}/start", "clerk1")
    at(30)
    l1 = issue(CERTIFICATES)
    at(31)
    m1 = issue(CONSULTATION)
    at(38)
    ok(f"/api/v1/tickets/{b1}/finish", "clerk1")
    at(40)
    ok("/api/v1/counters/2/call", "admin", {"ticket_id": l1, "reason": "терміново / urgent"})
    ok(f"/api/v1/tickets/{l1}/start", "admin")
    at(45)
    ok(f"/api/v1/tickets/{l1}/finish", "admin")
    ok(f"/api/v1/tickets/{m1}/cancel", "admin")
    at(50)
    p1 = issue(RESIDENCE, priority=True)
    at(52)
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == p1
    ok(f"/api/v1/tickets/{p1}/start", "clerk1")
    at(60)
    ok(f"/api/v1/tickets/{p1}/finish", "clerk1")
    ok("/api/v1/branch/pause", "admin", {"reason": "Повітряна тривога"})
    at(61)
    ok("/api/v1/counters/3/pause", "clerk2")
    at(71)
    ok("/api/v1/counters/3/open", "clerk2")
    at(90)
    ok("/api/v1/branch/resume", "admin")
    at(100)
    r = api.client.post(f"/api/v1/bookings/{codes[1]}/cancel", json={"phone": PHONES[1]})
    assert r.status_code == 200, r.text
    at(110)
    k1 = check_in(codes[0])
    at(122)
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == k1
    ok(f"/api/v1/tickets/{k1}/start", "clerk1")
    at(129)
    ok(f"/api/v1/tickets/{k1}/finish", "clerk1")
    at(160)
    k3 = check_in(codes[2])
    at(161)
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == k3
    ok(f"/api/v1/tickets/{k3}/start", "clerk1")
    at(168)
    ok(f"/api/v1/tickets/{k3}/finish", "clerk1")
    at(180)
    db = Database(database_url)
    try:
        assert BookingOps(db, clock=clock).sweep_all() == 1
    finally:
        db.dispose()
    return day
