"""The hall display in a real browser against a real server."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.helpers.server import ServerProcess, prepare_database
from tests.web.conftest import TIMEOUT_MS
from tests.web.demo import Desk, demo_server

pytestmark = pytest.mark.slow


def announcements(page: Page) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = page.evaluate(
        "() => (window.cherhaAnnouncements || []).map(i => ({number: i.number, window: i.window,"
        " state: i.state, eventId: i.eventId, startedAt: i.startedAt || null,"
        " endedAt: i.endedAt || null}))"
    )
    return items


def open_hall(page: Page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/display{query}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("body")).to_have_attribute("data-connection", "online")


def test_a_call_made_through_the_api_shows_and_is_queued_for_announcement(
    page: Page, sqlite_url: str, cache_dir: Path
) -> None:
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        open_hall(page, server.url)
        expect(page.locator("#calls-empty")).to_be_visible()
        desk.issue(1)
        desk.open("clerk1", 1)
        called = desk.call_next("clerk1", 1)

        row = page.locator('#calls li[data-number="А001"]')
        expect(row).to_be_visible()
        expect(row).to_have_attribute("data-window", "1")
        expect(row).to_have_class("call fresh newest")
        page.wait_for_function(
            "() => (window.cherhaAnnouncements || []).some(i => i.number === 'А001' && i.window === 1)",
            timeout=TIMEOUT_MS,
        )
        # The waiting count of service A follows (the board is re-read after the call).
        expect(page.locator('#services li[data-service-id="1"] .svc-count')).to_have_text("0")

        # A recall is announced again; the ticket keeps one row, on top.
        desk.act("clerk1", called["id"], "recall")
        page.wait_for_function(
            "() => window.cherhaAnnouncements.filter(i => i.number === 'А001').length === 2",
            timeout=TIMEOUT_MS,
        )
        expect(page.locator('#calls li[data-number="А001"]')).to_have_count(1)
        expect(page.locator('#calls li[data-number="А001"]')).to_have_class(
            "call recall fresh newest"
        )


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920)])
def test_numbers_are_large_enough_to_read_from_ten_metres(
    page: Page, sqlite_url: str, cache_dir: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        for service in (1, 3, 3):
            desk.issue(service, priority=service == 3)
        desk.open("clerk1", 1)
        desk.open("clerk3", 3)
        desk.call_next("clerk1", 1)
        desk.call_next("clerk3", 3)
        open_hall(page, server.url)
        expect(page.locator("#calls li")).to_have_count(2)
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('#calls .call-number')].map(n => {"
            " const r = n.getBoundingClientRect(); const li = n.closest('li').getBoundingClientRect();"
            " return {font: parseFloat(getComputedStyle(n).fontSize), right: r.right,"
            " arrow: n.nextElementSibling.getBoundingClientRect().left, liRight: li.right,"
            " vh: innerHeight, vw: innerWidth}; })"
        )
        for s in sizes:
            assert s["font"] >= 0.08 * s["vh"], s
            assert s["right"] <= s["arrow"], f"the number runs into the arrow: {s}"
            assert s["liRight"] <= s["vw"], s
        # Nothing scrolls: the page fits the screen.
        assert page.evaluate(
            "() => document.documentElement.scrollHeight <= innerHeight"
            " && document.documentElement.scrollWidth <= innerWidth"
        )
        expect(page.locator(".legend")).to_contain_text("пільгова черга")


def test_two_calls_at_once_are_both_shown_and_announced_in_order(
    page: Page, sqlite_url: str, cache_dir: Path
) -> None:
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        desk.issue(1)
        desk.issue(3)
        desk.open("clerk1", 1)
        desk.open("clerk3", 3)
        open_hall(page, server.url)

        start = threading.Barrier(2)
        called: dict[int, dict[str, Any]] = {}

        headers = {c: desk.as_user(c) for c in ("clerk1", "clerk3")}

        def call(clerk: str, counter: int) -> None:
            with httpx.Client(base_url=server.url, timeout=15) as own:
                start.wait(timeout=10)
                r = own.post(f"/api/v1/counters/{counter}/call-next", headers=headers[clerk])
                called[counter] = r.json()

        threads = [threading.Thread(target=call, args=a) for a in (("clerk1", 1), ("clerk3", 3))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert set(called) == {1, 3}

        expect(page.locator('#calls li[data-number="А001"]')).to_be_visible()
        expect(page.locator('#calls li[data-number="В001"]')).to_be_visible()
        page.wait_for_function(
            "() => (window.cherhaAnnouncements || []).length === 2", timeout=TIMEOUT_MS
        )
        items = announcements(page)
        # Queued in the order the calls were made (event order), neither replacing the other.
        assert [i["eventId"] for i in items] == sorted(i["eventId"] for i in items)
        assert {(i["number"], i["window"]) for i in items} == {("А001", 1), ("В001", 3)}
        # The newer call is on top; both are highlighted as new.
        first = page.locator("#calls li.newest")
        expect(first).to_have_attribute("data-number", items[1]["number"])
        expect(page.locator("#calls li.fresh")).to_have_count(2)
        # One player: the second announcement starts after the first one ends.
        page.wait_for_function(
            "() => window.cherhaAnnouncements.every(i => i.state === 'done')", timeout=40_000
        )
        done = announcements(page)
        assert done[1]["startedAt"] >= done[0]["endedAt"]


def test_pause_and_resume_banners(page: Page, sqlite_url: str, cache_dir: Path) -> None:
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        open_hall(page, server.url)
        expect(page.locator("#banner")).to_be_hidden()
        desk.pause("повітряна тривога")
        expect(page.locator("#banner")).to_be_visible()
        expect(page.locator("#banner")).to_contain_text("повітряна тривога")
        expect(page.locator("#banner")).to_contain_text("місце в черзі збережено")
        desk.resume()
        expect(page.locator("#banner")).to_contain_text("Обслуговування відновлено")
        # A display opened during a pause shows it from the board.
        desk.pause("")
        page.reload()
        expect(page.locator("#banner.paused")).to_be_visible()


def test_date_and_time_in_the_branch_timezone(page: Page, sqlite_url: str, cache_dir: Path) -> None:
    with demo_server(sqlite_url, cache_dir=cache_dir) as (server, _centre):
        open_hall(page, server.url)
        expected = page.evaluate(
            "() => new Intl.DateTimeFormat('uk-UA', {timeZone: 'Europe/Kyiv', hour: '2-digit',"
            " minute: '2-digit', hour12: false}).format(new Date())"
        )
        # The page's clock follows the server's (TV clocks drift); here both are this machine's.
        page.wait_for_function(
            f"() => document.getElementById('time').textContent.slice(0, 2) === '{expected[:2]}'",
            timeout=TIMEOUT_MS,
        )
        weekday = page.evaluate(
            "() => new Intl.DateTimeFormat('uk-UA', {timeZone: 'Europe/Kyiv', weekday: 'long'})"
            ".format(new Date())"
        )
        expect(page.locator("#date")).to_contain_text(weekday)


def test_a_display_reconnects_after_a_server_restart_and_shows_calls_made_meanwhile(
    page: Page, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    prepared = prepare_database(url, clerks=2)
    env = {"CHERHA_SPEECH_CACHE_DIR": str(tmp_path / "cache"), "CHERHA_SSE_KEEPALIVE_SECONDS": "1"}
    first = ServerProcess(url, extra_env=env).start()
    second: ServerProcess | None = None
    try:
        with Desk(first.url, prepared.kiosk_key) as desk:
            for _ in range(3):
                desk.issue(1)
            desk.issue(3)
            desk.open("clerk1", 1)
            desk.open("clerk2", 3)
            open_hall(page, first.url)
            a001 = desk.call_next("clerk1", 1)
            expect(page.locator('#calls li[data-number="А001"]')).to_be_visible()

            first.stop()
            expect(page.locator("body")).to_have_attribute("data-connection", "offline")
            expect(page.locator(".offline-strip")).to_be_visible()

            # The same address, a new process: calls are made before the page is back.
            second = ServerProcess(url, extra_env=env, port=first.port)
            second.start()
            desk.act("clerk1", a001["id"], "start")
            desk.act("clerk1", a001["id"], "finish")
            desk.call_next("clerk1", 1)  # А002
            desk.call_next("clerk2", 3)  # В001

            expect(page.locator('#calls li[data-number="А002"]')).to_be_visible()
            expect(page.locator('#calls li[data-number="В001"]')).to_be_visible()
            expect(page.locator("body")).to_have_attribute("data-connection", "online")
            expect(page.locator("#calls li.newest")).to_have_attribute("data-number", "В001")
            page.wait_for_function(
                "() => window.cherhaAnnouncements.map(i => i.number).join() === 'А001,А002,В001'",
                timeout=TIMEOUT_MS,
            )
    finally:
        if second is not None:
            second.stop()
        first.stop()
