"""20 kiosks issuing and 20 clerks calling at once against a real server process."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers.app import make_centre
from tests.helpers.server import ServerProcess

from .hall import calls_in_commit_order, run_hall, wide_centre

pytestmark = pytest.mark.slow


def test_twenty_kiosks_and_twenty_clerks(database_url: str, tmp_path: Path) -> None:
    centre = make_centre(database_url, clerks=20, spec=wide_centre(20))
    with ServerProcess(database_url, log=tmp_path / "server.log") as server:
        outcome = run_hall(
            [server.url], centre.kiosk_key, centre.clerks, tickets_per_kiosk=10, kiosks=20
        )

    assert outcome.errors == []
    assert len(outcome.issued) == 200

    # Every number unique and gap-free per prefix.
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for ticket in outcome.issued:
        match = re.fullmatch(r"(\D+)(\d{3,})", str(ticket["number"]))  # А015: a Cyrillic prefix
        assert match, ticket["number"]
        by_prefix[match.group(1)].append(int(match.group(2)))
    for prefix, numbers in by_prefix.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), prefix

    # Every ticket called exactly once.
    called_ids = [c["id"] for c in outcome.calls]
    assert sorted(called_ids) == sorted(t["id"] for t in outcome.issued)  # type: ignore[type-var]

    # In first-come order: every window serves every service, so calls follow issue order.
    in_call_order, first_come = calls_in_commit_order(database_url)
    assert in_call_order == first_come
