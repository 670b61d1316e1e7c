"""A fuzz run over the OpenAPI description (schemathesis): no request makes the server fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.transport.requests import ManagedCookiesSession

from tests.helpers.app import ThreadedServer, live_server
from tests.helpers.server import ADMIN_PASSWORD, login

pytestmark = pytest.mark.slow


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[ThreadedServer, dict[str, str]]]:
    """A server for each part (not one for the module: a module-scoped fixture keeps its tests
    on one worker, tests/README.md)."""
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    with live_server(url) as (server, centre):
        admin = login(server.url, "admin", ADMIN_PASSWORD)
        yield server, {"admin": admin, "kiosk": centre.kiosk_key}


SHARDS = 4
"""The operations are split into this many tests: one run took 70 s on one worker of the
suite's; in parts the workers share it (each part its own server, on its worker)."""


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_input_makes_a_server_error(
    running: tuple[ThreadedServer, dict[str, str]], shard: int
) -> None:
    """Up to 25 valid and 25 invalid requests per operation (schemathesis' pytest plugin predates pytest 9,
    so the operations are driven with hypothesis directly), a `shard` of the operations."""
    server, keys = running
    # Generous bounds on reading the description and each answer: they only bound a failure,
    # and schemathesis' 10 s default was reached on a machine at load 15.
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json", timeout=60)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI description is invalid: {result}"
        operations.append(result.ok())
    assert len(operations) > 20
    statuses: list[int] = []
    runs = [(op, mode) for op in operations for mode in GenerationMode][shard::SHARDS]
    # One keep-alive session for every request (schemathesis otherwise opens a session and a
    # connection per request): the same requests, minus a connection set-up on both sides each.
    # Cookies a response sets are dropped after it, as with a session per request.
    with ManagedCookiesSession() as session:
        for operation, mode in runs:
            if operation.path == "/api/v1/events":
                continue  # an endless stream; covered by its own tests

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=25,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: schemathesis.Case[Any]) -> None:
                issuing = case.path == "/api/v1/tickets" and case.method.upper() == "POST"
                token = keys["kiosk" if issuing else "admin"]
                response = case.call(
                    base_url=server.url,
                    session=session,
                    timeout=60,
                    headers={"Authorization": f"Bearer {token}"},
                )
                statuses.append(response.status_code)
                where = f"{case.method} {case.formatted_path}"
                assert response.status_code < 500, f"{where}: {response.text}"
                if response.status_code >= 400:
                    body = response.json()
                    assert body["message"], where
                    assert body["message_en"], where

            try:
                check()
            except Unsatisfiable:
                # An operation without inputs has no invalid form; its valid run covers it.
                assert mode is GenerationMode.NEGATIVE, operation.path
    assert len(statuses) > 5 * len(runs), "the fuzz run generated too few requests"
    print(f"fuzz, part {shard}: {len(statuses)} requests, statuses {sorted(set(statuses))}")
