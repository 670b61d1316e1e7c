"""Every console page against axe-core's WCAG 2.2 AA rules: no serious or critical finding.

axe-core comes from npm, installed by the test bootstrap (scripts/bootstrap.sh → .cache/node)
and injected by the test into the page; nothing is loaded from the internet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.demo import Desk, demo_server
from tests.web.test_admin import log_in

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("CHERHA_AXE", ROOT / ".cache/node/node_modules/axe-core/axe.min.js"))
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PAGES = ["/admin", "/admin/services", "/admin/services/new", "/admin/services/1",
         "/admin/windows", "/admin/windows/1", "/admin/hours", "/admin/hours/services/1",
         "/admin/bookings", "/admin/audit", "/admin/users", "/admin/users/1",
         "/admin/users/2", "/admin/devices",
         "/admin/reports/visitors", "/admin/reports/waits", "/admin/reports/arrivals",
         "/admin/reports/outcomes",
         "/admin/reports/staffing", "/admin/reports/open-data", "/open-data/"]  # fmt: skip


def serious_findings(page: Page) -> list[dict[str, Any]]:
    assert AXE.is_file(), f"axe-core is missing at {AXE}: run ./scripts/test (it installs it)"
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page whose CSP lets the test inject axe-core (the console allows no inline script)."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="uk-UA", bypass_csp=True
    )
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_console_pages_have_no_serious_accessibility_findings(page: Page, sqlite_url: str) -> None:
    with (
        demo_server(sqlite_url) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        for _ in range(3):
            desk.issue(1)
        desk.open("clerk1", 1)
        served = desk.call_next("clerk1", 1)["id"]  # finished with an outcome: its report
        desk.act("clerk1", served, "start")
        finished = desk.http.post(
            f"/api/v1/tickets/{served}/finish",
            json={"outcome": "documents_missing"},
            headers=desk.as_user("clerk1"),
        )
        assert finished.status_code == 200, finished.text
        desk.call_next("clerk1", 1)
        desk.http.post(
            "/api/v1/devices/me/status",
            json={"printer": "paper_out"},
            headers={"Authorization": f"Bearer {centre.kiosk_key}"},
        )
        findings: dict[str, list[dict[str, Any]]] = {}
        page.goto(f"{server.url}/admin")
        findings["/admin (login)"] = serious_findings(page)
        log_in(page, server.url)
        for path in PAGES:
            shown = page.goto(f"{server.url}{path}")
            assert shown is not None, path
            assert shown.status == 200, path
            findings[path] = serious_findings(page)
        # The pause dialog open, then the console while paused (the red bar).
        page.goto(f"{server.url}/admin")
        page.click("#pause-button")
        expect(page.locator("#pause-dialog")).to_be_visible()
        findings["pause dialog"] = serious_findings(page)
        page.click("#pause-confirm")
        expect(page.locator("#resume-button")).to_be_visible()
        findings["paused"] = serious_findings(page)
    assert {k: v for k, v in findings.items() if v} == {}
    # The check itself finds what it should: an image without a text alternative is critical.
    page.set_content(
        '<html lang="uk"><head><title>t</title></head><body><main><img src="data:,"></main></body></html>'
    )
    assert [f["id"] for f in serious_findings(page)] == ["image-alt"]
