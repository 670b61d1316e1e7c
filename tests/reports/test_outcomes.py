"""The outcomes report against a scripted evening whose answers are known by construction, on
SQLite and PostgreSQL: the API, the console page, CSV and XLSX.

Kyiv, Wednesday 25 November 2026, from 16:00 (14:00 UTC). Before the day the centre adds
«consulted» to its four default outcomes; after the day it drops it again (retired: kept, so
the visit finished with it is still named).

| ticket | service | window, clerk | what happens | outcome |
| --- | --- | --- | --- | --- |
| І001 | id-card | 3, clerk2 | finished | documents_missing |
| І002 | id-card | 3, clerk2 | finished | consulted (retired after the day) |
| І003 | id-card → residence | 3, clerk2 → 1, clerk1 | transferred, then finished | redirected |
| А001 | residence | 1, clerk1 | finished | served |
| А002 | residence | 1, clerk1 | finished | another_visit |
| А003 | residence | 1, clerk1 | finished | — (not recorded) |
| А004 | residence | 1, clerk1 | no-show | (not finished: not counted) |
| А005 | residence | 1, clerk1 | issued 23:50, finished 23:58 | served |
| А001 (26th) | residence | 1, clerk1 | issued 00:10 on the 26th (22:10 UTC on the 25th) | another_visit |

Seven visits finished on the 25th (the visitors report's «served»); the last one belongs to
the 26th in Kyiv although its UTC date is the 25th.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cherha.server.store.db import Database
from cherha.server.store.outcomes import DEFAULT_OUTCOMES, OutcomeSpec, apply_outcomes
from tests.admin.test_console_access import log_in
from tests.helpers.app import Api, FakeClock, api_for, make_centre
from tests.helpers.server import ADMIN_PASSWORD
from tests.reports.scripted import ID_CARD, RESIDENCE
from tests.reports.test_console_files import page_cells

START = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
CONSULTED = OutcomeSpec(code="consulted", name_uk="Надано консультацію", name_en="Consultation")
THE_25TH = {"period": "custom", "from": "2026-11-25", "to": "2026-11-25"}

SERVED = "Обслуговано / Served"
ANOTHER = "Потрібен ще візит / Needs another visit"
DOCUMENTS = "Бракує документів / Documents missing"
REDIRECTED = "Переадресовано / Redirected"
RETIRED = "Надано консультацію (вилучено) / Consultation (retired)"
NONE = "не вказано / not recorded"
THE_25TH_BY_OUTCOME = [  # (outcome, visits, share %) in the report's order
    (SERVED, 2, 28.6),
    (ANOTHER, 1, 14.3),
    (DOCUMENTS, 1, 14.3),
    (REDIRECTED, 1, 14.3),
    (RETIRED, 1, 14.3),
    (NONE, 1, 14.3),
]


def set_outcomes(database_url: str, specs: list[OutcomeSpec]) -> None:
    db = Database(database_url)
    try:
        with db.write(None) as session:
            apply_outcomes(session, 1, specs)
    finally:
        db.dispose()


def play(api: Api, clock: FakeClock) -> None:
    def at(minute: float) -> None:
        clock.now = START + timedelta(minutes=minute)

    def ok(path: str, who: str, json: object = None) -> dict[str, Any]:
        r = api.post(path, who, json)
        assert r.status_code in (200, 201), (path, r.status_code, r.text)
        body: dict[str, Any] = r.json()
        return body

    def serve(clerk: str, counter: int, expected: int, outcome: str | None) -> None:
        called = ok(f"/api/v1/counters/{counter}/call-next", clerk)
        assert called["id"] == expected
        ok(f"/api/v1/tickets/{expected}/start", clerk)
        clock.now += timedelta(minutes=3)
        ok(f"/api/v1/tickets/{expected}/finish", clerk, {"outcome": outcome} if outcome else None)

    def issue(service_id: int) -> int:
        return int(str(api.issue(service_id)["id"]))

    at(0)
    a1, a2, a3, a4 = (issue(RESIDENCE) for _ in range(4))
    i1, i2, i3 = (issue(ID_CARD) for _ in range(3))
    api.open("clerk1", 1)
    api.open("clerk2", 3)
    at(2)
    serve("clerk2", 3, i1, "documents_missing")
    serve("clerk2", 3, i2, "consulted")
    assert ok("/api/v1/counters/3/call-next", "clerk2")["id"] == i3
    ok(f"/api/v1/tickets/{i3}/start", "clerk2")
    ok(f"/api/v1/tickets/{i3}/transfer", "clerk2", {"service_id": RESIDENCE})
    at(20)
    serve("clerk1", 1, a1, "served")
    serve("clerk1", 1, a2, "another_visit")
    serve("clerk1", 1, a3, None)
    assert ok("/api/v1/counters/1/call-next", "clerk1")["id"] == a4
    ok(f"/api/v1/tickets/{a4}/no-show", "clerk1")
    serve("clerk1", 1, i3, "redirected")
    at(7 * 60 + 50)  # 23:50 in Kyiv
    a5 = issue(RESIDENCE)
    clock.now += timedelta(minutes=5)
    serve("clerk1", 1, a5, "served")
    at(8 * 60 + 10)  # 00:10 on the 26th in Kyiv, still the 25th in UTC
    late = issue(RESIDENCE)
    serve("clerk1", 1, late, "another_visit")


@pytest.fixture(scope="module")
def evening(scripted_url: str) -> Iterator[tuple[Api, FakeClock]]:
    centre = make_centre(scripted_url)
    set_outcomes(scripted_url, [*DEFAULT_OUTCOMES, CONSULTED])
    clock = FakeClock(START)
    with api_for(scripted_url, clock, centre=centre, report_refresh_seconds=0) as api:
        play(api, clock)
        set_outcomes(scripted_url, list(DEFAULT_OUTCOMES))  # «consulted» is retired
        yield api, clock


def rows(api: Api, name: str, **params: str) -> list[dict[str, Any]]:
    r = api.client.get(f"/api/v1/reports/{name}", params=params, headers=api.as_user("admin"))
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["rows"]
    return found


def counts(found: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """{group: {outcome: visits}} in the report's order."""
    out: dict[str, dict[str, int]] = {}
    for row in found:
        out.setdefault(row["group"], {})[row["outcome"]] = row["visits"]
    return out


