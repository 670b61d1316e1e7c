"""Screenshots of the pages for docs/: a demo centre with some calls, headless Chromium.

Run from the repository: ``.venv/bin/python -m tests.web.screenshots [--out docs/img]``.
Writes display-hall-landscape.png, display-hall-portrait.png (a 55″ TV read from 5 m, the
sample centre's setting), display-window.png, display-window-break.png (24″ read from 4 m),
phone-waiting.png and phone-called.png.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.demo import Desk, demo_server

ROOT = Path(__file__).resolve().parents[2]


def ready(page: Page) -> None:
    page.wait_for_selector('body[data-connection="online"]', timeout=15_000)
    page.wait_for_timeout(400)  # fonts and the services list settle


def shoot(browser: Browser, out: Path) -> list[Path]:
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        with (
            demo_server(url, cache_dir=Path(tmp) / "cache") as (server, centre),
            Desk(server.url, centre.kiosk_key) as desk,
        ):
            for i in range(40):
                service = 1 + (i * 3) % 10
                desk.issue(service, priority=i % 9 == 4)
            phone_ticket = desk.issue(1)
            for counter in range(1, 9):
                desk.open(f"clerk{counter}", counter)
            for counter in (4, 7, 2, 5, 8, 6):
                desk.next(f"clerk{counter}", counter)

            hall = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="uk-UA")
            hall.emulate_media(reduced_motion="reduce")  # a steady highlight, not a blink phase
            hall.goto(f"{server.url}/display")
            ready(hall)
            desk.next("clerk3", 3)
            desk.next("clerk1", 1)
            hall.wait_for_function("document.querySelectorAll('#calls li.fresh').length === 2")
            hall.wait_for_timeout(1200)
            path = out / "display-hall-landscape.png"
            hall.screenshot(path=str(path))
            written.append(path)
            hall.set_viewport_size({"width": 1080, "height": 1920})
            hall.wait_for_timeout(500)
            hall.evaluate("() => window.cherhaPagers.calls.goTo(0)")
            hall.evaluate("() => window.cherhaPagers.services.goTo(0)")
            path = out / "display-hall-portrait.png"
            hall.screenshot(path=str(path))
            written.append(path)

            window = browser.new_page(viewport={"width": 1280, "height": 720}, locale="uk-UA")
            window.emulate_media(reduced_motion="reduce")
            window.goto(f"{server.url}/display/counters/3")
            ready(window)
            path = out / "display-window.png"
            window.screenshot(path=str(path))
            written.append(path)

            on_break = browser.new_page(viewport={"width": 1280, "height": 720}, locale="uk-UA")
            on_break.emulate_media(reduced_motion="reduce")
            on_break.goto(f"{server.url}/display/counters/4")
            ready(on_break)
            serving = desk.at_counter.pop(4)
            desk.act("clerk4", serving, "start")
            desk.act("clerk4", serving, "finish")
            paused = desk.http.post("/api/v1/counters/4/pause", headers=desk.as_user("clerk4"))
            paused.raise_for_status()
            on_break.wait_for_selector("#go:not([hidden])")
            on_break.wait_for_timeout(300)
            path = out / "display-window-break.png"
            on_break.screenshot(path=str(path))
            written.append(path)

            phone = browser.new_page(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="uk-UA",
            )
            phone.emulate_media(reduced_motion="reduce")
            phone.goto(f"{server.url}/t/{phone_ticket['public_token']}")
            phone.wait_for_selector('body[data-status="waiting"]')
            ready(phone)
            path = out / "phone-waiting.png"
            phone.screenshot(path=str(path))
            written.append(path)

            while True:  # serve window 1 until the phone's ticket is called there
                called = desk.next("clerk1", 1)
                if called["number"] == phone_ticket["number"]:
                    break
            phone.wait_for_selector('body[data-status="called"]', timeout=15_000)
            phone.wait_for_timeout(300)
            path = out / "phone-called.png"
            phone.screenshot(path=str(path))
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for path in shoot(browser, args.out):
                print(path)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
