"""The console's report pages, and their CSV and XLSX downloads holding the numbers the page
shows, cell for cell, for every report and several groupings of the scripted morning."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.admin.test_console_access import log_in
from tests.helpers.app import Api, FakeClock
from tests.helpers.server import ADMIN_PASSWORD
from tests.reports.scripted import Day

pytestmark = pytest.mark.usefixtures("morning")


class TableCells(HTMLParser):
    """The text of every cell of the table with id report-table, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.depth = 0
        self.section = ""
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.charts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "svg":
            self.charts.append(found.get("id") or "")
        if tag == "table" and found.get("id") == "report-table":
            self.inside = True
        if not self.inside:
            return
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section == "tbody":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            (self.head if self.section == "thead" else self.rows[-1]).append(text)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def console(morning: tuple[Api, FakeClock, Day]) -> TestClient:
    api, _clock, _day = morning
    assert log_in(api.client, "admin", ADMIN_PASSWORD) == 303
    return api.client


def page_cells(client: TestClient, path: str, params: dict[str, str]) -> TableCells:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    parsed = TableCells()
    parsed.feed(r.text)
    return parsed


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


CASES = [
    ("visitors", {"period": "today", "by": "total"}),
    ("visitors", {"period": "today", "by": "hour", "breakdown": "service"}),
    ("waits", {"period": "today", "by": "hour"}),
    ("waits", {"period": "this_week", "by": "day", "breakdown": "counter"}),
    ("service_times", {"period": "today", "breakdown": "clerk"}),
    ("bookings", {"period": "today"}),
    ("calls", {"period": "today", "by": "total"}),
    ("pauses", {"period": "today", "breakdown": "counter"}),
    ("arrivals", {"period": "this_month"}),
    ("estimates", {"period": "today"}),
    ("outcomes", {"period": "today"}),
    ("outcomes", {"period": "today", "by": "hour", "breakdown": "clerk"}),
    ("estimates", {"period": "custom", "from": "2026-11-01", "to": "2026-11-30", "by": "weekday"}),
]


@pytest.mark.parametrize(("name", "params"), CASES)
def test_csv_and_xlsx_hold_the_numbers_the_page_shows(
    console: TestClient, name: str, params: dict[str, str]
) -> None:
    page = page_cells(console, f"/admin/reports/{name}", params)

    r = console.get(f"/admin/reports/{name}.csv", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == page.head
    assert rows[1:] == page.rows

    x = console.get(f"/admin/reports/{name}.xlsx", params=params)
    assert x.status_code == 200
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [as_text(v) for v in values[0]] == page.head
    body = values[1 : 1 + len(page.rows)]
    assert len(body) == len(page.rows)
    for sheet_row, page_row in zip(body, page.rows, strict=True):
        assert len(sheet_row) == len(page_row)
        for value, shown in zip(sheet_row, page_row, strict=True):
            if isinstance(value, int | float):  # a number cell: the same number as shown
                assert float(shown) == value, (sheet_row, page_row)
            else:
                assert as_text(value) == shown, (sheet_row, page_row)
    if page.rows:
        assert f"chart-{name}" in page.charts


def test_the_waits_page_draws_its_line_and_shows_the_known_numbers(console: TestClient) -> None:
    page = page_cells(console, "/admin/reports/waits", {"period": "today", "by": "total"})
    assert page.rows == [
        ["усього / total", "усього / all", "9", "8.3", "5.0", "18.0", "26.0", "60.0"]
    ]
    hourly = console.get("/admin/reports/waits", params={"period": "today", "by": "hour"}).text
    assert 'class="line"' in hourly or 'class="bar"' in hourly
    assert 'id="chart-waits"' in hourly


def test_a_bad_period_on_the_page_says_why_and_changes_nothing(console: TestClient) -> None:
    r = console.get(
        "/admin/reports/waits",
        params={"period": "custom", "from": "2026-12-01", "to": "2026-11-01"},
    )
    assert r.status_code == 422
    assert "Кінець періоду раніше за його початок" in r.text
    assert "The period ends before it starts" in r.text
    assert console.get("/admin/reports/nonsense").status_code == 404


def test_staffing_page_and_api(console: TestClient, morning: tuple[Api, FakeClock, Day]) -> None:
    api, _clock, _day = morning
    page = console.get("/admin/reports/staffing", params={"weekday": "1", "weeks": "2"})
    assert page.status_code == 200
    assert "Скільки вікон відкривати" in page.text
    body = api.client.get(
        "/api/v1/reports/staffing", params={"weekday": 1}, headers=api.as_user("admin")
    ).json()
    assert body["weekday"] == 1
    assert body["share"] == 0.8
    bad = api.client.get(
        "/api/v1/reports/staffing", params={"weekday": 9}, headers=api.as_user("admin")
    )
    assert bad.status_code == 422
