"""Call-next's first look: the visitors handed over to the window and to its clerk (migration
0016_handover_index). Each target is read off its own partial index, and the earlier placed of
the two is called first, whichever target it was handed to. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from cherha.server.store.db import Database
from cherha.server.store.lines import _heads_query
from cherha.server.store.models import Ticket
from tests.api.test_desk_api import RESIDENCE, call, user_id
from tests.helpers.app import Api, make_centre


def hand_over(api: Api, ticket_id: object, body: dict[str, Any]) -> None:
    """clerk2 at window 2 calls `ticket_id` (the earliest there), starts, and hands it over."""
    called = call(api, "clerk2", 2)
    assert called["id"] == ticket_id
    assert api.post(f"/api/v1/tickets/{ticket_id}/start", "clerk2").status_code == 200
    r = api.post(f"/api/v1/tickets/{ticket_id}/transfer", "clerk2", body)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("first_to", ["clerk", "counter"])
def test_the_earlier_hand_over_is_called_first_whichever_target(api: Api, first_to: str) -> None:
    api.open("clerk1", 1)
    api.open("clerk2", 2)
    first, second, general = (api.issue(RESIDENCE) for _ in range(3))
    to_clerk = {"clerk_id": user_id(api, "clerk1")}
    to_counter = {"counter_id": 1}
    hand_over(api, first["id"], to_clerk if first_to == "clerk" else to_counter)
    hand_over(api, second["id"], to_counter if first_to == "clerk" else to_clerk)
    for expected in (first, second, general):  # the hand-overs in place order, then the line
        assert call(api, "clerk1", 1)["id"] == expected["id"]
        assert api.post(f"/api/v1/tickets/{expected['id']}/start", "clerk1").status_code == 200


def test_hand_overs_are_read_off_their_indexes_not_the_whole_line(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    make_centre(url, clerks=1)
    db = Database(url)
    try:
        with db.write(None) as session:
            start = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
            session.execute(insert(Ticket), [_waiting(n, start) for n in range(300)])
        with db.read() as session:
            compiled = _heads_query(3, True).compile(dialect=db.engine.dialect)
            params = compiled.construct_params(
                {"branch_id": 1, "counter_id": 1, "clerk_id": 1}
                | {f"service_{n}": s for n, s in enumerate((1, 9, 10))}
            )
            assert compiled.positiontup is not None
            plan = [
                str(row[-1])
                for row in session.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {compiled}",
                    tuple(params[name] for name in compiled.positiontup),
                )
            ]
    finally:
        db.dispose()
    reads = [step for step in plan if "tickets" in step]
    assert any("ix_tickets_to_counter" in step for step in reads), plan
    assert any("ix_tickets_to_clerk" in step for step in reads), plan
    assert all("ix_tickets_line" in step or "ix_tickets_to_" in step for step in reads), plan


def _waiting(n: int, start: datetime) -> dict[str, object]:
    at = start + timedelta(seconds=n)
    return {
        "branch_id": 1,
        "service_id": (1, 9, 10)[n % 3],
        "lane": "ordinary",
        "number": f"P-{n}",
        "sequence": n + 1,
        "day": at.date(),
        "issued_at": at,
        "order_key": at,
        "status": "waiting",
        "recall_count": 0,
        "public_token": f"plan-{n}",
        "source": "kiosk",
    }
