"""Steps shared by the kiosk's check-in and booking tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import zxingcpp
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.api.test_bookings import NAME, PHONE

from .conftest import TIMEOUT, BookingCentre, Kiosk


def book_at(centre: BookingCentre, start: datetime, *, phone: str = PHONE, name: str = NAME) -> str:
    """A booking made on the public page (as a visitor's phone would); its code «ABC-DEF»."""
    with centre.public() as client:
        return client.book(1, start, phone, name=name).code


def scan(kiosk: Kiosk, text: str) -> None:
    """The hall's scanner: the whole text as fast key presses into the window, then Enter."""
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(kiosk.w, ch)
        else:  # QTest knows no key for a Cyrillic letter: send its text with no key code
            for action in (QTest.KeyAction.Press, QTest.KeyAction.Release):
                QTest.sendKeyEvent(
                    action, kiosk.w, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
                )
    QTest.keyClick(kiosk.w, Qt.Key.Key_Return)


def touch(widget: QWidget) -> None:
    """A tap delivered to the widget itself. (QTest's clicks go through the offscreen screen,
    800 × 800 px, and are lost beyond it; the kiosk's window is 1080 × 1920 or 1920 × 1080.)"""
    assert widget.isVisible(), f"{widget!r} is not on screen"
    local = QPointF(widget.rect().center())
    where = QPointF(widget.mapToGlobal(widget.rect().center()))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, none),
    ):
        event = QMouseEvent(kind, local, where, left, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


def jobs(prints: Path) -> list[Path]:
    return sorted(prints.glob("*.bin"))


def wait_job(kiosk: Kiosk, prints: Path, count: int = 1) -> Path:
    kiosk.qtbot.waitUntil(lambda: len(jobs(prints)) >= count, timeout=TIMEOUT)
    kiosk.wait_printed()
    return jobs(prints)[count - 1]


def slip_text(job: Path) -> str:
    """The job's text as the printer reads it (CP1251 in text mode), lines joined by spaces."""
    return " ".join(job.read_bytes().decode("cp1251", errors="replace").split())


def decode_qr(path: Path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]
