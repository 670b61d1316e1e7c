"""Statuses, lanes and the other enum columns are compared with literals, never parameters
(issue 19).

SQLite decides whether a partial index applies (the tickets' `WHERE status = 'waiting'` ones)
by looking at the value bound to a parameter compared with the index's column, and then marks
the statement to be prepared again whenever that parameter is bound: on every run. The
call's query of the lines' heads cost 0.68–0.79 ms that way instead of 0.19 ms
(bench/bench_statements.py, docs/benchmarks.md). What reaches the database over a day at the desk is checked here.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, select

from cherha.core.model import Lane, TicketStatus
from cherha.server.store.models import Base, Ticket
from tests.helpers.app import Api
from tests.helpers.statements import Sent

_PARAMETER = r"(?:\?|%\(\w+\)s)"  # SQLite's and psycopg's markers


def _partial_index_columns() -> list[str]:
    """`tickets.status`: each column that a partial index's WHERE compares with a value."""
    found = set()
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None:
                for column in re.findall(r"\b(\w+)\s*=\s*'", str(where)):
                    found.add(f"{table.name}.{column}")
    return sorted(found)


def _compared_with_a_parameter(column: str) -> re.Pattern[str]:
    """`tickets.status = ?`, `tickets.status IN (?, ?)`, `tickets.status != %(status_1)s`."""
    operator = r"(?:=|!=|<>|(?:NOT\s+)?IN\s*\()"
    return re.compile(rf"\b{re.escape(column)}\s*{operator}\s*{_PARAMETER}", re.IGNORECASE)


def _conditions(sql: str) -> str:
    """What follows the first WHERE (an UPDATE's SET sends its new values as parameters)."""
    parts = re.split(r"\bWHERE\b", sql, maxsplit=1)
    return parts[1] if len(parts) == 2 else ""


def test_members_are_written_into_the_sql_on_both_databases() -> None:
    query = select(Ticket.id).where(
        Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]),
        Ticket.status != TicketStatus.WAITING,
        Ticket.lane == Lane.PRIORITY.value,
    )
    for url in ("sqlite://", "postgresql+psycopg://"):  # (no connection made)
        dialect = create_engine(url).dialect
        compiled = query.compile(dialect=dialect)
        assert "IN ('called', 'serving')" in str(compiled), str(compiled)
        assert "tickets.status != 'waiting'" in str(compiled)
        assert "tickets.lane = 'priority'" in str(compiled)
        assert compiled.params == {}
    with pytest.raises(ValueError, match="not a valid TicketStatus"):
        select(Ticket.id).where(Ticket.status == "teleported")  # never reaches the database


def test_a_day_at_the_desk_compares_no_enum_column_with_a_parameter(api: Api) -> None:
    sent = Sent(api.client.app.state.backend.db)  # type: ignore[attr-defined]
    api.open("clerk1", 1)
    tickets = [api.issue(1), api.issue(1, priority=True), api.issue(2), api.issue(1)]
    public = api.client.get(f"/api/v1/tickets/{tickets[0]['public_token']}")
    assert public.status_code == 200, public.text
    for _ in range(2):
        called = api.call_next("clerk1", 1)
        assert called is not None
        ticket = f"/api/v1/tickets/{called['id']}"
        assert api.post(f"{ticket}/recall", "clerk1").status_code == 200
        assert api.post(f"{ticket}/start", "clerk1").status_code == 200
        assert api.post(f"{ticket}/finish", "clerk1", {}).status_code == 200
    missed = api.call_next("clerk1", 1)
    assert missed is not None
    assert api.post(f"/api/v1/tickets/{missed['id']}/no-show", "clerk1").status_code == 200
    returned = api.post(f"/api/v1/tickets/{missed['id']}/return", "clerk1")
    assert returned.status_code == 200, returned.text
    cancelled = api.post(f"/api/v1/tickets/{missed['id']}/cancel", "clerk1", {"reason": "x"})
    assert cancelled.status_code == 200, cancelled.text
    for path in ("/api/v1/counters/1/waiting", "/api/v1/counters/1/no-shows", "/api/v1/board"):
        r = api.client.get(path, headers=api.as_user("clerk1"))
        assert r.status_code == 200, (path, r.text)
    assert api.post("/api/v1/counters/1/pause", "clerk1", {}).status_code == 200
    assert api.post("/api/v1/counters/1/close", "clerk1").status_code == 200
    assert any("tickets" in sql for sql in sent.texts)  # the day was seen
    columns = _partial_index_columns()
    assert "tickets.status" in columns
    for column in columns:
        pattern = _compared_with_a_parameter(column)
        assert [sql for sql in sent.texts if pattern.search(_conditions(sql))] == [], column
