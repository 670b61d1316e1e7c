"""Shared fixtures: databases (SQLite and a throwaway PostgreSQL), in-process apps, live servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.postgres import ThrowawayPostgres

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[ThrowawayPostgres]:
    """One PostgreSQL for the whole run; each test gets a database of its own."""
    if os.environ.get("CHERHA_TEST_POSTGRES") == "skip":
        pytest.skip("CHERHA_TEST_POSTGRES=skip")
    cluster = ThrowawayPostgres().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against both databases Cherha supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cherha.db'}"
    cluster: ThrowawayPostgres = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cherha.db'}"
