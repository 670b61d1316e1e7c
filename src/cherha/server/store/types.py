"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, DateTime, Dialect, Integer, String, literal_column
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=StrEnum)

BigId = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit ids on PostgreSQL; SQLite only autoincrements an INTEGER PRIMARY KEY."""


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware one")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _MembersAsLiterals(TypeDecorator.Comparator[Any]):
    """An `EnumText` column compared with members: their values written into the SQL."""

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> ColumnElement[Any]:
        if len(other) == 1 and op in (operators.eq, operators.ne) and isinstance(other[0], str):
            return op(self.expr, self._literal(other[0]))  # type: ignore[no-any-return]
        if len(other) == 1 and op in (operators.in_op, operators.not_in_op):
            values = other[0]
            if isinstance(values, list | tuple) and all(isinstance(v, str) for v in values):
                return op(self.expr, [self._literal(v) for v in values])  # type: ignore[no-any-return]
        return super().operate(op, *other, **kwargs)

    def _literal(self, value: str) -> ColumnElement[Any]:
        """The member's value as SQL text; a value that is not a member is refused here."""
        column_type = self.type
        assert isinstance(column_type, EnumText)
        text = str(column_type.enum(value).value).replace("'", "''")
        return literal_column(f"'{text}'", type_=column_type)


class EnumText(TypeDecorator[E]):
    """A StrEnum kept as its value in a VARCHAR: the same strings as ever (no migration, and
    Alembic sees a plain String), a member of the enum in Python, and a value that is not a
    member refused on the way in.

    Compared with a member (`==`, `!=`, `in_`, `not_in`), the member's value is written into
    the SQL as a literal, not sent as a parameter. SQLite checks whether a partial index
    applies (the tickets' `WHERE status = 'waiting'` ones) by the value bound to a parameter
    compared with its column, and then prepares the statement again every time that parameter
    is bound — on every run: the call's query of the lines' heads took 0.68–0.79 ms a call
    instead of 0.19 ms (bench/bench_statements.py, issue 19). A literal leaves nothing to
    re-check.
    """

    impl = String
    cache_ok = True

    comparator_factory = _MembersAsLiterals

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)
