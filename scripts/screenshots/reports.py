"""Screenshots of the report pages for docs/reports.md (docs/img/reports-*.png).

Simulates a day at the sample centre (`cherha.server.simulate`, seed 1), serves it with the
clock at that evening, logs in as the centre head and photographs the reports in headless
Chromium. Run: ``.venv/bin/python -m scripts.screenshots.reports``.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

from cherha.server.app import create_app
from cherha.server.auth import Passwords, Role
from cherha.server.simulate import Profile, prepare, simulate
from cherha.server.store.accounts import Accounts
from tests.helpers.app import FakeClock, ThreadedServer, settings_for
from tests.helpers.server import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "img"
PAGES = {
    "reports-visitors": "/admin/reports/visitors?period=today&by=hour",
    "reports-waits": "/admin/reports/waits?period=today&by=hour",
    "reports-arrivals": "/admin/reports/arrivals?period=today",
    "reports-estimates": "/admin/reports/estimates?period=today&by=hour&breakdown=centre",
    "reports-calls": "/admin/reports/calls?period=today&by=total",
    "reports-staffing": "/admin/reports/staffing?weekday=1&weeks=4",
    "reports-open-data": "/admin/reports/open-data",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'shots.db'}"
        profile = Profile()
        for week in range(4, -1, -1):  # four past Tuesdays for the staffing advice, then the day
            day = profile.day - timedelta(weeks=week)
            simulate(url, Profile(day=day), seed=1 + week)
        db = prepare(url)
        try:
            Accounts(db, timedelta(hours=12), passwords=Passwords.cheapest()).add_user(
                "head", ADMIN_PASSWORD, Role.HEAD
            )
        finally:
            db.dispose()
        clock = FakeClock(datetime(2026, 11, 24, 18, 30, tzinfo=UTC))
        server = ThreadedServer(create_app(settings_for(url), clock=clock)).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox"]
                )
                page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="uk-UA")
                page.goto(f"{server.url}/admin")
                page.fill("input[name=username]", "head")
                page.fill("input[name=password]", ADMIN_PASSWORD)
                page.click("form[action='/admin/login'] button")
                page.wait_for_selector("#live-state[data-state=online]")
                for name, path in PAGES.items():
                    page.goto(f"{server.url}{path}")
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                page.goto(f"{server.url}/open-data/")
                page.screenshot(path=str(OUT / "open-data.png"), full_page=True)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
