"""Core statements on a write's own connection, for the hot paths (issue, call, start).

Through the ORM each statement cost 0.1–0.3 ms of Python on top of the SQL: a `session.get`
builds a query and an object, a flush sorts the unit of work and runs its events, a select
through the session processes rows as ORM results. These helpers run prepared Core statements
on the session's connection, in the same transaction as everything else the write does, and
put a row just inserted into the session as if it had been loaded, so later code (and a later
flush) treats it as any other stored row.

Statements sent past the session do not flush it first: `connection()` flushes what is
pending, so they see the write's earlier ORM changes.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.orm.util import identity_key

from . import group_reads
from .models import Base, Branch, Service

B = TypeVar("B", bound=Base)


def connection(session: Session) -> Connection:
    """The write's connection, with the session's pending changes flushed to it."""
    session.flush()
    return session.connection()


def attach(session: Session, row: B) -> B:
    """`row` (every column set, with the primary key the database gave) as a stored row in
    the session: no INSERT (a Core statement made it), no SELECT later (no attribute is left
    unloaded); a change to it is flushed as an UPDATE."""
    make_transient_to_detached(row)
    session.add(row)
    return row


def stored(model: type[B], values: Mapping[str, Any]) -> B:
    """A new object of `model` holding these column values as stored (for `attach`).

    The values go straight into the object's dict, as the ORM's own loading puts them:
    through the constructor each went through the attribute's instrumentation (history,
    events), and building a ticket cost four times more. No model has a validator, a custom
    constructor or a mutable-tracked column that the constructor would have run.
    """
    row = manager_of_class(model).new_instance()
    row.__dict__.update(values)
    return row


def loaded(session: Session, model: type[B], values: Mapping[str, Any]) -> B:
    """The stored row with these column values (read by a Core statement, every column) as
    an object of the session: the one the session has already, else `values` attached."""
    existing = session.identity_map.get(identity_key(model, values["id"]))
    if isinstance(existing, model):
        return existing
    return attach(session, stored(model, values))


def fetch(session: Session, model: type[B], row_id: int) -> B | None:
    """`session.get(model, row_id)` for a model with an `id` key, at a third of its cost:
    the session's own object if it has one, else one prepared Core SELECT, attached.

    A branch or a service is read once per group commit (`group_reads`: the same values
    until a write of the group changes its table)."""
    existing = session.identity_map.get(identity_key(model, row_id))
    if existing is not None:
        return existing if isinstance(existing, model) else None
    conn = connection(session)
    reads = group_reads.of(conn) if model in _SHARED_IN_GROUP else None
    if reads is None:
        values = _values(conn, model, row_id)
    else:
        table = model.__tablename__
        values = reads.get("row", (table, row_id), (table,), lambda: _values(conn, model, row_id))
    if values is None:
        return None
    # A JSON value is this object's own, as if just read (the shared one stays as read).
    own = {key: copy.deepcopy(v) if isinstance(v, dict | list) else v for key, v in values.items()}
    return attach(session, stored(model, own))


_SHARED_IN_GROUP = frozenset({Branch, Service})
"""Rows a group's writes share (rarely written; read by every issue and call)."""


def _values(conn: Connection, model: type[Base], row_id: int) -> dict[str, Any] | None:
    found = conn.execute(_by_id(model), {"row_id": row_id}).first()
    return None if found is None else found._asdict()


@functools.cache
def _by_id(model: type[Base]) -> Select[Any]:
    table = model.__table__
    return select(table).where(table.c.id == bindparam("row_id"))
