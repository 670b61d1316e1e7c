"""The scripted morning, played once per module and database, read by many tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.helpers.app import Api, FakeClock, api_for, make_centre
from tests.helpers.postgres import ThrowawayPostgres
from tests.reports.scripted import RESIDENCE, START, Day, play, set_target


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def scripted_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database per kind for the module: the morning is played once and read many times."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('scripted') / 'cherha.db'}"
        return
    cluster: ThrowawayPostgres = request.getfixturevalue("postgres_cluster")
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)  # as the `database_url` fixture does (tests/conftest.py)


@pytest.fixture(scope="module")
def morning(scripted_url: str) -> Iterator[tuple[Api, FakeClock, Day]]:
    database_url = scripted_url
    centre = make_centre(database_url)
    set_target(database_url, RESIDENCE, 15)
    clock = FakeClock(START)
    with api_for(database_url, clock, centre=centre, report_refresh_seconds=0) as api:
        day = play(api, clock, database_url)
        clock.advance(hours=3)
        yield api, clock, day
