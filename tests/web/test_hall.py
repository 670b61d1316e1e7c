"""The hall display in a real browser against a real server."""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.helpers.server import ServerProcess, prepare_database
from tests.web.checks import axe_violations
from tests.web.conftest import TIMEOUT_MS, ShortAudio
from tests.web.demo import Desk, demo_server

pytestmark = pytest.mark.slow

HAS_ESPEAK = shutil.which("espeak-ng") is not None


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
    page: Page, short_audio: ShortAudio, sqlite_url: str, cache_dir: Path
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
        # Each announcement fetched the hall's chime and, where the server has a voice, the
        # ticket's words (the sounds themselves: test_an_announcement_plays_the_real_sounds…).
        page.wait_for_function("() => window.cherhaAnnouncements.every(i => i.state === 'done')")
        assert any(u.endswith("/audio/chime.wav") for u in short_audio.requested)
        voice = [u for u in short_audio.requested if "/audio/announce" in u]
        asked = [parse_qs(urlsplit(u).query) for u in voice]
        assert all(q["number"] == ["А001"] and q["window"] == ["1"] for q in asked), voice
        assert bool(voice) == HAS_ESPEAK


@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_an_announcement_plays_the_real_sounds_to_the_end(
    page: Page, sqlite_url: str, cache_dir: Path
) -> None:
    """No stub: the hall's chime and the Ukrainian words made by espeak-ng are served, decoded
    and played to their end by the browser."""
    served: list[tuple[str, int, str]] = []

    def note(response: Response) -> None:
        if "/audio/" in response.url:
            served.append((response.url, response.status, response.headers["content-type"]))

    page.on("response", note)
    with (
        demo_server(sqlite_url, cache_dir=cache_dir) as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        open_hall(page, server.url)
        desk.issue(1)
        desk.open("clerk1", 1)
        desk.call_next("clerk1", 1)
        page.wait_for_function(
            "() => (window.cherhaAnnouncements || []).some(i => i.state === 'done')",
            timeout=40_000,
        )
        (item,) = page.evaluate(
            "() => window.cherhaAnnouncements.map(i => ({number: i.number,"
            " voiceError: i.voiceError, playedMs: i.endedAt - i.startedAt}))"
        )
    assert (item["number"], item["voiceError"]) == ("А001", None)  # Cyrillic А
    # The chime alone lasts over half a second, the words over one (test_speech.py).
    assert item["playedMs"] >= 1500, item
    kinds = {url.split("/audio/")[1].split("?")[0] for url, _, _ in served}
    assert kinds >= {"chime.wav", "announce"}
    assert all(status == 200 and kind == "audio/wav" for _, status, kind in served), served


# The sizes of numbers and of every other text, on four screens and at several distances, are
# checked in test_legibility.py (numbers: capital letters ≥ distance/100, i.e. ≥ 50 mm for the
# default 5 m, readable from 10 m — what this file's 8 %-of-the-screen-height check stood for).


def test_two_calls_at_once_are_both_shown_and_announced_in_order(
    page: Page, short_audio: ShortAudio, sqlite_url: str, cache_dir: Path
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
        page.wait_for_function("() => window.cherhaAnnouncements.every(i => i.state === 'done')")
        done = announcements(page)
        assert done[1]["startedAt"] >= done[0]["endedAt"]


def test_pause_and_resume_banners(
    page: Page, short_audio: ShortAudio, sqlite_url: str, cache_dir: Path
) -> None:
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


def test_the_clock_is_the_servers_in_the_centres_zone_whatever_the_tv_thinks(
    browser: Browser, sqlite_url: str, cache_dir: Path
) -> None:
    """A TV whose clock is 3 h 17 min slow and set to New York still shows Kyiv's time, from
    the server's clock (learnt from its answers' Date header), as the clerk's desk does."""
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="uk-UA", timezone_id="America/New_York"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.clock.set_system_time(datetime.now(UTC) - timedelta(hours=3, minutes=17))
    try:
        with demo_server(sqlite_url, cache_dir=cache_dir) as (server, _centre):
            kyiv = ZoneInfo("Europe/Kyiv")
            before = datetime.now(kyiv)
            open_hall(page, server.url)
            page.wait_for_function("() => document.getElementById('time').textContent !== '--:--'")
            shown = page.locator("#time").inner_text()
            after = datetime.now(kyiv)
            # The page may be drawn either side of a minute's turn, and the Date header it
            # learns from counts whole seconds: any minute from just before the page opened
            # to just after it was read.
            expected = {
                (before + timedelta(seconds=s)).strftime("%H:%M")
                for s in range(-3, int((after - before).total_seconds()) + 4)
            }
            assert shown in expected
            weekday = (
                "понеділок",
                "вівторок",
                "середа",
                "четвер",
                "пʼятниця",
                "субота",
                "неділя",
            )[datetime.now(kyiv).weekday()]
            assert weekday in page.locator("#date").inner_text().replace("’", "ʼ")
    finally:
        context.close()


def test_a_display_reconnects_after_a_server_restart_and_shows_calls_made_meanwhile(
    page: Page, short_audio: ShortAudio, tmp_path: Path
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
        page.goto("about:blank")  # the page's event stream would hold up a clean stop
        if second is not None:
            second.stop()
        first.stop()


def test_the_offline_strip_is_readable(page: Page, tmp_path: Path) -> None:
    """WCAG 2.2 AA contrast (axe-core) for the red «no connection» strip and its English line.
    (Closed services are checked in test_legibility.py, whose centre has some.)"""
    url = f"sqlite:///{tmp_path / 'offline.db'}"
    prepare_database(url, clerks=1)
    server = ServerProcess(url, extra_env={"CHERHA_SPEECH_CACHE_DIR": str(tmp_path / "cache")})
    server.start()
    try:
        open_hall(page, server.url)
        assert axe_violations(page) == []
    finally:
        server.stop()
    expect(page.locator("body")).to_have_attribute("data-connection", "offline")
    expect(page.locator(".offline-strip")).to_be_visible()
    expect(page.locator(".offline-strip")).to_contain_text("No connection to the server")
    assert axe_violations(page) == []
