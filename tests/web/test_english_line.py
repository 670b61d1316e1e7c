"""The displays' English line, on or hidden: by the centre's `[displays] english_scale` (0 hides
it) and by a display's own address (`english=off`, or a size that shows it where the centre
hides it). Hidden, no English text is drawn anywhere on the hall or the window display; shown,
every panel has its English line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.app import ThreadedServer, make_app, make_centre, settings_for
from tests.helpers.templates import sample_centre
from tests.web.conftest import TIMEOUT_MS, ShortAudio
from tests.web.demo import Desk

pytestmark = pytest.mark.slow

# English a visitor reads on each display while its English line is shown: fixed labels and
# texts from the centre and the queue (a called ticket, a service's name).
HALL_ENGLISH = [
    "Administrative Service Centre",  # the centre's English name
    "Ticket",
    "Window",
    "Waiting",
    "П = priority lane",
    "Residence registration",  # a service's English short name
]
WINDOW_ENGLISH = ["Window 1", "Please come to the window", "П = priority lane"]


@contextmanager
def centre_with_english(folder: Path, scale: float) -> Iterator[tuple[str, str]]:
    """The sample centre with `[displays] english_scale = scale`, a ticket called to window 1.
    Yields the server's URL and the called number."""
    spec = sample_centre()
    spec = spec.model_copy(
        update={"displays": spec.displays.model_copy(update={"english_scale": scale})}
    )
    url = f"sqlite:///{folder / 'english.db'}"
    centre = make_centre(url, clerks=1, spec=spec)
    server = ThreadedServer(make_app(settings_for(url, speech_cache_dir=str(folder)))).start()
    try:
        with Desk(server.url, centre.kiosk_key) as desk:
            desk.issue(1)
            desk.open("clerk1", 1)
            called = desk.call_next("clerk1", 1)["number"]
        yield server.url, called
    finally:
        server.stop()


def open_display(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="uk-UA")
    context.set_default_timeout(TIMEOUT_MS)
    ShortAudio(context)
    page = context.new_page()
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("body")).to_have_attribute("data-connection", "online")
    return page


def english_drawn(page: Page) -> list[str]:
    """The English texts the page draws (elements marked English that take up room)."""
    texts: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('[lang="en"], .en'))
            .filter(e => e.textContent.trim() && e.getClientRects().length > 0
                         && e.checkVisibility({visibilityProperty: true}))
            .map(e => e.textContent.trim())"""
    )
    return texts


def check(page: Page, english: list[str], shown: bool, what: str) -> None:
    seen = page.locator("body").inner_text()  # what is rendered, hidden elements left out
    if shown:
        assert page.locator("body").get_attribute("data-english") == "on", what
        assert english_drawn(page), what
        for text in english:
            assert text in seen, f"{what}: {text!r} not shown"
    else:
        assert page.locator("body").get_attribute("data-english") == "off", what
        assert english_drawn(page) == [], what
        for text in english:
            assert text not in seen, f"{what}: {text!r} still shown"


@pytest.mark.parametrize(
    ("centre_scale", "address", "shown"),
    [
        (0.7, "", True),  # the sample's setting
        (0.0, "", False),  # the centre hides the English line
        (0.7, "?english=off", False),  # one display hides it
        (0.0, "?english=0.8", True),  # one display shows it where the centre hides it
    ],
    ids=["centre-on", "centre-off", "address-off", "address-on"],
)
def test_the_english_line_is_drawn_only_where_it_is_on(
    browser: Browser, tmp_path: Path, centre_scale: float, address: str, shown: bool
) -> None:
    with centre_with_english(tmp_path, centre_scale) as (url, called):
        hall = open_display(browser, f"{url}/display{address}")
        try:
            expect(hall.locator("#calls li.call").first).to_contain_text(called)
            expect(hall.locator("#services li.service").first).to_be_visible()
            check(hall, HALL_ENGLISH, shown, f"hall{address}")
        finally:
            hall.context.close()
        window = open_display(browser, f"{url}/display/counters/1{address}")
        try:
            expect(window.locator("#number")).to_have_text(called)
            expect(window.locator("body")).to_have_attribute("data-state", "shown")
            check(window, WINDOW_ENGLISH, shown, f"window display{address}")
        finally:
            window.context.close()
