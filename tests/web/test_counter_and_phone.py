"""The window display and the ticket page on a phone, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.checks import axe_violations, clipped, overlapping, too_small
from tests.web.conftest import TIMEOUT_MS, ShortAudio
from tests.web.demo import Desk, demo_server

pytestmark = pytest.mark.slow


def test_the_window_display_shows_the_ticket_called_to_its_window(
    page: Page, short_audio: ShortAudio, sqlite_url: str, cache_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        desk.issue(1)
        desk.issue(1)
        desk.issue(3)
        page.goto(f"{server.url}/display/counters/1")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        expect(page.locator("body")).to_have_attribute("data-state", "closed")
        desk.open("clerk1", 1)
        expect(page.locator("body")).to_have_attribute("data-state", "idle")

        a001 = desk.call_next("clerk1", 1)
        expect(page.locator("#number")).to_have_text("А001")
        expect(page.locator("body")).to_have_attribute("data-state", "called")
        expect(page.locator("#state-text")).to_contain_text("Запрошуємо")
        page.wait_for_function(
            "() => (window.cherhaAnnouncements || []).length === 1", timeout=TIMEOUT_MS
        )

        # Another window's call does not touch this display.
        desk.open("clerk3", 3)
        desk.call_next("clerk3", 3)
        desk.act("clerk1", a001["id"], "start")
        expect(page.locator("body")).to_have_attribute("data-state", "serving")
        expect(page.locator("#number")).to_have_text("А001")
        desk.act("clerk1", a001["id"], "finish")
        expect(page.locator("body")).to_have_attribute("data-state", "idle")
        desk.call_next("clerk1", 1)
        expect(page.locator("#number")).to_have_text("А002")
        assert page.evaluate("() => window.cherhaAnnouncements.length") == 2


def test_the_phone_page_turns_to_go_to_window_when_its_ticket_is_called(
    browser: Browser, sqlite_url: str, cache_dir: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="uk-UA"
    )
    context.set_default_timeout(TIMEOUT_MS)
    ShortAudio(context)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        with (
            demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
            Desk(server.url, centre.kiosk_key) as desk,
        ):
            desk.issue(1)
            mine = desk.issue(1)
            # The QR on the ticket: /t/<public token> (the test server has no public address).
            assert mine["status_url"].endswith(f"/t/{mine['public_token']}")
            phone.goto(f"{server.url}/t/{mine['public_token']}")
            body = phone.locator("body")
            expect(body).to_have_attribute("data-status", "waiting")
            expect(phone.locator("#number")).to_have_text("А002")
            expect(phone.locator("#ahead")).to_have_text("1")
            expect(body).to_have_attribute("data-connection", "online")

            desk.open("clerk1", 1)
            first = desk.call_next("clerk1", 1)  # А001: the person ahead
            expect(phone.locator("#ahead")).to_have_text("0")
            expect(body).to_have_attribute("data-status", "waiting")

            desk.act("clerk1", first["id"], "start")
            desk.act("clerk1", first["id"], "finish")
            called = desk.call_next("clerk1", 1)
            assert called["number"] == "А002"
            expect(body).to_have_attribute("data-status", "called")
            expect(phone.locator(".state-called")).to_be_visible()
            expect(phone.locator("#called-window")).to_have_text("1")
            expect(phone.locator(".state-called")).to_contain_text("Please go to window 1")
            phone.wait_for_function("() => window.cherhaAlerts.length >= 1", timeout=TIMEOUT_MS)
            assert "Вікно 1" in phone.title()

            desk.act("clerk1", called["id"], "start")
            expect(body).to_have_attribute("data-status", "serving")
            desk.act("clerk1", called["id"], "finish")
            expect(body).to_have_attribute("data-status", "done")
            expect(phone.locator(".state-done")).to_contain_text("Дякуємо")
            expect(phone.locator(".state-done")).to_contain_text("Thank you")
    finally:
        context.close()
    assert not errors, errors


def test_the_phone_page_follows_by_polling_where_display_keys_are_required(
    browser: Browser, sqlite_url: str, cache_dir: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA")
    context.set_default_timeout(15_000)
    ShortAudio(context)
    phone = context.new_page()
    try:
        with (
            demo_server(sqlite_url, cache_dir=cache_dir, require_display_key=True) as (
                server,
                centre,
            ),
            Desk(server.url, centre.kiosk_key) as desk,
        ):
            mine = desk.issue(1)
            phone.goto(f"{server.url}/t/{mine['public_token']}")
            expect(phone.locator("body")).to_have_attribute("data-status", "waiting")
            desk.open("clerk1", 1)
            desk.call_next("clerk1", 1)
            # Polled every 5 s: within 15 s on a busy machine.
            expect(phone.locator("body")).to_have_attribute("data-status", "called", timeout=15_000)
            expect(phone.locator("#called-window")).to_have_text("1")
    finally:
        context.close()


def test_a_display_key_is_passed_on_to_the_api_and_the_stream(
    page: Page, short_audio: ShortAudio, sqlite_url: str, cache_dir: Path
) -> None:
    with (
        demo_server(sqlite_url, cache_dir=cache_dir, require_display_key=True) as (
            server,
            centre,
        ),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        response = page.goto(f"{server.url}/display")
        assert response is not None
        assert response.status == 401
        expect(page.locator("h1")).to_have_text("Потрібен ключ дисплея")

        response = page.goto(f"{server.url}/display?key=wrong-key")
        assert response is not None
        assert response.status == 403

        page.goto(f"{server.url}/display?key={centre.display_key}")
        expect(page.locator("body")).to_have_attribute("data-connection", "online")
        desk.issue(1)
        desk.open("clerk1", 1)
        desk.call_next("clerk1", 1)
        expect(page.locator('#calls li[data-number="А001"]')).to_be_visible()
        page.wait_for_function("() => window.cherhaAnnouncements.length === 1", timeout=TIMEOUT_MS)


def test_a_window_on_a_break_sends_its_visitors_to_the_nearest_open_one(
    page: Page, sqlite_url: str, cache_dir: Path
) -> None:
    """Windows 3 and 4 both serve passports: window 3 on a break points to 4; when 4 closes
    too there is nowhere to send anyone, and when 3 opens again it waits for a call. On a 24″
    1280×720 monitor read from 4 m (the sample's setting) every line is whole and large enough."""
    page.set_viewport_size({"width": 1280, "height": 720})
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        desk.open("clerk3", 3)
        desk.open("clerk4", 4)
        desk.open("clerk2", 2)  # serves none of window 3's services
        page.goto(f"{server.url}/display/counters/3")
        body = page.locator("body")
        expect(body).to_have_attribute("data-state", "idle")
        expect(page.locator("#go")).to_be_hidden()

        r = desk.http.post("/api/v1/counters/3/pause", headers=desk.as_user("clerk3"))
        assert r.status_code == 200, r.text
        assert r.json()["go_instead"] == [4]
        expect(body).to_have_attribute("data-state", "paused")
        expect(page.locator("#state-text")).to_contain_text("Перерва")
        expect(page.locator("#go")).to_be_visible()
        expect(page.locator("#go-windows")).to_have_text("4")
        expect(page.locator("#go")).to_contain_text("Зверніться до вікна")
        expect(page.locator("#go")).to_contain_text("Please go to window 4")
        assert axe_violations(page) == []
        assert page.locator("body").get_attribute("data-legibility") == "full"
        assert too_small(page, 24, 4) == []
        assert clipped(page) == []
        assert overlapping(page) == []

        # Window 4 closes: a change elsewhere reaches this display too.
        r = desk.http.post("/api/v1/counters/4/close", headers=desk.as_user("clerk4"))
        assert r.status_code == 200, r.text
        expect(page.locator("#go")).to_be_hidden()
        expect(page.locator("#state-text")).to_contain_text("Перерва")

        desk.open("clerk3", 3)
        expect(body).to_have_attribute("data-state", "idle")
        expect(page.locator("#number")).to_be_visible()


def test_the_phone_page_says_why_service_is_paused_and_shows_the_server_s_time(
    browser: Browser, sqlite_url: str, cache_dir: Path
) -> None:
    """A phone in another zone with a wrong clock: «updated» is the server's time in Kyiv."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="uk-UA",
        timezone_id="Asia/Tokyo",
    )
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    phone.clock.set_system_time(datetime.now(UTC) + timedelta(hours=5, minutes=41))
    try:
        with (
            demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
            Desk(server.url, centre.kiosk_key) as desk,
        ):
            mine = desk.issue(1)
            phone.goto(f"{server.url}/t/{mine['public_token']}")
            expect(phone.locator("body")).to_have_attribute("data-status", "waiting")
            expect(phone.locator("#banner")).to_be_hidden()
            expect(phone.locator("#updated")).not_to_be_empty()
            kyiv = ZoneInfo("Europe/Kyiv")
            expected = {
                (datetime.now(kyiv) - timedelta(seconds=s)).strftime("%H:%M") for s in (0, 5)
            }
            assert phone.locator("#updated").inner_text()[:5] in expected
            assert axe_violations(phone) == []

            desk.pause("повітряна тривога")
            expect(phone.locator("#banner")).to_be_visible()
            expect(phone.locator("#banner")).to_contain_text(
                "Обслуговування призупинено: повітряна тривога."
            )
            expect(phone.locator("#banner")).to_contain_text(
                "Service is paused (повітряна тривога)"
            )
            expect(phone.locator("#banner")).to_contain_text("Ваше місце в черзі збережено")
            assert axe_violations(phone) == []
            desk.resume()
            expect(phone.locator("#banner")).to_be_hidden()

            desk.open("clerk1", 1)
            desk.call_next("clerk1", 1)
            expect(phone.locator("body")).to_have_attribute("data-status", "called")
            assert axe_violations(phone) == []
    finally:
        context.close()
