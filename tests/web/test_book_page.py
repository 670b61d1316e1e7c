"""The public booking page on a phone, in headless Chromium: book, see the code and its QR,
lose a race and take a next free time, hit the quota, switch to English, cancel.

Run as a script to redraw the documentation's screenshots:
``.venv/bin/python -m tests.web.test_book_page [--out docs/img]``.
"""

from __future__ import annotations

import argparse
import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cherha.server.store.centre_file import (
    SAMPLE_CENTRE,
    CentreFile,
    always_open,
    read_centre_file,
)
from tests.api.test_bookings import booking_centre
from tests.helpers.app import ThreadedServer, make_app, make_centre, settings_for
from tests.web.checks import axe_violations
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

pytestmark = pytest.mark.slow

CODE = re.compile(r"^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$")


@contextmanager
def booking_server(
    database_url: str, spec: CentreFile | None = None, **booking: object
) -> Iterator[ThreadedServer]:
    """Real time; by default one window for service 1: every 15-minute slot holds one visitor."""
    make_centre(database_url, spec=spec or booking_centre(windows=1, average=15, **booking))
    server = ThreadedServer(make_app(settings_for(database_url))).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="uk-UA"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def choose_slot(page: Page, url: str, *, service: int = 1) -> str:
    """Service → the second bookable day → its first free time; returns the slot's start."""
    page.goto(f"{url}/book")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator(f'button[data-service="{service}"]').click()
    expect(page.locator("body")).to_have_attribute("data-step", "day")
    page.locator("button[data-day]").nth(1).click()
    expect(page.locator("body")).to_have_attribute("data-step", "time")
    first = page.locator("button[data-start]").first
    start = first.get_attribute("data-start")
    assert start is not None
    first.click()
    expect(page.locator("body")).to_have_attribute("data-step", "details")
    return start


def fill_details(page: Page, name: str, number: str) -> None:
    page.fill("#name", name)
    page.fill("#phone", number)
    page.locator("#submit").click()


def decode_qr(page: Page) -> list[str]:
    image = Image.open(io.BytesIO(page.locator("#qr").screenshot()))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_book_a_visit_see_the_code_and_its_qr_then_cancel(phone: Page, sqlite_url: str) -> None:
    with booking_server(sqlite_url) as server:
        start = choose_slot(phone, server.url)
        expect(phone.locator("#chosen")).to_contain_text(start[11:16])
        fill_details(phone, "Олена Коваль", "067 123 45 67")
        expect(phone.locator("body")).to_have_attribute("data-step", "done")
        code = phone.locator("#code").inner_text()
        assert CODE.match(code), code
        expect(phone.locator("#when")).to_contain_text(start[11:16])
        expect(phone.locator("#rule")).to_have_text(
            "Прийдіть за 15 хв до початку; запізнення понад 5 хв — у загальну чергу"
        )
        phone.wait_for_function("() => document.getElementById('qr').naturalWidth > 0")
        assert decode_qr(phone) == [code]
        # Nothing personal in the address (past the server's own, whose port may hold "380"),
        # nor percent-encoded in it.
        address = unquote(phone.url.removeprefix(server.url))
        for personal in ("380", "1234567", "Олена", "Коваль"):
            assert personal not in address, address

        # English, then back.
        phone.locator("#lang-switch").click()
        expect(phone.locator("h1")).to_have_text("Book a visit", use_inner_text=True)
        expect(phone.locator("#rule")).to_contain_text("more than 5 min late")
        phone.locator("#lang-switch").click()

        phone.locator("#cancel-link").click()
        expect(phone.locator("#cancel-code")).to_have_value(code)
        phone.fill("#cancel-phone", "0991112233")  # a wrong number first
        phone.locator("#cancel-submit").click()
        expect(phone.locator("#error-text")).to_have_text(
            "Запис не знайдено: перевірте код і номер телефону"
        )
        phone.fill("#cancel-phone", "+380 67 123 45 67")
        phone.locator("#cancel-submit").click()
        expect(phone.locator("body")).to_have_attribute("data-step", "cancelled")
        expect(phone.locator("#cancelled-code")).to_have_text(code)
        r = httpx.get(f"{server.url}/api/v1/bookings/{code}", params={"phone": "0671234567"})
        assert r.json()["status"] == "cancelled"


def test_a_lost_race_offers_the_next_free_times(phone: Page, sqlite_url: str) -> None:
    with booking_server(sqlite_url) as server:
        start = choose_slot(phone, server.url)
        taken = httpx.post(
            f"{server.url}/api/v1/bookings",
            json={"service_id": 1, "start": start, "name": "Швидший", "phone": "0501112233"},
        )
        assert taken.status_code == 201
        fill_details(phone, "Олена Коваль", "0671234567")
        expect(phone.locator("#error-text")).to_contain_text("вільних місць уже немає")
        offered = phone.locator("#next-free-list button")
        expect(offered).to_have_count(5)
        offered.first.click()
        expect(phone.locator("body")).to_have_attribute("data-step", "details")
        expect(phone.locator("#name")).to_have_value("Олена Коваль")  # nothing to type again
        phone.locator("#submit").click()
        expect(phone.locator("body")).to_have_attribute("data-step", "done")
        assert CODE.match(phone.locator("#code").inner_text())