def test_the_day_by_outcome_names_a_retired_outcome_and_the_unrecorded(
    evening: tuple[Api, FakeClock],
) -> None:
    api, _clock = evening
    found = rows(api, "outcomes", **THE_25TH, by="total", breakdown="centre")
    assert [(r["outcome"], r["visits"], r["share"]) for r in found] == THE_25TH_BY_OUTCOME
    served = rows(api, "visitors", **THE_25TH, by="total", breakdown="centre")
    assert served[0]["served"] == sum(r["visits"] for r in found) == 7


def test_by_service_clerk_and_window_each_adds_up_to_the_visitors_served(
    evening: tuple[Api, FakeClock],
) -> None:
    api, _clock = evening
    by_service = counts(rows(api, "outcomes", **THE_25TH, by="total", breakdown="service"))
    residence, id_card = list(by_service)
    assert residence.startswith("Реєстрація")
    assert id_card.startswith("Паспорт")
    assert by_service[residence] == {
        SERVED: 2, ANOTHER: 1, DOCUMENTS: 0, REDIRECTED: 1, NONE: 1
    }  # fmt: skip
    assert by_service[id_card] == {
        SERVED: 0, ANOTHER: 0, DOCUMENTS: 1, REDIRECTED: 0, RETIRED: 1, NONE: 0
    }  # fmt: skip
    by_clerk = counts(rows(api, "outcomes", **THE_25TH, by="total", breakdown="clerk"))
    assert by_clerk == {"clerk1": by_service[residence], "clerk2": by_service[id_card]}
    by_window = counts(rows(api, "outcomes", **THE_25TH, by="total", breakdown="counter"))
    assert by_window == {"1": by_service[residence], "3": by_service[id_card]}
    for breakdown in ("centre", "service", "counter", "clerk"):
        for by in ("total", "hour"):
            visitors = rows(api, "visitors", **THE_25TH, by=by, breakdown=breakdown)
            served = {(r["period"], r["group"]): r["served"] for r in visitors if r["served"]}
            finished: dict[tuple[str, str], int] = {}
            for r in rows(api, "outcomes", **THE_25TH, by=by, breakdown=breakdown):
                key = (r["period"], r["group"])
                finished[key] = finished.get(key, 0) + r["visits"]
            assert finished == served, (breakdown, by)


