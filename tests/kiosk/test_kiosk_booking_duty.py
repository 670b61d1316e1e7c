"""The booking screens on kiosk duty: touch targets ≥ 88 px on both screen shapes and in both
looks, everything on screen, the window never pushed larger; nobody timed out while typing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from cherha.kiosk.controller import Screen
from tests.api.test_bookings import TOMORROW_10
from tests.printer.fakes import PAPER_OUT

from .booking_helpers import book_at, scan, wait_job
from .conftest import TIMEOUT, BookingCentre, Kiosk, KioskFactory
from .test_kiosk_duty import SIZES, check_targets
from .test_kiosk_faults import SwitchablePrinter


def wait_cards(kiosk: Kiosk, page_name: str) -> None:
    page = getattr(kiosk.w.bookings, page_name)
    kiosk.qtbot.waitUntil(lambda: bool(page.cards) and page.cards[-1].isVisible(), timeout=TIMEOUT)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("contrast", [False, True], ids=["calm", "high-contrast"])
def test_touch_targets_on_the_booking_screens(
    make_booking_kiosk: KioskFactory,
    booking_server: BookingCentre,
    prints: Path,
    orientation: str,
    contrast: bool,
) -> None:
    kiosk = make_booking_kiosk(orientation=orientation, high_contrast=contrast)
    width, height = SIZES[orientation]
    kiosk.w.resize(width, height)
    c, a = kiosk.c, kiosk.c.appointments
    counted = 0

    def check(where: str) -> None:
        nonlocal counted
        counted += check_targets(kiosk, where)
        assert (kiosk.w.width(), kiosk.w.height()) == (width, height), where

    check("start")
    a.begin_checkin()
    kiosk.wait_screen("code")
    for ch in "ABC":
        kiosk.c.type_key(ch)
    check("code")
    a.scanned("XYZ-234")
    kiosk.wait_screen("checkin_refused")
    check("checkin refused")
    c.cancel()

    a.begin_booking()
    kiosk.wait_screen("book_services")
    wait_cards(kiosk, "services")
    check("book services")
    a.choose_service(1)
    kiosk.wait_screen("book_days")
    check("book days")
    a.choose_day(date(2026, 11, 25))
    wait_cards(kiosk, "times")
    check("book times")
    a.choose_time(40)
    kiosk.wait_screen("book_phone")
    for digit in "671234567":
        kiosk.c.type_key(digit)
    check("book phone")
    a.submit()
    kiosk.wait_screen("book_name")
    for letter in "ОЛЕНА":
        kiosk.c.type_key(letter)
    check("book name")
    kiosk.c.type_key("<abc>")
    kiosk.qtbot.waitUntil(lambda: kiosk.w.bookings.name.keys["Q"].isVisible())
    check("book name, latin")
    a.submit()
    kiosk.wait_screen("book_confirm")
    check("book confirm")
    a.confirm()
    kiosk.wait_screen("booked")
    wait_job(kiosk, prints)
    check("booked")
    c.done()
    kiosk.wait_screen("start")

    code = book_at(booking_server, TOMORROW_10 + timedelta(hours=1), phone="0501112233")
    booking_server.clock.now = TOMORROW_10 + timedelta(minutes=70)  # late: the longer text
    scan(kiosk, code)
    kiosk.wait_screen("ticket")
    wait_job(kiosk, prints, 2)
    check("checked-in ticket")
    assert counted >= 150


def test_nobody_is_timed_out_while_typing(make_booking_kiosk: KioskFactory) -> None:
    kiosk = make_booking_kiosk(return_delay_seconds=0.05, fault_return_delay_seconds=0.05)
    a = kiosk.c.appointments
    a.begin_checkin()
    kiosk.c.type_key("A")
    kiosk.qtbot.wait(400)
    assert kiosk.c.screen == Screen.CODE
    assert a.form.code == "A"
    kiosk.c.cancel()
    a.begin_booking()
    wait_cards(kiosk, "services")
    a.choose_service(1)
    a.choose_day(date(2026, 11, 25))
    wait_cards(kiosk, "times")
    a.choose_time(0)
    kiosk.wait_screen("book_phone")
    kiosk.c.type_key("5")
    kiosk.qtbot.wait(400)
    assert str(kiosk.c.screen) == "book_phone"
    assert a.form.phone == "5"


def test_an_outage_covers_the_keypad_and_gives_it_back(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre
) -> None:
    kiosk = make_booking_kiosk()
    a = kiosk.c.appointments
    a.begin_checkin()
    for ch in "ABC":
        kiosk.c.type_key(ch)
    kiosk.c.watch.reachable = False  # as the watch says when the server is gone
    kiosk.c._update_screen()
    kiosk.wait_screen("outage")
    kiosk.c.type_key("D")  # the hidden keypad takes nothing
    kiosk.c.watch.reachable = True
    kiosk.c._update_screen()
    kiosk.wait_screen("code")
    assert kiosk.w.bookings.code.entry.text() == "ABC"


def test_paper_out_the_booking_and_the_checked_in_ticket_stay_on_screen(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre
) -> None:
    with SwitchablePrinter() as printer:
        printer.refill()
        kiosk = make_booking_kiosk(printer=printer.spec)
        watch = kiosk.c.printer_watch
        kiosk.qtbot.waitUntil(lambda: watch.state == "ok", timeout=TIMEOUT)
        printer.table = dict(PAPER_OUT)
        a = kiosk.c.appointments
        a.begin_booking()
        wait_cards(kiosk, "services")
        a.choose_service(1)
        a.choose_day(date(2026, 11, 25))
        wait_cards(kiosk, "times")
        a.choose_time(40)
        kiosk.wait_screen("book_phone")
        for digit in "671234567":
            kiosk.c.type_key(digit)
        a.submit()
        for letter in "ОЛЕНА":
            kiosk.c.type_key(letter)
        a.submit()
        with kiosk.qtbot.waitSignal(watch.reported, timeout=TIMEOUT) as told:
            a.confirm()
            kiosk.wait_screen("booked")
            kiosk.wait_printed()
        assert told.args is not None
        assert told.args[0] == "paper_out"
        assert kiosk.c.print_state == "failed"
        page = kiosk.w.bookings.booked
        booking = a.form.booking
        assert booking is not None
        assert page.number.text() == booking.code
        assert page.qr.isVisible()
        assert page.print_state.text().startswith("Підтвердження не надруковано")
        assert page.print_state.property("role") == "banner"
        kiosk.tap(page.done_button)
        kiosk.wait_screen("start")
        assert kiosk.w.start_page.banner.isVisible()
        # The booking made here checks in on the day, printer or not.
        booking_server.clock.now = TOMORROW_10 - timedelta(minutes=5)
        scan(kiosk, booking.code)
        kiosk.wait_screen("ticket")
        kiosk.wait_printed()
        assert kiosk.c.print_state == "failed"
        assert kiosk.w.ticket_page.print_state.text().startswith("Талон не надруковано")
        assert not printer.job
