"""A live server, desks on their own state folders, and API clients for the other actors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cherha.client import QueueClient, ServerClock
from tests.helpers.app import Centre, ThreadedServer, live_server
from tests.helpers.clerk_desk import Desk
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD

# The offscreen platform (tests) says this for every top-level window; a real display does not.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing of a test's desks lands in the real config folder."""
    home = tmp_path / "state"
    monkeypatch.setenv("CHERHA_CLERK_STATE_DIR", str(home))
    monkeypatch.delenv("CHERHA_SERVER_URL", raising=False)
    return home


@pytest.fixture
def live(sqlite_url: str) -> Iterator[tuple[ThreadedServer, Centre]]:
    with live_server(sqlite_url) as pair:
        yield pair


@pytest.fixture
def kiosk(live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(live[0].url, token=live[1].kiosk_key) as client:
        yield client


@pytest.fixture
def admin(live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(live[0].url) as client:
        client.login("admin", ADMIN_PASSWORD)
        yield client


@pytest.fixture
def clerk2(live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(live[0].url) as client:
        client.login("clerk2", CLERK_PASSWORD)
        yield client


DeskFactory = Callable[..., Desk]


@pytest.fixture
def make_desk(qtbot: QtBot, state_home: Path) -> Iterator[DeskFactory]:
    """Desks are closed (listeners stopped, threads joined) before the server stops."""
    desks: list[Desk] = []

    def make(
        server_url: str | None, state_dir: Path | None = None, clock: ServerClock | None = None
    ) -> Desk:
        desk = Desk(qtbot, server_url, state_dir or state_home, clock)
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.close()


@pytest.fixture
def desk(live: tuple[ThreadedServer, Centre], make_desk: DeskFactory) -> Desk:
    """clerk1 logged in at a desk, window 1 chosen and opened."""
    d = make_desk(live[0].url)
    d.login("clerk1")
    d.controller.live.choose_counter(1)
    d.act(Qt.Key.Key_F9)
    assert d.controller.live.counter is not None
    assert d.controller.live.counter.state == "open"
    return d
