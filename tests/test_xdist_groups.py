"""The suite's xdist groups hold (tests/README.md): a test marked `xdist_group`, or one sharing a
module-scoped fixture, runs in its group's worker.

pytest-xdist carries a test's group to its scheduler in the node id (`…@group`). Under a pytest
whose node ids it cannot change (pytest 9.2 with xdist 3.8, pytest-dev/pytest-xdist#1386) the
suffix is dropped without a word: the `whole_machine` tests then hammer the machine at the same
time, and every worker rebuilds each module's shared server and browser.
"""

from __future__ import annotations

import pytest


def _grouping(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("runs on pytest-xdist workers with --dist loadgroup (./scripts/test)")


@pytest.fixture(scope="module")
def shared_by_the_module() -> str:
    return "built once for this module's tests"


@pytest.mark.xdist_group("whole_machine")
def test_a_marked_test_reaches_the_scheduler_in_its_group(request: pytest.FixtureRequest) -> None:
    _grouping(request)
    assert request.node.nodeid.endswith("@whole_machine"), request.node.nodeid


def test_a_module_scoped_fixture_keeps_the_module_together(
    request: pytest.FixtureRequest, shared_by_the_module: str
) -> None:
    _grouping(request)
    assert shared_by_the_module
    assert request.node.nodeid.endswith("@tests/test_xdist_groups.py"), request.node.nodeid
