"""The administrator console in a real Chromium against a real server, driven as a centre's
administrator would: log in, pause for an air-raid alert, edit the set-up, watch the floor."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from cherha.server.auth import Role
from cherha.server.store.accounts import Accounts
from cherha.server.store.db import Database
from tests.helpers.app import Centre, ThreadedServer
from tests.helpers.server import ADMIN_PASSWORD
from tests.web.demo import Desk, demo_server

pytestmark = pytest.mark.slow

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture
def console(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[ThreadedServer, Centre, Desk]]:
    with (
        demo_server(sqlite_url, cache_dir=tmp_path / "audio") as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        yield server, centre, desk


def log_in(page: Page, base_url: str, user: str = "admin", password: str = ADMIN_PASSWORD) -> None:
    page.goto(f"{base_url}/admin")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form[action='/admin/login'] button[type=submit]")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "online")


def test_pause_for_an_air_raid_alert_reaches_the_hall_display_and_resume(
    page: Page, browser: Browser, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, _desk = console
    log_in(page, server.url)
    hall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    hall.goto(f"{server.url}/display")
    expect(hall.locator("body")).to_have_attribute("data-connection", "online")
    expect(hall.locator("#banner")).to_be_hidden()

    page.click("#pause-button")
    expect(page.locator("#pause-dialog")).to_be_visible()
    page.check("input[name=reason][value=air_raid]")
    page.click("#pause-confirm")
    expect(page.locator("#pause-bar")).to_contain_text("ЦЕНТР ПРИЗУПИНЕНО")
    expect(page.locator("#pause-bar")).to_contain_text("Повітряна тривога")
    expect(hall.locator("#banner")).to_be_visible()
    expect(hall.locator("#banner")).to_contain_text("Повітряна тривога")
    # The control is on every page of the console.
    page.click("a[href='/admin/services']")
    expect(page.locator("#resume-button")).to_be_visible()

    page.click("#resume-button")
    page.click("#resume-confirm")
    expect(page.locator("#pause-button")).to_be_visible()
    expect(hall.locator("#banner")).to_contain_text("Обслуговування відновлено")
    hall.context.close()


def test_other_as_a_reason_needs_its_text(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, desk = console
    log_in(page, server.url)
    page.click("#pause-button")
    page.check("input[name=reason][value=other]")
    page.fill("#pause-other", "Пожежна тривога")
    page.click("#pause-confirm")
    expect(page.locator("#pause-bar")).to_contain_text("Пожежна тривога")
    board = desk.http.get("/api/v1/branch").json()
    assert board["paused"] is True


def test_a_service_added_in_the_console_takes_tickets_through_the_api(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, desk = console
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/services/new")
    page.fill("#code", "pensions")
    page.fill("#prefix", "A")  # taken by «residence»: refused, with the reason on the form
    page.fill("#name_uk", "Пенсійні питання")
    page.fill("#wait_target_minutes", "15")
    page.click("#save")
    expect(page.locator("#form-errors")).to_contain_text("Префікс «A» уже має послуга")
    page.fill("#prefix", "Р")
    page.click("#save")
    expect(page.locator("#services tr[data-code=pensions]")).to_contain_text("Пенсійні питання")

    page.goto(f"{server.url}/admin/windows/new")
    page.fill("#number", "9")
    page.check("label:has-text('Пенсійні питання') input")
    page.click("#save")
    expect(page.locator("#windows-table tr[data-number='9']")).to_be_visible()

    services = desk.http.get("/api/v1/services").json()
    pensions = next(s for s in services if s["code"] == "pensions")
    ticket = desk.issue(pensions["id"])
    assert ticket["number"] == "Р001"


def test_a_printer_fault_and_a_call_show_on_the_floor_without_reload(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, centre, desk = console
    log_in(page, server.url)
    expect(page.locator("#alerts")).to_have_attribute("data-count", "0")
    started = time.monotonic()
    r = desk.http.post(
        "/api/v1/devices/me/status",
        json={"printer": "paper_out", "message": "кінчився папір"},
        headers={"Authorization": f"Bearer {centre.kiosk_key}"},
    )
    assert r.status_code == 204
    expect(page.locator("#alerts li[data-kind=printer]")).to_be_visible(timeout=2000)
    assert time.monotonic() - started < 2.0
    expect(page.locator("#alerts li[data-kind=printer]")).to_contain_text("kiosk-1")

    desk.issue(1)
    desk.open("clerk1", 1)
    called = desk.call_next("clerk1", 1)
    expect(page.locator("#windows li[data-number='1'] .ticket")).to_have_text(called["number"])
    expect(page.locator("#t-issued")).to_have_text("1")
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1


def test_a_holiday_shows_in_the_next_fourteen_days(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, _desk = console
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/hours")
    tomorrow = datetime.now(KYIV).date() + timedelta(days=1)
    expect(page.locator(f"#preview li[data-day='{tomorrow}']")).not_to_have_class("closed")
    page.fill("#h-date", tomorrow.isoformat())
    page.fill("#h-note", "День Незалежності")
    page.click("#add-holiday")
    expect(page.locator(f"#preview li[data-day='{tomorrow}']")).to_contain_text("зачинено")
    expect(page.locator(f"#holidays tr[data-day='{tomorrow}']")).to_contain_text(
        "День Незалежності"
    )
    page.fill("#day-mon", "09:00-13:00, 25:00-26:00")
    page.click("#save-hours")
    expect(page.locator("#form-errors")).to_be_visible()


def test_a_booking_cancelled_with_a_reason_tells_the_visitor(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, desk = console
    day = datetime.now(KYIV).date() + timedelta(days=2)
    slots = desk.http.get("/api/v1/services/1/slots", params={"date": day.isoformat()}).json()
    start = next(s["start"] for s in slots if s["free"] and s["start"][11:13] == "10")
    phone = "+380671234567"
    r = desk.http.post(
        "/api/v1/bookings",
        json={"service_id": 1, "start": start, "name": "Олена Петренко", "phone": phone},
    )
    assert r.status_code == 201, r.text
    code = r.json()["code"]

    log_in(page, server.url)
    page.goto(f"{server.url}/admin/bookings?day={day}")
    row = page.locator(f"#bookings tr[data-code='{code}']")
    expect(row).to_contain_text("Олена Петренко")
    expect(row).to_contain_text("+380 ** *** 45 67")
    page.goto(f"{server.url}/admin/bookings?q=0671234567")
    expect(row).to_be_visible()
    row.locator("button[data-open]").click()
    row.locator("input[name=reason]").fill("Захворів працівник")
    row.locator("button.danger").click()
    expect(page.locator(f"#bookings tr[data-code='{code}']")).to_have_attribute(
        "data-state", "cancelled"
    )
    seen = desk.http.get(f"/api/v1/bookings/{code}", params={"phone": phone}).json()
    assert seen["status"] == "cancelled"
    assert seen["cancel_reason"] == "Захворів працівник"
    again = desk.http.post(f"/api/v1/bookings/{code}/cancel", json={"phone": phone}).json()
    assert "Захворів працівник" in again["message"]


def test_a_short_name_set_in_the_console_is_what_the_hall_display_shows(
    page: Page, browser: Browser, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, _desk = console
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/services/1")
    expect(page.locator("#short_name_uk")).to_have_value("Реєстрація місця проживання")
    expect(page.locator("#short_name_en")).to_have_value("Residence registration")
    page.fill("#short_name_uk", "Місце проживання")
    page.fill("#short_name_en", "Residence")
    page.click("#save")
    expect(page.locator("#services tr[data-code=residence]")).to_be_visible()

    hall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    hall.goto(f"{server.url}/display")
    name = hall.locator("#services li.service[data-service-id='1'] .svc-name")
    expect(name.locator(".uk")).to_have_text("Місце проживання")
    expect(name.locator(".en")).to_have_text("Residence")
    hall.context.close()

    page.goto(f"{server.url}/admin/audit")
    row = page.locator("#audit tr[data-action=service_changed]")
    expect(row).to_contain_text("service:residence")
    row.locator("summary").click()
    expect(row).to_contain_text("Реєстрація місця проживання")  # before
    expect(row).to_contain_text("Місце проживання")  # after


def test_the_audit_shows_pauses_and_set_up_changes_by_person(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, desk = console
    desk.pause("Знеструмлення / Power cut")
    desk.resume()
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/windows/1")
    page.fill("#name_uk", "Вікно реєстрації")
    page.click("#save")
    page.goto(f"{server.url}/admin/audit")
    audit = page.locator("#audit")
    expect(audit.locator("tr[data-action=branch_paused]")).to_contain_text("Знеструмлення")
    expect(audit.locator("tr[data-action=window_changed]")).to_contain_text("window:1")
    audit.locator("tr[data-action=window_changed] summary").click()
    expect(audit.locator("tr[data-action=window_changed]")).to_contain_text("Вікно реєстрації")
    page.fill("#a-person", "nobody")
    page.click("#audit-filter button")
    expect(page.locator("#audit")).to_contain_text("За цей день записів немає")


def test_a_device_added_in_the_console_shows_its_key_once_and_it_works(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, desk = console
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/devices")
    page.fill("#d-name", "kiosk-hall-2")
    page.click("#add-device")
    key = page.locator("#device-key").inner_text().strip()
    expect(page.locator("#device-config")).to_contain_text(f"CHERHA_DEVICE_KEY={key}")
    expect(page.locator("#new-key img")).to_be_visible()
    r = desk.http.post(
        "/api/v1/tickets", json={"service_id": 1}, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.status_code == 201
    page.goto(f"{server.url}/admin/devices")
    expect(page.locator("#device-key")).to_have_count(0)
    expect(page.locator("#devices tr[data-name=kiosk-hall-2]")).to_contain_text("хв")
    # Renamed, the same key keeps working.
    row = page.locator("#devices tr[data-name=kiosk-hall-2]")
    row.locator("input[name=name]").fill("kiosk-entrance")
    row.locator("form.rename button").click()
    expect(page.locator("#devices tr[data-name=kiosk-entrance]")).to_be_visible()
    r = desk.http.post(
        "/api/v1/tickets", json={"service_id": 1}, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.status_code == 201
    page.goto(f"{server.url}/admin/audit")
    expect(page.locator("#audit tr[data-action=device_renamed]")).to_contain_text("kiosk-entrance")


def test_the_centre_head_runs_the_floor_but_not_users_or_devices(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, centre, _desk = console
    db = Database(centre.database_url)
    try:
        Accounts(db, timedelta(hours=1)).add_user("head", "head-pass-1", Role.HEAD)
    finally:
        db.dispose()
    log_in(page, server.url, "head", "head-pass-1")
    expect(page.locator("nav.tabs")).not_to_contain_text("Користувачі")
    assert page.goto(f"{server.url}/admin/users").status == 403  # type: ignore[union-attr]
    assert page.goto(f"{server.url}/admin/devices").status == 403  # type: ignore[union-attr]
    assert page.goto(f"{server.url}/admin/services").status == 200  # type: ignore[union-attr]


def test_logging_out_ends_the_session(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, _desk = console
    log_in(page, server.url)
    cookie = next(c for c in page.context.cookies() if c["name"] == "cherha_console")
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"
    assert cookie["expires"] > 0
    assert cookie["path"] == "/admin"
    page.click("header form[action='/admin/logout'] button")
    expect(page.locator("input[name=username]")).to_be_visible()
    stale = httpx.get(
        f"{server.url}/admin/floor/live", cookies={"cherha_console": cookie["value"]}, timeout=10
    )
    assert stale.status_code == 401
