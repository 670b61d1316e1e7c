""" "I have a booking": a scan anywhere on the start screen, or the code typed on the screen's
keyboard; on time, late, too early, wrong, cancelled and used codes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cherha.kiosk.controller import Screen
from tests.api.test_bookings import TOMORROW_10

from .booking_helpers import book_at, scan, slip_text, wait_job
from .conftest import TIMEOUT, BookingCentre, Kiosk


def test_a_scan_on_the_start_screen_checks_in_on_time_and_prints_the_slot_time(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    code = book_at(booking_server, TOMORROW_10)
    booking_server.clock.now = TOMORROW_10 - timedelta(minutes=10)
    scan(kiosk, f"{booking_server.url}/book/qr/{code}.png")  # a link ending with the code
    kiosk.wait_screen("ticket")
    checkin = kiosk.c.appointments.checkin
    assert checkin is not None
    assert checkin.booking.on_time
    assert kiosk.c.ticket is not None
    assert kiosk.c.ticket.number == "А001"
    page = kiosk.w.ticket_page
    assert page.number.text() == "А001"
    assert page.heading.text() == "Ваш талон за записом"
    assert "Ваш запис: Середа, 25 листопада, 10:00" in page.booking.text()
    assert "вчасно" in page.booking.text()
    assert page.booking.property("role") == "body"
    text = slip_text(wait_job(kiosk, prints))
    assert kiosk.c.print_state == "printed"
    assert "А001" in text
    assert f"Запис на 10:00 ({code})" in text
    assert "Booking at 10:00" in text


def test_a_scan_in_the_ukrainian_keyboard_layout_is_read_back(
    booking_kiosk: Kiosk, booking_server: BookingCentre
) -> None:
    code = book_at(booking_server, TOMORROW_10)
    booking_server.clock.now = TOMORROW_10
    latin = "qwertyuiopasdfghjklzxcvbnm"
    cyrillic = "йцукенгшщзфівапролдячсмить"
    typed = code.lower().translate(str.maketrans(latin, cyrillic))
    assert typed != code.lower() or not any(c.isalpha() for c in code)
    scan(booking_kiosk, typed)
    booking_kiosk.wait_screen("ticket")
    assert booking_kiosk.c.appointments.checkin is not None


def test_the_code_typed_on_the_screen_keyboard(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    code = book_at(booking_server, TOMORROW_10)
    booking_server.clock.now = TOMORROW_10 + timedelta(minutes=3)  # 3 min late: still on time
    kiosk.tap(kiosk.w.start_page.checkin)
    kiosk.wait_screen("code")
    page = kiosk.w.bookings.code
    assert page.title.text() == "Введіть код запису"
    assert page.entry.text() == "___-___"
    assert not page.submit_button.isEnabled()
    assert set(page.keys) >= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert not set(page.keys) & set("01OIL")
    kiosk.tap(page.keys["Z"])
    kiosk.tap(page.keys["<bs>"])
    for ch in code.replace("-", ""):
        kiosk.tap(page.keys[ch])
    assert page.entry.text() == code
    kiosk.tap(page.keys["2"])  # a seventh character is not taken
    assert page.entry.text() == code
    assert page.submit_button.isEnabled()
    kiosk.tap(page.submit_button)
    kiosk.wait_screen("ticket")
    assert kiosk.c.appointments.checkin is not None
    assert kiosk.c.appointments.checkin.booking.on_time
    wait_job(kiosk, prints)


def test_late_gets_a_walk_in_ticket_and_is_told_so(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    code = book_at(booking_server, TOMORROW_10)
    booking_server.clock.now = TOMORROW_10 + timedelta(minutes=12)
    scan(kiosk, code)
    kiosk.wait_screen("ticket")
    page = kiosk.w.ticket_page
    assert page.heading.text() == "Ваш талон (загальна черга)"
    assert "запізнилися більш ніж на 5 хв" in page.booking.text()
    assert "загальну чергу" in page.booking.text()
    assert page.booking.property("role") == "banner"
    text = slip_text(wait_job(kiosk, prints))
    assert f"Запис на 10:00 ({code}): запізнення, загальна черга" in text
    kiosk.tap(kiosk.w.lang_button)
    assert "more than 5 min late" in page.booking.text()


def test_too_early_says_when_check_in_opens(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    code = book_at(booking_server, TOMORROW_10)
    scan(kiosk, code)  # the day before
    kiosk.wait_screen("checkin_refused")
    page = kiosk.w.bookings.checkin_refused
    assert page.title.text() == "Реєстрацію не виконано"
    assert page.lines[0].text() == "Реєстрація на цей запис відкриється 25.11.2026 о 09:45"
    assert "Поверніться" in page.lines[1].text()
    booking_server.clock.now = TOMORROW_10 - timedelta(minutes=40)
    scan(kiosk, code)  # a scan on this screen is taken too
    kiosk.qtbot.waitUntil(
        lambda: page.lines[0].text() == "Реєстрація на цей запис відкриється о 09:45",
        timeout=TIMEOUT,
    )
    kiosk.tap(page.nav.back_button)
    kiosk.wait_screen("code")
    assert kiosk.w.bookings.code.entry.text() == "___-___"
    assert not list(prints.glob("*.bin"))


def test_wrong_codes_and_other_qr_codes(booking_kiosk: Kiosk) -> None:
    kiosk = booking_kiosk
    scan(kiosk, "XYZ-234")
    kiosk.wait_screen("checkin_refused")
    page = kiosk.w.bookings.checkin_refused
    assert page.lines[0].text().startswith("Запису з таким кодом немає")
    assert "Перевірте код" in page.lines[1].text()
    kiosk.tap(page.nav.cancel_button)
    kiosk.wait_screen("start")
    scan(kiosk, "https://cnap.example/t/Q2xkT0kZ9aBcD")  # a ticket's link, not a booking
    kiosk.wait_screen("checkin_refused")
    assert page.lines[0].text() == "Цей QR-код не є кодом запису."


def test_cancelled_and_used_codes_are_explained(
    booking_kiosk: Kiosk, booking_server: BookingCentre
) -> None:
    kiosk = booking_kiosk
    cancelled = book_at(booking_server, TOMORROW_10)
    with booking_server.public() as client:
        client.cancel_booking(cancelled, "0671234567")
    used = book_at(booking_server, TOMORROW_10 + timedelta(minutes=15), phone="0501112233")
    booking_server.clock.now = TOMORROW_10 + timedelta(minutes=10)
    scan(kiosk, cancelled.lower())
    kiosk.wait_screen("checkin_refused")
    page = kiosk.w.bookings.checkin_refused
    assert page.lines[0].text() == "Цей запис скасовано"
    assert "загальну чергу" in page.lines[1].text()
    kiosk.tap(page.nav.cancel_button)
    kiosk.wait_screen("start")
    scan(kiosk, used)
    kiosk.wait_screen("ticket")
    kiosk.tap(kiosk.w.ticket_page.done_button)
    kiosk.wait_screen("start")
    scan(kiosk, used)
    kiosk.wait_screen("checkin_refused")
    assert page.lines[0].text().startswith("За цим записом уже зареєструвалися")
    assert "рецепцію" in page.lines[1].text()


def test_scans_count_only_on_the_start_and_code_screens(booking_kiosk: Kiosk) -> None:
    kiosk = booking_kiosk
    kiosk.to_services()
    scan(kiosk, "XYZ-234")
    assert kiosk.c.screen == Screen.SERVICES
    kiosk.tap(kiosk.w.services_page.nav.cancel_button)
    kiosk.wait_screen("start")
    # Shortcuts are not typing: Ctrl+Q, Alt+F4 and Escape add nothing and change nothing.
    QTest.keyClick(kiosk.w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(kiosk.w, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(kiosk.w, Qt.Key.Key_Escape)
    QTest.keyClick(kiosk.w, Qt.Key.Key_Return)
    assert str(kiosk.c.screen) == "start"
    assert kiosk.w.isVisible()
    assert kiosk.w.scan.text == ""
    # A half scan followed by a pause is forgotten.
    now = [1000.0]
    kiosk.w.clock = lambda: now[0]
    QTest.keyClicks(kiosk.w, "ABC")
    now[0] += 5
    scan(kiosk, "XYZ-234")
    kiosk.wait_screen("checkin_refused")
    assert kiosk.w.bookings.checkin_refused.lines[0].text().startswith("Запису з таким кодом немає")
