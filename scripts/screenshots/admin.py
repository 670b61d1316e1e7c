"""Screenshots of the administrator console for docs/admin.md (docs/img/admin-*.png).

Starts the sample centre in-process, makes a busy morning (tickets, clerks at windows, a
kiosk's printer out of paper, a booking), logs in as the administrator and photographs each
page in headless Chromium. Run: ``.venv/bin/python -m scripts.screenshots.admin``.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

from tests.helpers.server import ADMIN_PASSWORD
from tests.web.demo import Desk, demo_server

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "img"
PAGES = {
    "admin-floor": "/admin",
    "admin-services": "/admin/services",
    "admin-service": "/admin/services/1",
    "admin-windows": "/admin/windows",
    "admin-hours": "/admin/hours",
    "admin-users": "/admin/users",
    "admin-devices": "/admin/devices",
    "admin-audit": "/admin/audit",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'shots.db'}"
        with demo_server(url) as (server, centre), Desk(server.url, centre.kiosk_key) as desk:
            for service in (1, 1, 2, 3, 1, 4, 2, 1, 5, 1, 3, 1):
                desk.issue(service)
            for clerk, window in (("clerk1", 1), ("clerk2", 2), ("clerk3", 3)):
                desk.open(clerk, window)
                desk.next(clerk, window)
            desk.http.post(
                "/api/v1/devices/me/status",
                json={"printer": "paper_out", "message": "закінчився папір"},
                headers={"Authorization": f"Bearer {centre.kiosk_key}"},
            )
            day = datetime.now(ZoneInfo("Europe/Kyiv")).date() + timedelta(days=1)
            slots = desk.http.get(
                "/api/v1/services/1/slots", params={"date": day.isoformat()}
            ).json()
            start = next(s["start"] for s in slots if s["free"] and s["start"][11:13] == "10")
            desk.http.post(
                "/api/v1/bookings",
                json={"service_id": 1, "start": start, "name": "Олена Петренко",
                      "phone": "+380671234567"},
            )  # fmt: skip
            desk.pause("Повітряна тривога / Air-raid alert")
            desk.resume()
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox"]
                )
                page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="uk-UA")
                page.goto(f"{server.url}/admin")
                page.screenshot(path=str(OUT / "admin-login.png"))
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", ADMIN_PASSWORD)
                page.click("form[action='/admin/login'] button")
                page.wait_for_selector("#live-state[data-state=online]")
                for name, path in PAGES.items():
                    page.goto(f"{server.url}{path}")
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                page.goto(f"{server.url}/admin/bookings?day={day.isoformat()}")
                page.screenshot(path=str(OUT / "admin-bookings.png"), full_page=True)
                page.goto(f"{server.url}/admin")
                page.click("#pause-button")
                page.screenshot(path=str(OUT / "admin-pause-dialog.png"))
                page.click("#pause-confirm")
                page.wait_for_selector("#resume-button")
                page.screenshot(path=str(OUT / "admin-paused.png"))
                page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
                page.goto(f"{server.url}/admin")
                page.screenshot(path=str(OUT / "admin-tablet.png"))
                browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
