"""A real queue server (restartable on the same port), kiosks driven by touch, fake printers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cherha.client import QueueClient
from cherha.kiosk.app import build_controller, build_window
from cherha.kiosk.config import KioskConfig
from cherha.kiosk.controller import KioskController
from cherha.kiosk.speech import Speaker
from cherha.kiosk.window import KioskWindow
from cherha.printer.config import PrinterConfig
from cherha.server.store.centre_file import CentreFile, PriorityCategorySpec
from cherha.wire import PriorityCategory
from tests.api.test_bookings import booking_centre
from tests.helpers.app import Centre, FakeClock, ThreadedServer, make_app, make_centre, settings_for
from tests.helpers.clerk_server import RestartableServer
from tests.helpers.ports import free_port
from tests.helpers.server import ADMIN_PASSWORD
from tests.helpers.templates import sample_centre

# The offscreen platform (tests) says this for every top-level window; a real display does not.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"
HERE = Path(__file__).parent
TIMEOUT = 10_000

# A centre's legal priority categories (a list of its own, not the sample's): the kiosk asks
# exactly these, as the server sends them in GET /api/v1/branch.
CATEGORIES = (
    PriorityCategory(
        uk="Особи з інвалідністю I групи та їх супровідники",
        en="People with group I disabilities and their companions",
    ),
    PriorityCategory(uk="Члени сімей загиблих захисників", en="Families of fallen defenders"),
    PriorityCategory(uk="Військовослужбовці", en="Serving military"),
)
# A kiosk test's centre has no priority categories (a ticket is one tap, no question) unless
# the test gives it some with this mark.
WITH_CATEGORIES = pytest.mark.parametrize("centre_categories", [CATEGORIES], ids=["categories"])


def with_categories(spec: CentreFile, categories: tuple[PriorityCategory, ...]) -> CentreFile:
    """The centre file with these legal priority categories in `[centre] priority_categories`."""
    listed = [PriorityCategorySpec(uk=c.uk, en=c.en) for c in categories]
    centre = spec.centre.model_copy(update={"priority_categories": listed})
    return spec.model_copy(update={"centre": centre})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


class FakeSpeaker:
    """Records what would be said."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []
        self.stopped = 0

    def say(self, text: str, language: str) -> None:
        self.said.append((language, text))

    def stop(self) -> None:
        self.stopped += 1

    @property
    def last(self) -> str:
        return self.said[-1][1] if self.said else ""


class Kiosk:
    """One kiosk (controller + window) and the ways a visitor touches it."""

    def __init__(self, qtbot: QtBot, config: KioskConfig, speaker: Speaker | None = None) -> None:
        self.qtbot = qtbot
        self.config = config
        self.speaker = FakeSpeaker()
        self.controller: KioskController = build_controller(config, speaker=speaker or self.speaker)
        self.window: KioskWindow = build_window(self.controller)
        qtbot.addWidget(self.window)
        with qtbot.waitExposed(self.window):
            self.window.show()
        self.controller.start_services()
        self.closed = False

    @property
    def c(self) -> KioskController:
        return self.controller

    @property
    def w(self) -> KioskWindow:
        return self.window

    def tap(self, widget: QWidget) -> None:
        assert widget.isVisible(), f"{widget!r} is not on screen"
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    def wait_screen(self, screen: str, timeout: int = TIMEOUT) -> None:
        def shown() -> None:
            assert self.c.screen == screen
            assert self.w.stack.currentWidget() is self.w.pages[self.c.screen]

        self.qtbot.waitUntil(shown, timeout=timeout)

    def wait_ready(self) -> None:
        self.qtbot.waitUntil(lambda: bool(self.c.services), timeout=TIMEOUT)
        self.wait_screen("start")

    def to_services(self, group_index: int = 0) -> None:
        """Start → a group → its services."""
        self.tap(self.w.start_page.take)
        self.wait_screen("groups")
        self.tap(self.w.groups_page.cards[group_index])
        self.wait_screen("services")

    def take_ticket(self, group_index: int = 0, service_index: int = 0) -> None:
        self.to_services(group_index)
        self.tap(self.w.services_page.cards[service_index])
        self.qtbot.waitUntil(lambda: self.c.ticket is not None, timeout=TIMEOUT)
        self.wait_screen("ticket")

    def wait_printed(self) -> None:
        self.qtbot.waitUntil(lambda: self.c.print_state in ("printed", "failed"), timeout=TIMEOUT)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.controller.stop()
            self.window.unlock()
            self.window.close()


