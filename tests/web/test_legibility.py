"""The hall and window displays readable from the back of the hall, on any screen.

A centre of 20 services (some with long names and no short name, some closed now) and 12 calls,
on the four screens centres have (1920×1080, 1080×1920, 1366×768, 3840×2160) at the centre's
setting (a 55″ hall TV read from 5 m; 24″ window screens from 4 m). On every page of every
paged list: each text's capital letters are as high as the rule asks (docs/displays.md), no text
is cut off or drawn over another, and axe-core finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from cherha.server.store.centre_file import (
    SAMPLE_CENTRE,
    CentreFile,
    HoursSpec,
    ServiceSpec,
    always_open,
    read_centre_file,
)
from tests.helpers.app import Centre, ThreadedServer, make_app, make_centre, settings_for
from tests.web.checks import axe_violations, clipped, overlapping, too_small
from tests.web.conftest import TIMEOUT_MS
from tests.web.demo import Desk

pytestmark = pytest.mark.slow

SCREENS = [(1920, 1080), (1080, 1920), (1366, 768), (3840, 2160)]
HALL = (55.0, 5.0)  # the centre's default: a 55″ TV, the farthest seats 5 m away
WINDOW = (24.0, 4.0)

LONG_NAMES = [
    ("Видача дозволу на розміщення зовнішньої реклами", "Outdoor advertising permits"),
    ("Державна реєстрація речових прав на нерухоме майно та їх обтяжень", "Property rights"),
    ("Призначення державної соціальної допомоги малозабезпеченим сімʼям", "Social assistance"),
    ("Реєстрація транспортних засобів", "Vehicle registration"),
    ("Посвідчення водія", "Driving licence"),
    ("Довідка про склад сімʼї", "Household certificate"),
    ("Субсидії на оплату житлово-комунальних послуг", "Housing subsidies"),
    ("Витяг з Державного реєстру речових прав", "Property register extract"),
    ("Дозвіл на виконання будівельних робіт", "Construction permits"),
    ("Адресна довідка", "Address certificate"),
]


def twenty_services() -> CentreFile:
    """The sample centre with ten more services (long names, no short ones), some closed every
    day, and the hall keeping the last 12 calls."""
    spec = always_open(read_centre_file(SAMPLE_CENTRE))
    extra = [
        ServiceSpec(
            code=f"extra-{i}",
            prefix=letter,
            name_uk=uk,
            name_en=en,
            group_uk="Інше",
            group_en="Other",
            hours=HoursSpec() if i % 4 == 1 else None,
        )
        for i, ((uk, en), letter) in enumerate(zip(LONG_NAMES, "НОРСТУФХЦЧ", strict=True))
    ]
    windows = [
        w.model_copy(
            update={"services": [*w.services, *(s.code for s in extra[w.number - 1 :: 8])]}
        )
        for w in spec.windows
    ]
    closed_sample = [
        s.model_copy(update={"hours": HoursSpec()}) if s.code == "land" else s
        for s in spec.services
    ]
    return spec.model_copy(
        update={
            "services": [*closed_sample, *extra],
            "windows": windows,
            "displays": spec.displays.model_copy(update={"last_calls": 12}),
        }
    )


@contextmanager
def busy_centre(folder: Path) -> Iterator[tuple[ThreadedServer, Centre, list[str]]]:
    url = f"sqlite:///{folder / 'legibility.db'}"
    centre = make_centre(url, clerks=8, spec=twenty_services())
    app = make_app(settings_for(url, speech_cache_dir=str(folder / "cache")))
    server = ThreadedServer(app).start()
    called: list[str] = []
    try:
        with Desk(server.url, centre.kiosk_key) as desk:
            for _round in range(3):
                for service in range(1, 11):
                    desk.issue(service, priority=service == 4)
            for counter in range(1, 9):
                desk.open(f"clerk{counter}", counter)
            for counter in [*range(1, 9), 1, 2, 3, 4]:
                called.append(desk.next(f"clerk{counter}", counter)["number"])
        yield server, centre, called
    finally:
        server.stop()


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    with busy_centre(tmp_path_factory.mktemp("legibility")) as (server, _centre, called):
        yield server.url, called


def open_display(browser: Browser, url: str, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="uk-UA")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.emulate_media(reduced_motion="reduce")
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("body")).to_have_attribute("data-connection", "online")
    return page


def check_page(page: Page, viewing: tuple[float, float], what: str) -> None:
    diagonal, distance = viewing
    assert too_small(page, diagonal, distance) == [], f"{what}: text below the rule"
    assert clipped(page) == [], f"{what}: text cut off"
    assert overlapping(page) == [], f"{what}: text over text"


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_hall_reads_from_the_back_and_pages_what_does_not_fit(
    browser: Browser, centre: tuple[str, list[str]], width: int, height: int
) -> None:
    url, called = centre
    page = open_display(browser, f"{url}/display", width, height)
    try:
        expect(page.locator("#calls li")).to_have_count(12)
        expect(page.locator("#services li.service")).to_have_count(20)
        assert page.locator("body").get_attribute("data-legibility") == "full"
        assert page.evaluate("() => window.cherhaViewing.rootPx") > 0

        # 12 calls and 20 services (and the priority categories) do not fit at this size:
        # they are paged, each page within its box; together the pages show everything.
        pages = {
            name: page.evaluate(f"() => window.cherhaPagers.{name}.pages()")
            for name in ("calls", "services")
        }
        assert pages["calls"] >= 2
        assert pages["services"] >= 3
        seen_calls: set[str] = set()
        seen_services: set[str] = set()
        for name, count in pages.items():
            for index in range(count):
                page.evaluate(f"() => window.cherhaPagers.{name}.goTo({index})")
                visible_calls = page.locator("#calls li.call:visible")
                visible_services = page.locator("#services li.service:visible")
                seen_calls |= set(visible_calls.evaluate_all("ns => ns.map(n => n.dataset.number)"))
                seen_services |= set(
                    visible_services.evaluate_all("ns => ns.map(n => n.dataset.serviceId)")
                )
                check_page(page, HALL, f"{width}×{height} {name} page {index + 1}/{count}")
        assert seen_calls == set(called)
        assert len(seen_services) == 20
        # The last pages of the services explain the priority lane with the centre's list.
        page.evaluate(f"() => window.cherhaPagers.services.goTo({pages['services'] - 1})")
        expect(page.locator("#services")).to_contain_text("Військовослужбовці")
        expect(page.locator("#waiting-title")).to_contain_text("Пільгова черга")

        assert axe_violations(page) == []
        assert page.evaluate(
            "() => document.documentElement.scrollHeight <= innerHeight"
            " && document.documentElement.scrollWidth <= innerWidth"
        )
    finally:
        page.context.close()


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_window_display_reads_from_the_queue(
    browser: Browser, centre: tuple[str, list[str]], width: int, height: int
) -> None:
    url, _called = centre
    page = open_display(browser, f"{url}/display/counters/3", width, height)
    try:
        # Called before the page opened: shown, not blinking or announced again.
        expect(page.locator("body")).to_have_attribute("data-state", "shown")
        expect(page.locator("#number")).to_be_visible()
        check_page(page, WINDOW, f"window display {width}×{height}")
        assert axe_violations(page) == []
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("query", "viewing"),
    [
        ("?diagonal=75&distance=7", (75.0, 7.0)),
        ("?diagonal=65&distance=3&english=1", (65.0, 3.0)),
        ("?diagonal=43&distance=4&english=off&calls=12", (43.0, 4.0)),
    ],
)
def test_a_display_sets_its_own_screen_and_distance_in_its_address(
    browser: Browser, centre: tuple[str, list[str]], query: str, viewing: tuple[float, float]
) -> None:
    url, _called = centre
    page = open_display(browser, f"{url}/display{query}", 1920, 1080)
    try:
        assert page.locator("body").get_attribute("data-legibility") == "full"
        check_page(page, viewing, query)
        if "english=off" in query:
            assert page.locator("[lang=en]:visible").count() == 0
        else:
            assert page.locator("#services [lang=en]:visible").count() > 0
    finally:
        page.context.close()


def test_a_screen_too_small_for_its_distance_still_shows_everything_whole(
    browser: Browser, centre: tuple[str, list[str]]
) -> None:
    """43″ read from 10 m cannot hold the board at the comfortable size: the page takes the
    largest size its layout allows, says so, and still cuts and overlaps nothing."""
    url, _called = centre
    page = open_display(browser, f"{url}/display?diagonal=43&distance=10", 1920, 1080)
    try:
        assert page.locator("body").get_attribute("data-legibility") == "reduced"
        assert clipped(page) == []
        assert overlapping(page) == []
    finally:
        page.context.close()
