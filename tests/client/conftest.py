"""A live in-process server and clients logged in as a clerk, an admin and a kiosk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cherha.client import QueueClient
from tests.helpers.app import Centre, ThreadedServer, live_server
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD


@pytest.fixture
def live(sqlite_url: str) -> Iterator[tuple[ThreadedServer, Centre]]:
    with live_server(sqlite_url) as pair:
        yield pair


@pytest.fixture
def clerk(live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(live[0].url) as client:
        client.login("clerk1", CLERK_PASSWORD)
        yield client


@pytest.fixture
def admin(live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(live[0].url) as client:
        client.login("admin", ADMIN_PASSWORD)
        yield client


@pytest.fixture
def kiosk(live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(live[0].url, token=live[1].kiosk_key) as client:
        yield client
