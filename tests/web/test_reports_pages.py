"""The report pages in a real Chromium over a simulated morning: charts drawn, tables filled,
a CSV download with the table's numbers, switching report and grouping as a head would."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cherha.server.auth import Passwords, Role
from cherha.server.simulate import Profile, WindowPlan, prepare, simulate
from cherha.server.store.accounts import Accounts
from tests.helpers.app import FakeClock, ThreadedServer, make_app, settings_for
from tests.helpers.server import ADMIN_PASSWORD

pytestmark = pytest.mark.slow

MORNING = Profile(
    arrivals={8: 16, 9: 24, 10: 24, 11: 20},
    windows=tuple(WindowPlan(n, opens=time(8), closes=time(13)) for n in range(1, 9)),
    pause_at=time(10, 30),
    bookings=8,
    booking_hours=(time(8, 30), time(12)),
)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('sim') / 'sim.db'}"
    simulate(url, MORNING, seed=11)
    db = prepare(url)
    try:
        Accounts(db, timedelta(hours=12), passwords=Passwords.cheapest()).add_user(
            "head", ADMIN_PASSWORD, Role.HEAD
        )
    finally:
        db.dispose()
    clock = FakeClock(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # 16:00 in Kyiv
    server = ThreadedServer(make_app(settings_for(url), clock=clock)).start()
    try:
        yield server.url
    finally:
        server.stop()


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/admin")
    page.fill("input[name=username]", "head")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("form[action='/admin/login'] button[type=submit]")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "online")


def test_a_head_reads_the_reports_with_their_charts(page: Page, simulated: str) -> None:
    log_in(page, simulated)
    page.click("nav.tabs a[href='/admin/reports']")
    expect(page.locator("h1")).to_contain_text("Відвідувачі")
    page.select_option("#r-by", "hour")
    page.click("#report-filter button[type=submit]")
    chart = page.locator("svg#chart-visitors")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar").count() > 4
    expect(chart.locator("title").first).to_contain_text("Відвідувачі / Visitors")
    rows = page.locator("#report-table tbody tr")
    assert rows.count() >= 4
    expect(page.locator("#report-table thead")).to_contain_text("Tickets issued")

    page.click(".subtabs a[href='/admin/reports/waits']")
    expect(page.locator("svg#chart-waits polyline.line").first).to_be_visible()
    expect(page.locator("#report-table thead")).to_contain_text("Медіана, хв")

    page.click(".subtabs a[href='/admin/reports/arrivals']")
    cells = page.locator("svg#chart-arrivals rect.cell")
    expect(cells.first).to_be_visible()
    assert cells.count() == 7 * (page.locator("#report-table thead th").count() - 2)

    page.click(".subtabs a[href='/admin/reports/outcomes']")
    expect(page.locator("svg#chart-outcomes")).to_be_visible()
    assert page.locator("svg#chart-outcomes rect.bar").count() >= 5  # a bar per outcome
    # The simulator finishes visits without an outcome: each service's row says so.
    expect(page.locator("#report-table tbody")).to_contain_text("не вказано / not recorded")

    page.click(".subtabs a[href='/admin/reports/estimates']")
    expect(page.locator("svg#chart-estimates")).to_be_visible()
    page.select_option("#r-breakdown", "centre")
    page.click("#report-filter button[type=submit]")
    expect(page.locator("#report-table thead")).to_contain_text("Within ±5 min")


def test_the_csv_download_holds_the_table(page: Page, simulated: str, tmp_path: Path) -> None:
    log_in(page, simulated)
    page.goto(f"{simulated}/admin/reports/service_times?period=today&breakdown=service")
    table = [
        [c.strip() for c in row.locator("th, td").all_text_contents()]
        for row in page.locator("#report-table tbody tr").all()
    ]
    assert table
    with page.expect_download() as info:
        page.click("#download-csv")
    path = tmp_path / "report.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [[" ".join(c.split()) for c in r] for r in table] == rows[1:]


def test_staffing_and_open_data_pages(page: Page, simulated: str) -> None:
    log_in(page, simulated)
    page.goto(f"{simulated}/admin/reports/staffing?weekday=1")
    expect(page.locator("h1")).to_contain_text("Скільки вікон")
    expect(page.locator("#staffing-days")).to_have_text("0")  # one simulated day, no past weeks
    page.goto(f"{simulated}/open-data/")
    expect(page.locator("#open-data-files")).to_be_visible()
    expect(page.locator("#open-data-schema")).to_contain_text("wait_median_minutes")
