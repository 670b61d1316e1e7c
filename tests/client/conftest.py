"""A live in-process server and clients logged in as a clerk, an admin and a kiosk.

`live`, `clerk`, `admin`, `kiosk`: a server of the test's own. `shared_live`, `shared_clerk`,
`shared_kiosk`: one server for a module's tests that change nothing on it (they only read, or
are refused), which saves a server per test; a test that changes anything takes `live`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(scope="module")
def shared_live(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ThreadedServer, Centre]]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('shared')) / 'cherha.db'}"
    with live_server(url) as pair:
        yield pair


@pytest.fixture(scope="module")
def shared_clerk(shared_live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(shared_live[0].url) as client:
        client.login("clerk1", CLERK_PASSWORD)
        yield client


@pytest.fixture(scope="module")
def shared_kiosk(shared_live: tuple[ThreadedServer, Centre]) -> Iterator[QueueClient]:
    with QueueClient(shared_live[0].url, token=shared_live[1].kiosk_key) as client:
        yield client