@pytest.fixture
def centre_categories() -> tuple[PriorityCategory, ...]:
    """The centre's priority categories: none, unless a test says `@WITH_CATEGORIES`."""
    return ()


@pytest.fixture
def centre(sqlite_url: str, centre_categories: tuple[PriorityCategory, ...]) -> Centre:
    """The sample centre, open around the clock, with `centre_categories` as its list."""
    return make_centre(sqlite_url, spec=with_categories(sample_centre(), centre_categories))


@pytest.fixture
def server(sqlite_url: str, centre: Centre) -> Iterator[RestartableServer]:
    srv = RestartableServer(sqlite_url).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def prints(tmp_path: Path) -> Path:
    folder = tmp_path / "prints"
    folder.mkdir()
    return folder


def kiosk_config(url: str, key: str, printer: str, **changes: Any) -> KioskConfig:
    base = KioskConfig(
        server_url=url,
        device_key=key,
        printer=PrinterConfig.parse_spec(printer, timeout_seconds=1.0),
        fullscreen=False,
        orientation="portrait",
        admin_pin="2468",
        return_delay_seconds=30,
        fault_return_delay_seconds=60,
        poll_seconds=0.5,
        printer_check_seconds=0.2,
        speech="off",
    )
    return replace(base, **changes)


KioskFactory = Callable[..., Kiosk]


@pytest.fixture
def make_kiosk(
    qtbot: QtBot, server: RestartableServer, centre: Centre, prints: Path
) -> Iterator[KioskFactory]:
    """Kiosks are stopped (threads joined) before the server stops."""
    made: list[Kiosk] = []

    def make(printer: str | None = None, speaker: Speaker | None = None, **changes: Any) -> Kiosk:
        spec = printer or f"preview-dir:{prints}"
        config = kiosk_config(server.url, centre.kiosk_key, spec, **changes)
        kiosk = Kiosk(qtbot, config, speaker)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


@pytest.fixture
def kiosk(make_kiosk: KioskFactory) -> Kiosk:
    k = make_kiosk()
    k.wait_ready()
    return k


@pytest.fixture
def admin(server: RestartableServer) -> Iterator[QueueClient]:
    with QueueClient(server.url) as client:
        client.login("admin", ADMIN_PASSWORD)
        yield client


# -- bookings: a server on a clock the test moves ---------------------------------------------


@dataclass
class BookingCentre:
    """«residence» (service 1): one window, 15-minute slots of one place, open around the clock;
    the clock starts on Tuesday 24.11.2026 at 12:00 in Kyiv."""

    url: str
    kiosk_key: str
    clock: FakeClock
    database_url: str

    def public(self) -> QueueClient:
        return QueueClient(self.url)

    def as_kiosk(self) -> QueueClient:
        return QueueClient(self.url, self.kiosk_key)


@pytest.fixture
def booking_server(
    sqlite_url: str, centre_categories: tuple[PriorityCategory, ...]
) -> Iterator[BookingCentre]:
    clock = FakeClock()
    centre = make_centre(sqlite_url, spec=with_categories(booking_centre(), centre_categories))
    port = free_port()  # first, so the server's own links point at it
    app = make_app(settings_for(sqlite_url, port=port), clock=clock)
    server = ThreadedServer(app, port).start()
    try:
        yield BookingCentre(server.url, centre.kiosk_key, clock, sqlite_url)
    finally:
        server.stop()


@pytest.fixture
def make_booking_kiosk(
    qtbot: QtBot, booking_server: BookingCentre, prints: Path
) -> Iterator[KioskFactory]:
    made: list[Kiosk] = []

    def make(printer: str | None = None, **changes: Any) -> Kiosk:
        spec = printer or f"preview-dir:{prints}"
        config = kiosk_config(booking_server.url, booking_server.kiosk_key, spec, **changes)
        kiosk = Kiosk(qtbot, config)
        made.append(kiosk)
        kiosk.wait_ready()
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


@pytest.fixture
def booking_kiosk(make_booking_kiosk: KioskFactory) -> Kiosk:
    return make_booking_kiosk()
