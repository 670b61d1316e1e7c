from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.app import Api, FakeClock, api_for


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(database_url: str, clock: FakeClock) -> Iterator[Api]:
    """The server in-process on SQLite and on PostgreSQL, with the sample centre open 24/7."""
    with api_for(database_url, clock) as client:
        yield client
