"""`statements.stored` builds a row's object without the constructor: the same object as the
constructor would give once attached, for every model (none has a validator or a custom
constructor that the shortcut would skip)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class

from cherha.server.store.models import Base, Event, Ticket
from cherha.server.store.statements import attach, stored

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


# Sorted: the registry's set has no order, and every xdist worker must collect the same list.
MAPPERS = sorted(Base.registry.mappers, key=lambda m: m.class_.__name__)


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.class_.__name__)
def test_no_model_runs_code_the_shortcut_would_skip(mapper: object) -> None:
    assert not inspect(mapper).validators
    assert manager_of_class(inspect(mapper).class_).original_init is Base.__init__


def _ticket_values() -> dict[str, object]:
    values: dict[str, object] = {c.key: None for c in inspect(Ticket).column_attrs}
    values.update(
        id=7,
        branch_id=1,
        service_id=1,
        lane="ordinary",
        number="А007",
        sequence=7,
        day=date(2026, 11, 28),
        issued_at=NOW,
        order_key=NOW,
        status="waiting",
        recall_count=0,
        public_token="t",
        source="kiosk",
        note="",
        note_by="",
        outcome="",
        cancel_reason="",
    )
    return values


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Ticket, _ticket_values()),
        (
            Event,
            {
                "id": 3,
                "at": NOW,
                "branch_id": 1,
                "type": "ticket_called",
                "ticket_id": 7,
                "counter_id": 1,
                "actor": "user:clerk1",
                "data": {"number": "А007"},
            },
        ),
    ],
)
def test_a_stored_row_is_the_constructed_row_once_attached(
    model: type[Base], values: dict[str, object]
) -> None:
    built = model(**values)
    make_transient_to_detached(built)
    session = Session()
    row = attach(session, stored(model, values))
    state = inspect(row)
    assert state.persistent
    assert state.key == inspect(built).key
    assert not state.modified
    assert not session.dirty
    for key in values:
        assert getattr(row, key) == getattr(built, key)
        assert not state.attrs[key].history.has_changes()
    setattr(row, "number" if model is Ticket else "actor", "changed")
    assert list(session.dirty) == [row]  # a later change is flushed as an UPDATE
    session.close()
