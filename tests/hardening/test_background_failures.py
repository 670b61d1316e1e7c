"""Background loops outlive their failures: a database that is away is one line in the log
(no traceback), a bug is logged with its traceback, and the loop goes on
(`cherha.server.store.faults.log_failures`, used by the sweeper and the notification loops)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from cherha.server.store.bookings import BookingOps
from cherha.server.store.db import Database
from cherha.server.store.faults import log_failures
from cherha.server.sweeper import BookingSweeper
from tests.helpers.app import make_centre
from tests.helpers.ports import free_port

log = logging.getLogger("tests.background")


def database_away() -> Database:
    """A PostgreSQL server that is not running: nothing listens on the port (loopback)."""
    return Database(f"postgresql://cherha@127.0.0.1:{free_port()}/cherha", timeout=2.0)


def one_line(record: logging.LogRecord, prefix: str) -> bool:
    message = record.getMessage()
    return (
        record.levelname == "ERROR"
        and message.startswith(f"{prefix}: database unavailable: ")
        and "refused" in message
        and "\n" not in message.strip()
        and record.exc_info is None
    )


def test_a_database_away_is_one_line_and_a_bug_has_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    away = database_away()
    passes = []
    try:
        for _ in range(2):
            with log_failures(log, "the test's loop"):
                with away.read() as session:
                    session.execute(text("SELECT 1"))
                passes.append("done")  # never reached: the pass ends at the fault
        with log_failures(log, "the test's loop"):
            raise ValueError("a bug")
    finally:
        away.dispose()
    assert passes == []
    first, second, bug = caplog.records
    assert one_line(first, "the test's loop")
    assert one_line(second, "the test's loop")
    assert (bug.levelname, bug.getMessage()) == ("ERROR", "the test's loop failed")
    assert bug.exc_info is not None
    assert bug.exc_info[0] is ValueError


def test_the_sweeper_logs_a_database_away_and_sweeps_once_it_is_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    away = database_away()
    try:
        BookingSweeper(BookingOps(away), interval=0)._run()  # one pass, as at start
    finally:
        away.dispose()
    rehash, sweep = caplog.records
    assert one_line(rehash, "hashing phone numbers with the current key")
    assert one_line(sweep, "booking sweep")
    caplog.clear()
    url = f"sqlite:///{tmp_path / 'cherha.db'}"
    make_centre(url)
    back = Database(url)
    try:
        BookingSweeper(BookingOps(back), interval=0)._run()
    finally:
        back.dispose()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
