from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.app import Api, FakeClock, api_for


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(database_url: str, clock: FakeClock) -> Iterator[Api]:
    """The server in-process on SQLite and on PostgreSQL, with the sample centre open 24/7.

    A refused login is answered at once here, not after the server's second: these tests count
    refusals and waits on a virtual clock, and the second asleep before each refusal was most
    of their time. The delay has its own test (test_login.py); test_login_flood.py runs with
    it at its default."""
    with api_for(database_url, clock, login_refusal_delay_seconds=0) as client:
        yield client
