"""The window display and the ticket page on a phone, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import TIMEOUT_MS
from tests.web.demo import Desk, demo_server

pytestmark = pytest.mark.slow


def test_the_window_display_shows_the_ticket_called_to_its_window(
    page: Page, sqlite_url: str, cache_dir: Path
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
    page: Page, sqlite_url: str, cache_dir: Path
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