def test_a_quota_refusal_is_shown_in_the_visitor_s_language(phone: Page, sqlite_url: str) -> None:
    with booking_server(sqlite_url, monthly_quota=1) as server:
        choose_slot(phone, server.url)
        fill_details(phone, "Олена Коваль", "0671234567")
        expect(phone.locator("body")).to_have_attribute("data-step", "done")
        choose_slot(phone, server.url, service=1)
        fill_details(phone, "Олена Коваль", "067-123-45-67")
        error = phone.locator("#error-text")
        expect(error).to_contain_text("цього місяця вже зроблено 1 записів")
        expect(error).to_contain_text("скасовані теж рахуються")
        expect(phone.locator("body")).to_have_attribute("data-step", "details")
        phone.locator("#lang-switch").click()
        expect(error).to_contain_text("already made 1 bookings this month")


def test_a_rate_limit_refusal_is_shown(phone: Page, sqlite_url: str) -> None:
    make_centre(sqlite_url, spec=booking_centre())
    app = make_app(settings_for(sqlite_url, booking_reads_per_minute=1))
    server = ThreadedServer(app).start()
    try:
        phone.goto(f"{server.url}/book")
        phone.locator('button[data-service="1"]').click()  # the one read allowed
        expect(phone.locator("body")).to_have_attribute("data-step", "day")
        phone.locator("button[data-day]").first.click()
        expect(phone.locator("#error-text")).to_contain_text("Забагато запитів")
    finally:
        server.stop()


# -- screenshots for docs/appointments.md -------------------------------------------------------


def shoot(browser: Browser, out: Path) -> list[Path]:
    written: list[Path] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        booking_server(f"sqlite:///{tmp}/b.db", read_centre_file(SAMPLE_CENTRE)) as server,
    ):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="uk-UA"
        )
        page = context.new_page()

        def snap(name: str) -> None:
            page.wait_for_timeout(300)
            path = out / f"book-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)

        page.goto(f"{server.url}/book")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        snap("services")
        page.locator('button[data-service="1"]').click()
        expect(page.locator("body")).to_have_attribute("data-step", "day")
        snap("days")
        page.locator("button[data-day]").nth(1).click()
        expect(page.locator("body")).to_have_attribute("data-step", "time")
        snap("times")
        page.locator("button[data-start]").nth(8).click()
        page.fill("#name", "Олена Коваль")
        page.fill("#phone", "067 123 45 67")
        snap("details")
        page.locator("#submit").click()
        expect(page.locator("body")).to_have_attribute("data-step", "done")
        page.wait_for_function("() => document.getElementById('qr').naturalWidth > 0")
        snap("done")
        code = page.locator("#code").inner_text()
        page.goto(f"{server.url}/book/cancel?code={code}")
        page.fill("#cancel-phone", "067 123 45 67")
        snap("cancel")
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[2] / "docs/img"
    )
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


def test_services_come_by_group_each_heading_once_as_on_the_kiosk(
    phone: Page, sqlite_url: str
) -> None:
    """The sample lists «Документи та реєстрація» and «Майно та бізнес» services apart; the
    page shows each heading once, groups in the order they first appear, and is axe-clean."""
    with booking_server(sqlite_url, spec=always_open(read_centre_file(SAMPLE_CENTRE))) as server:
        phone.goto(f"{server.url}/book")
        expect(phone.locator("body")).to_have_attribute("data-ready", "true")
        headings = phone.locator("#services .group .uk").all_inner_texts()
        assert headings == [
            "Документи та реєстрація",
            "Паспорти",
            "Майно та бізнес",
            "Соціальні питання",
        ]
        # Each group's services right under its heading, in the centre's order.
        layout = phone.locator("#services > *").evaluate_all(
            "ns => ns.map(n => n.classList.contains('group')"
            " ? '#' + n.querySelector('.uk').textContent : n.dataset.service)"
        )
        assert layout == [
            "#Документи та реєстрація", "1", "8", "9",
            "#Паспорти", "2", "3",
            "#Майно та бізнес", "4", "5", "7",
            "#Соціальні питання", "6",
        ]  # fmt: skip
        assert axe_violations(phone) == []
        phone.locator("#lang-switch").click()
        expect(phone.locator("#services .group .en").first).to_have_text(
            "Documents and registration"
        )
