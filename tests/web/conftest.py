"""Browser tests: headless Chromium from Debian, driven by Playwright's sync API."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)

from cherha.server import speech

CHROMIUM = os.environ.get("CHERHA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)  # the machine is shared and noisy


# Per module, not per run: while Playwright's sync API is started, the thread counts as running
# an asyncio loop, and any later test of the same worker calling asyncio.run() would fail. The
# tests of a module that use these run together on one worker (tests/conftest.py).
@pytest.fixture(scope="module")
def playwright_session() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    b = playwright_session.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh 1920×1080 page; JavaScript errors on it fail the test."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="uk-UA")
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "audio-cache"


SILENCE = speech.wav_bytes(b"\x00\x00" * (speech.SAMPLE_RATE // 10))
"""A tenth of a second of silence: what a stubbed chime or announcement plays."""


class ShortAudio:
    """The pages' sounds (/audio/…) answered in the browser with 0.1 s of silence.

    For tests that check what a page does around its sounds (queued, in order, one at a time),
    not the sounds: the real ones take several seconds each, and the voice is made by espeak-ng
    on the server. The page's player still loads and plays every clip to its end. The real
    sounds are checked in test_speech.py and in test_hall.py's real-audio test.
    """

    def __init__(self, target: Page | BrowserContext) -> None:
        self.requested: list[str] = []
        target.route("**/audio/**", self._answer)

    def _answer(self, route: Route) -> None:
        self.requested.append(route.request.url)
        route.fulfill(status=200, content_type="audio/wav", body=SILENCE)


@pytest.fixture
def short_audio(page: Page) -> ShortAudio:
    return ShortAudio(page)
