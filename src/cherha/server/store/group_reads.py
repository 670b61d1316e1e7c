"""Reads shared by the writes of one group commit, while nothing they rest on is written.

Under load the write lane runs dozens of writes in one SQLite transaction (group commit:
`cherha.server.writes`), each in a savepoint and a session of its own, and each read the
branch, the service and the floor (windows, visitors at them) again: an eighth of the lane's
time issuing tickets (issue 19). Inside the group nothing else can write — the group holds
SQLite's write lock from its first statement to its commit — so a row read once stays as read
until a statement of the group itself writes its table. Every statement the group's connection
sends passes `_watch` before it runs: a write drops the reads resting on the table it writes, a
rollback to a savepoint (a write that failed) and any statement not known to be a plain read or
write drop them all. So a read given from here is exactly what the database would answer.

A write may declare that it changes nothing a kind of read rests on (`KEEPS`: issuing inserts a
waiting ticket, which is at no window, so the floor stays as read).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event

T = TypeVar("T")

_KEY = "cherha_group_reads"
KEEPS = "cherha_keeps_reads"
"""Execution option: the kinds of reads (`GroupReads.get`'s `kind`) a write leaves as they were."""

# Statements SQLAlchemy and the store send; anything else drops every read.
_WRITE = re.compile(
    r"\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+\"?(\w+)",
    re.IGNORECASE,
)
_PLAIN_READ = re.compile(r"\s*(?:SELECT|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


class GroupReads:
    """Values read in this group, each with the tables it rests on."""

    def __init__(self) -> None:
        self._values: dict[tuple[Any, ...], tuple[str, frozenset[str], Any]] = {}

    def get(
        self, kind: str, key: tuple[Any, ...], tables: Collection[str], load: Callable[[], T]
    ) -> T:
        """The value of `load()` as read earlier in the group, or read now and kept. The same
        object each time: callers copy what they would change (`statements.fetch` does)."""
        found = self._values.get((kind, *key))
        if found is not None:
            value: T = found[2]
            return value
        value = load()
        self._values[(kind, *key)] = (kind, frozenset(tables), value)
        return value

    def written(self, table: str, keeps: Collection[str] = ()) -> None:
        for key, (kind, tables, _value) in list(self._values.items()):
            if table in tables and kind not in keeps:
                del self._values[key]

    def clear(self) -> None:
        self._values.clear()


def begin(connection: Connection) -> GroupReads:
    """Shared reads for the group on `connection`, until `end`."""
    reads = GroupReads()
    connection.info[_KEY] = reads
    return reads


def end(connection: Connection) -> None:
    """The group is over (the connection goes back to the pool, its `info` with it)."""
    connection.info.pop(_KEY, None)


@contextmanager
def kept_unless_failed(connection: Connection) -> Iterator[None]:
    """Around one write of the group: if it fails, what it read may have been its own
    writes, now rolled back, so every shared read goes."""
    try:
        yield
    except BaseException:
        reads = of(connection)
        if reads is not None:
            reads.clear()
        raise


def of(connection: Connection) -> GroupReads | None:
    """The group's shared reads, when `connection` is a group's."""
    reads: GroupReads | None = connection.info.get(_KEY)
    return reads


def watch(engine: Engine) -> None:
    """See every statement of the engine's connections before it runs (`_watch`)."""
    event.listen(engine, "before_cursor_execute", _watch)


def _watch(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    reads = of(connection)
    if reads is None:
        return
    kind = _kind_of(statement)
    if kind is _READS:
        return
    if kind is _UNKNOWN:
        reads.clear()  # a rollback to a savepoint, DDL, a PRAGMA: nothing read is sure
        return
    keeps: Collection[str] = context.execution_options.get(KEEPS, ()) if context else ()
    reads.written(kind, keeps)


_READS = "<reads>"
_UNKNOWN = "<unknown>"
_KINDS: dict[str, str] = {}
"""Each statement's kind as `_kind_of` found it: the store sends the same few statements
(SQLAlchemy caches their text), and two regular expressions per statement cost more than a
dictionary lookup (issue 19)."""
_KINDS_KEPT = 2_000


def _kind_of(statement: str) -> str:
    """`_READS` for a plain read, the table's name for a write, else `_UNKNOWN`."""
    kind = _KINDS.get(statement)
    if kind is not None:
        return kind
    if _PLAIN_READ.match(statement):
        kind = _READS
    else:
        written = _WRITE.match(statement)
        kind = _UNKNOWN if written is None else written.group(1).lower()
    if len(_KINDS) >= _KINDS_KEPT:  # statements with IN lists of many lengths: stay bounded
        _KINDS.clear()
    _KINDS[statement] = kind
    return kind
