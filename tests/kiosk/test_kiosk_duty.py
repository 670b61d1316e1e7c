"""Kiosk duty: touch targets on both screen shapes, no way out but the PIN, large text fits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget

from cherha.kiosk.controller import Screen
from cherha.kiosk.model import Problem
from cherha.kiosk.style import CORNER
from cherha.kiosk.widgets import Card

from .conftest import WITH_CATEGORIES, Kiosk, KioskFactory

MIN_TOUCH = 88  # px at 1080p: 15 mm
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def check_targets(kiosk: Kiosk, where: str) -> int:
    """Every visible button is ≥ 88 px both ways and lies wholly on the screen."""
    window = kiosk.w

    def shown() -> bool:
        page = window.stack.currentWidget()
        return page is not None and page.isVisible()

    kiosk.qtbot.waitUntil(shown)
    screen = QRect(QPoint(0, 0), window.size())
    checked = 0
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, QPushButton | Card) or not widget.isVisible():
            continue
        assert widget.height() >= MIN_TOUCH, f"{where}: {widget.property('role')} too low"
        assert widget.width() >= MIN_TOUCH, f"{where}: too narrow"
        if not isinstance(widget, Card):  # cards may scroll; buttons must be wholly there
            rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
            assert screen.contains(rect), f"{where}: {widget.text()!r} off screen"
            assert widget.sizeHint().width() <= widget.width() + 1, f"{widget.text()!r} clipped"
        checked += 1
    return checked


def tap_corner(kiosk: Kiosk, times: int = 5) -> None:
    for _ in range(times):
        QTest.mouseClick(kiosk.w, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))


@WITH_CATEGORIES
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("contrast", [False, True], ids=["calm", "high-contrast"])
def test_touch_targets_on_both_screens(
    make_kiosk: KioskFactory, orientation: str, contrast: bool
) -> None:
    kiosk = make_kiosk(orientation=orientation, high_contrast=contrast)
    width, height = SIZES[orientation]
    kiosk.w.resize(width, height)
    kiosk.wait_ready()
    assert (kiosk.w.width(), kiosk.w.height()) == (width, height)  # the content fits
    assert kiosk.w.portrait is (orientation == "portrait")
    counted = check_targets(kiosk, "start")
    kiosk.to_services(group_index=0)
    counted += check_targets(kiosk, "services")
    kiosk.tap(kiosk.w.services_page.nav.back_button)
    kiosk.wait_screen("groups")
    counted += check_targets(kiosk, "groups")
    kiosk.tap(kiosk.w.groups_page.cards[0])
    kiosk.tap(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("priority")
    counted += check_targets(kiosk, "priority")
    kiosk.tap(kiosk.w.priority_page.yes)
    kiosk.wait_screen("ticket")
    kiosk.wait_printed()
    counted += check_targets(kiosk, "ticket")
    tap_corner(kiosk)
    assert kiosk.w.stack.currentWidget() is kiosk.w.pin_page
    counted += check_targets(kiosk, "pin")
    kiosk.tap(kiosk.w.pin_page.cancel_button)
    kiosk.tap(kiosk.w.ticket_page.done_button)
    kiosk.to_services()
    kiosk.c.problem = Problem("ticket", "outside_hours", "Послуга зараз не працює", "Closed now")
    kiosk.c.go(Screen.REFUSED)
    kiosk.wait_screen("refused")
    counted += check_targets(kiosk, "refused")
    assert (kiosk.w.width(), kiosk.w.height()) == (width, height)
    assert counted >= 30


def test_keys_and_close_cannot_leave_the_kiosk_on_duty(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(fullscreen=True)
    kiosk.wait_ready()
    window = kiosk.w
    for key, modifier in [
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    ]:
        QTest.keyClick(window, key, modifier)
        QTest.keyClick(window.start_page.take, key, modifier)
    assert window.isVisible()
    assert kiosk.c.screen == Screen.START  # Return did not press the focused button either
    event = QCloseEvent()
    window.closeEvent(event)
    assert not event.isAccepted()
    window.close()
    assert window.isVisible()
    assert window.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_a_kiosk_in_a_window_closes_as_any_window(kiosk: Kiosk) -> None:
    """Not on duty (no --kiosk): safe on a developer's desktop, the window closes."""
    assert not kiosk.config.fullscreen
    assert not kiosk.w.windowFlags() & Qt.WindowType.FramelessWindowHint
    kiosk.w.close()
    assert not kiosk.w.isVisible()


def test_fullscreen_kiosk_window_is_frameless(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(fullscreen=True)
    assert kiosk.w.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_hidden_exit_five_corner_taps_and_the_pin(kiosk: Kiosk) -> None:
    window = kiosk.w
    now = [100.0]
    window.clock = lambda: now[0]
    tap_corner(kiosk, 4)
    assert window.stack.currentWidget() is not window.pin_page
    now[0] += 4  # too slow: the taps start over
    tap_corner(kiosk, 4)
    assert window.stack.currentWidget() is not window.pin_page
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(CORNER + 50, 20))
    tap_corner(kiosk, 1)
    assert window.stack.currentWidget() is window.pin_page
    pad = window.pin_page
    assert pad.title.text() == "Вихід для адміністратора"

    for digit in "1111":
        kiosk.tap(pad.keys[digit])
    assert pad.display.text() == "●●●●"
    kiosk.tap(pad.keys["ok"])
    assert pad.message.text() == "Неправильний PIN-код"
    assert window.isVisible()
    kiosk.tap(pad.cancel_button)
    assert window.stack.currentWidget() is window.start_page

    tap_corner(kiosk)
    with kiosk.qtbot.waitSignal(window.exit_requested, timeout=2000):
        for digit in "2468":
            kiosk.tap(pad.keys[digit])
        kiosk.tap(pad.keys["ok"])
    assert not window.isVisible()


def test_no_pin_configured_means_no_hidden_exit(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(admin_pin="")
    kiosk.wait_ready()
    tap_corner(kiosk, 6)
    assert kiosk.w.stack.currentWidget() is not kiosk.w.pin_page


def test_the_pin_pad_gives_way_back_to_visitors(kiosk: Kiosk) -> None:
    kiosk.w.pin_timer.setInterval(100)
    tap_corner(kiosk)
    assert kiosk.w.stack.currentWidget() is kiosk.w.pin_page
    kiosk.qtbot.waitUntil(lambda: kiosk.w.stack.currentWidget() is kiosk.w.start_page)
