"""What a test's database is sent, statement by statement (a SQLAlchemy engine event)."""

from __future__ import annotations

import re

from sqlalchemy import event

from cherha.server.store.db import Database

_WORDS = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN IMMEDIATE|\w+)")
_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)")


def _shape(sql: str) -> str:
    """`SELECT request_keys`, `INSERT tickets`, `SAVEPOINT`: a statement's verb and table."""
    verb = _WORDS.match(sql.lstrip())
    assert verb is not None, sql
    table = _TABLE.search(sql)
    if verb.group(1) in ("SELECT", "INSERT", "UPDATE", "DELETE") and table is not None:
        return f"{verb.group(1)} {table.group(1)}"
    return verb.group(1)


class Sent:
    """The statements the database is sent, as `_shape`s, and their text."""

    def __init__(self, db: Database) -> None:
        self.texts: list[str] = []
        event.listen(db.engine, "before_cursor_execute", self._note)

    def _note(self, _conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        self.texts.append(sql)

    def take(self) -> list[str]:
        shapes = [_shape(sql) for sql in self.texts]
        self.texts.clear()
        return shapes
