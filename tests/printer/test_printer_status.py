"""DLE EOT status bytes and the errors they mean."""

from __future__ import annotations

import pytest

from cherha.printer.errors import CoverOpen, PaperOut, PrinterError, PrinterOffline, PrinterTimeout
from cherha.printer.status import PrinterStatus, is_status_byte, query
from tests.printer.fakes import COVER_OPEN, HEALTHY, PAPER_NEAR_END, PAPER_OUT


def status(table: dict[int, int]) -> PrinterStatus:
    return PrinterStatus.from_bytes(table[1], table[2], table[4])


def test_queries_and_byte_shape() -> None:
    assert query(4) == b"\x10\x04\x04"
    assert all(is_status_byte(b) for b in (0x12, 0x1A, 0x72, 0x1E, 0x16))
    assert not is_status_byte(0x00)
    assert not is_status_byte(0x93)


def test_decoding() -> None:
    assert status(HEALTHY) == PrinterStatus(online=True)
    assert status(PAPER_OUT) == PrinterStatus(online=False, paper_out=True)
    assert status(PAPER_NEAR_END) == PrinterStatus(online=True, paper_near_end=True)
    assert status(COVER_OPEN) == PrinterStatus(online=False, cover_open=True)


@pytest.mark.parametrize(
    ("table", "error"),
    [(PAPER_OUT, PaperOut), (COVER_OPEN, CoverOpen), ({1: 0x1A, 2: 0x12, 4: 0x12}, PrinterOffline)],
)
def test_errors(table: dict[int, int], error: type[PrinterError]) -> None:
    problem = status(table).error()
    assert isinstance(problem, error)
    assert str(problem) == f"{problem.message_uk} / {problem.message_en}"
    after = status(table).error(after_job=True)
    assert after is not None
    assert "міг не надрукуватися" in after.message_uk
    assert "may not have been printed" in str(after)


def test_ready_and_near_end_are_not_errors() -> None:
    assert status(HEALTHY).error() is None
    assert status(PAPER_NEAR_END).error() is None
    assert "папір закінчується / paper near end" in status(PAPER_NEAR_END).describe()
    assert PrinterStatus.unknown().known is False
    assert PrinterStatus.unknown().ready


def test_every_error_speaks_both_languages() -> None:
    for cls in (PrinterError, PrinterOffline, PaperOut, CoverOpen, PrinterTimeout):
        exc = cls(detail="x")
        assert exc.message_uk
        assert exc.message_en
        assert str(exc) == f"{exc.message_uk} / {exc.message_en}"
        assert isinstance(exc, PrinterError)
