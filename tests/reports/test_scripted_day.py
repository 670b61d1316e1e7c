"""Report figures against a scripted morning whose answers are known by construction
(tests/reports/scripted.py), on SQLite and PostgreSQL, through the API as other systems read
them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from cherha.server.store.db import Database
from cherha.server.store.models import Service
from tests.helpers.app import Api, FakeClock
from tests.reports.scripted import (
    DAY,
    RESIDENCE,
    RESIDENCE_NAME,
    START,
    Day,
)


def report(api: Api, name: str, **params: str) -> dict[str, Any]:
    r = api.client.get(f"/api/v1/reports/{name}", params=params, headers=api.as_user("admin"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def only_row(body: dict[str, Any]) -> dict[str, Any]:
    assert len(body["rows"]) == 1, body["rows"]
    row: dict[str, Any] = body["rows"][0]
    return row


def test_visitors_of_the_day(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    row = only_row(report(api, "visitors", period="today", by="total"))
    assert {k: row[k] for k in row if k not in ("period", "group")} == {
        "issued": 9,
        "walk_in": 6,
        "priority": 1,
        "booked": 2,
        "served": 7,
        "no_show": 1,
        "cancelled": 1,
        "expired": 0,
        "transferred": 1,
        "open": 0,
    }


def test_waiting_times_count_the_last_call_and_each_line_stood_in(
    morning: tuple[Api, FakeClock, Day],
) -> None:
    api, _clock, _day = morning
    row = only_row(report(api, "waits", period="today", by="total"))
    # Waits 1, 2, 2, 5, 5, 8, 10, 16, 26 minutes; residence (target 15): 5, 16, 26, 8, 2 → 3 of 5.
    assert row["called"] == 9
    assert row["mean"] == round(75 / 9, 1)
    assert row["median"] == 5.0
    assert row["p90"] == 18.0  # 16 + 0.2 × (26 − 16)
    assert row["max"] == 26.0
    assert row["within_target"] == 60.0


def test_waits_by_service_keep_the_name_the_service_had(
    morning: tuple[Api, FakeClock, Day], scripted_url: str
) -> None:
    api, _clock, _day = morning
    db = Database(scripted_url)
    try:
        with db.write(None) as session:
            session.execute(
                update(Service).where(Service.id == RESIDENCE).values(name_uk="Перейменовано")
            )
        body = report(api, "waits", period="today", by="total", breakdown="service")
        with db.write(None) as session:
            session.execute(
                update(Service).where(Service.id == RESIDENCE).values(name_uk=RESIDENCE_NAME)
            )
    finally:
        db.dispose()
    rows = {r["group"].split(" / ")[0]: r for r in body["rows"]}
    assert RESIDENCE_NAME.split(" / ")[0] in rows
    residence = rows[RESIDENCE_NAME.split(" / ")[0]]
    assert residence["called"] == 5
    assert residence["median"] == 8.0
    assert "Перейменовано" not in {r["group"] for r in body["rows"]}


def test_service_times_by_clerk(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    total = only_row(report(api, "service_times", period="today", by="total", breakdown="centre"))
    # 10, 14 (until the transfer), 10, 10, 5, 8, and the booked 7 and 7.
    assert total["visits"] == 8
    assert total["mean"] == round(71 / 8, 1)
    assert total["median"] == 9.0
    by_clerk = {
        r["group"]: r
        for r in report(api, "service_times", period="today", by="total", breakdown="clerk")["rows"]
    }
    # А001, А002, Б001 after the transfer, ПА001, Л002, Л003.
    assert by_clerk["clerk1"]["visits"] == 6
    assert by_clerk["clerk1"]["mean"] == round(52 / 6, 1)
    assert by_clerk["clerk2"]["visits"] == 1
    assert by_clerk["clerk2"]["mean"] == 14.0
    assert by_clerk["admin"]["mean"] == 5.0


def test_out_of_order_calls_and_recalls_by_window(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    rows = {r["group"]: r for r in report(api, "calls", period="today", by="total")["rows"]}
    assert rows["1"]["calls"] == 8  # А001, А002 and its recall, А003, Б001, ПА001, Л002, Л003
    assert rows["1"]["recalls"] == 1
    assert rows["2"]["out_of_order"] == 1
    assert rows["2"]["out_of_order_share"] == 100.0
    assert sum(r["out_of_order"] for r in rows.values()) == 1


def test_pauses_and_breaks(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    row = only_row(report(api, "pauses", period="today", by="total"))
    assert row["pauses"] == 1
    assert row["pause_minutes"] == 30.0
    assert row["breaks"] == 1
    assert row["break_minutes"] == 10.0


def test_estimates_are_compared_with_the_first_call(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, day = morning
    row = only_row(report(api, "estimates", period="today", by="total", breakdown="centre"))
    # From issuing to the first call (Л002 was issued at its check-in, 12 minutes early).
    actual_first_call = {
        "А001": 5, "А002": 15, "А003": 26, "Б001": 5, "Л001": 10, "ПА001": 2, "Л002": 12, "Л003": 1
    }  # fmt: skip
    errors = [day.estimates[n] - minutes for n, minutes in actual_first_call.items()]
    assert row["tickets"] == 8
    assert row["mae"] == round(sum(abs(e) for e in errors) / 8, 1)
    assert row["bias"] == round(sum(errors) / 8, 1)
    assert row["within_5"] == round(100 * sum(abs(e) <= 5 for e in errors) / 8, 1)


def test_arrivals_by_weekday_and_hour(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    rows = report(api, "arrivals", period="today")["rows"]
    tuesday = rows[1]
    assert (tuesday["h12"], tuesday["h13"], tuesday["h14"]) == (7, 1, 1)
    assert tuesday["total"] == 9
    assert sum(r["total"] for r in rows) == 9


def test_bookings_by_the_day_of_their_slot(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    row = only_row(report(api, "bookings", period="today", by="total"))
    assert {k: row[k] for k in row if k not in ("period", "group")} == {
        "made": 4,
        "cancelled": 1,
        "on_time": 1,
        "late": 1,
        "no_show": 1,
        "pending": 0,
        "used": 66.7,
    }


def test_a_bad_request_is_refused_in_both_languages(morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    admin = api.as_user("admin")
    for params in (
        {"period": "fortnight"},
        {"from": "2026-11-30", "to": "2026-11-01"},
        {"from": "yesterday"},
        {"by": "minute"},
        {"breakdown": "mood"},
        {"from": "2020-01-01", "to": "2026-01-01"},
    ):
        r = api.client.get("/api/v1/reports/waits", params=params, headers=admin)
        assert r.status_code == 422, (params, r.text)
        body = r.json()
        assert body["message"], body
        assert body["message_en"], body
    assert api.client.get("/api/v1/reports/nothing", headers=admin).status_code == 404
    clerk = api.client.get("/api/v1/reports/waits", headers=api.as_user("clerk1"))
    assert clerk.status_code == 403
    assert api.client.get("/api/v1/reports/waits", headers=api.kiosk()).status_code == 403
    assert START.date().isoformat() == DAY
