"""Shared fixtures: databases (SQLite and a throwaway PostgreSQL), in-process apps, live servers.

How the suite stays fast (tests/README.md): prepared centres are copies of a template database
(tests/helpers/templates.py), passwords use argon2's cheapest parameters, and ./scripts/test runs
the tests on several pytest-xdist workers. Every fixture here works per worker process.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx._config as httpx_config
import httpx._transports.default as httpx_transports
import pytest

from tests.helpers.postgres import ThrowawayPostgres

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# python-escpos turns its printer database (YAML) into a pickle in a new temporary folder on every
# import unless told where to keep it: one folder for the run, made by the first pytest process
# before the workers start and inherited by them and every subprocess, so each import reads the
# pickle (~0.35 → ~0.12 s of CPU) and the run leaves no folder per process in /tmp.
_ESCPOS_DIR: str | None = None  # this process made it: removed at the end
if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    _ESCPOS_DIR = tempfile.mkdtemp(prefix="cherha-escpos-")
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = _ESCPOS_DIR
    import escpos.capabilities  # noqa: F401  (writes the pickle now, before any worker reads it)


# The tests' HTTP clients (httpx: ~90 made in tests, many in threads and loops) talk plain HTTP to
# servers on loopback, yet each loaded certifi's CA bundle into a TLS context it never used: 5 %
# of the workers' CPU in a py-spy of a whole run. In the test processes they share one context per
# set of arguments, made at first use (the webhook senders of in-process servers too).
setattr(  # noqa: B010  (assigning the attribute would not type-check: a cache is no function)
    httpx_transports,
    "create_ssl_context",
    functools.cache(httpx_config.create_ssl_context),
)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _ESCPOS_DIR is not None:
        shutil.rmtree(_ESCPOS_DIR, ignore_errors=True)


# Fixtures that outlive one test: the tests sharing one must run in one worker process, one after
# another, or each worker would make its own copy (see pytest_collection_modifyitems).
_SHARED_SCOPES = {"module", "class", "package"}


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[ThrowawayPostgres]:
    """One PostgreSQL for the whole run (one per xdist worker); each test gets a database of its
    own."""
    if os.environ.get("CHERHA_TEST_POSTGRES") == "skip":
        pytest.skip("CHERHA_TEST_POSTGRES=skip")
    cluster = ThrowawayPostgres().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test against both databases Cherha supports: an empty database of its own.

    Use it where the test touches the store (SQL, transactions, locks); a test of a client, a
    page or a window takes `sqlite_url`. `make_centre(database_url)` fills it with a copy of the
    prepared centre in milliseconds.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cherha.db'}"
        return
    cluster: ThrowawayPostgres = request.getfixturevalue("postgres_cluster")
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name)
    # Dropped when the test is done (after the fixtures using it), not kept to the end of the
    # run: a database left in use is dropped with the cluster instead.
    cluster.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An SQLite file of this test's own (not created yet)."""
    return f"sqlite:///{tmp_path / 'cherha.db'}"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with slow tests first (on several workers the longest must not start last), and
    the tests of a module that share a module-scoped fixture kept together in one xdist group."""
    slow = {item.path for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: item.path not in slow)  # stable: modules stay in one piece
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(defs[-1].scope in _SHARED_SCOPES for defs in info.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