def test_days_are_the_branch_s_local_days(evening: tuple[Api, FakeClock]) -> None:
    api, _clock = evening  # now 00:13 on the 26th in Kyiv, 22:13 on the 25th in UTC
    today = counts(rows(api, "outcomes", period="today", by="total", breakdown="centre"))
    assert today == {"усього / all": {SERVED: 0, ANOTHER: 1, DOCUMENTS: 0, REDIRECTED: 0, NONE: 0}}
    yesterday = rows(api, "outcomes", period="yesterday", by="total", breakdown="centre")
    assert yesterday == rows(api, "outcomes", **THE_25TH, by="total", breakdown="centre")
    hours = {
        r["period"]: r["visits"]
        for r in rows(api, "outcomes", **THE_25TH, by="hour", breakdown="centre")
        if r["outcome"] == SERVED
    }
    assert hours == {"16:00–17:00": 1, "23:00–00:00": 1}  # А001 issued 16:00, А005 at 23:50 (Kyiv)


@pytest.fixture(scope="module")
def console(evening: tuple[Api, FakeClock]) -> TestClient:
    api, _clock = evening
    assert log_in(api.client, "admin", ADMIN_PASSWORD) == 303
    return api.client


def test_the_console_page_csv_and_xlsx_show_the_counts(console: TestClient) -> None:
    params = {**THE_25TH, "by": "total", "breakdown": "centre"}
    page = page_cells(console, "/admin/reports/outcomes", params)
    assert page.head == [
        "Період / Period",
        "Центр / Centre",
        "Результат / Outcome",
        "Завершено візитів / Visits finished",
        "Частка / Share",
    ]
    period = "усього / total"
    assert page.rows == [
        [period, "усього / all", SERVED, "2", "28.6"],
        [period, "усього / all", ANOTHER, "1", "14.3"],
        [period, "усього / all", DOCUMENTS, "1", "14.3"],
        [period, "усього / all", REDIRECTED, "1", "14.3"],
        [period, "усього / all", RETIRED, "1", "14.3"],
        [period, "усього / all", NONE, "1", "14.3"],
    ]
    assert "chart-outcomes" in page.charts
    chart = console.get("/admin/reports/outcomes", params=params).text
    assert chart.count('class="bar"') == 6
    assert "Надано консультацію (вилучено): Завершено візитів / Visits finished 1" in chart

    text = console.get("/admin/reports/outcomes.csv", params=params).content.decode("utf-8")
    assert list(csv.reader(io.StringIO(text[1:]))) == [page.head, *page.rows]
    book = console.get("/admin/reports/outcomes.xlsx", params=params).content
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)][: len(page.rows)]
    assert [(r[2], r[3], r[4]) for r in values] == THE_25TH_BY_OUTCOME


def test_the_page_by_service_draws_a_series_per_service(console: TestClient) -> None:
    page = page_cells(console, "/admin/reports/outcomes", {**THE_25TH, "breakdown": "service"})
    assert len(page.rows) == 5 + 6  # residence: 4 in use + none; id-card: + the retired one
    assert sum(int(r[3]) for r in page.rows) == 7
    chart = console.get("/admin/reports/outcomes", params={**THE_25TH, "breakdown": "service"})
    # Two series over six outcomes; residence has no bar for the retired one it never had.
    assert chart.text.count('class="bar"') == 5 + 6
