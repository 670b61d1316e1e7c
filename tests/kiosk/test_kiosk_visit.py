"""A visit in a real hall: the right time on paper, nobody's data left behind, a printer that
comes back, a booking found by phone (issue 13 items 1, 3, 7, 9)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from cherha.core.words import LATIN_UK
from cherha.kiosk.states import Screen
from cherha.kiosk.window import KioskWindow
from tests.api.test_bookings import TOMORROW_10

from .booking_helpers import book_at, slip_text, touch, wait_job
from .conftest import TIMEOUT, WITH_CATEGORIES, BookingCentre, KioskFactory
from .test_kiosk_booking import to_confirm
from .test_kiosk_faults import SwitchablePrinter

MM_PER_PX = 21.5 * 25.4 / math.hypot(1080, 1920)  # a 21.5" upright 1080p panel


@pytest.fixture
def machine_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The kiosk PC's own time zone for the test (its clock is never what is printed)."""
    zone = str(request.param)
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        yield zone
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("machine_zone", ["UTC", "America/New_York"], indirect=True)
def test_the_slip_carries_the_centres_time_for_a_ticket_taken_at_2330_utc(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre, prints: Path, machine_zone: str
) -> None:
    """23:30 UTC on Tuesday is 01:30 on Wednesday in Kyiv (EET): the slip says so, whatever
    the kiosk PC's own zone."""
    booking_server.clock.now = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    kiosk = make_booking_kiosk()
    kiosk.take_ticket()
    text = slip_text(wait_job(kiosk, prints))
    assert "01:30" in text
    assert "25.11.2026" in text
    assert "23:30" not in text
    assert "24.11.2026" not in text
    assert time.localtime().tm_zone != "EET"  # the machine was not in Kyiv


def test_a_checked_in_slip_has_the_slot_and_the_issue_time_in_the_centres_zone(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre, prints: Path
) -> None:
    code = book_at(booking_server, TOMORROW_10)
    booking_server.clock.now = TOMORROW_10 - timedelta(minutes=10)  # 09:50 Kyiv = 07:50 UTC
    kiosk = make_booking_kiosk()
    kiosk.c.appointments.scanned(code)
    kiosk.wait_screen("ticket")
    text = slip_text(wait_job(kiosk, prints))
    assert "09:50" in text  # issued at, local
    assert f"Запис на 10:00 ({code})" in text
    assert "07:50" not in text


def test_the_idle_question_clears_a_half_finished_booking(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre
) -> None:
    kiosk = make_booking_kiosk(idle_seconds=60, idle_warning_seconds=2)
    c = kiosk.c
    to_confirm(kiosk)
    touch(kiosk.w.lang_button)  # English …
    touch(kiosk.w.contrast_button)  # … large text …
    touch(kiosk.w.read_button)  # … and speech, for this visitor only
    c.attendance.idle_timer.setInterval(600)  # the test does not wait a minute
    c.activity()
    assert c.form.phone
    assert c.form.name
    assert c.form.hold
    # Nobody touches the screen: the question comes, in the visitor's language, read aloud.
    kiosk.qtbot.waitUntil(lambda: c.idle_left is not None, timeout=TIMEOUT)
    assert kiosk.w.stack.currentWidget() is kiosk.w.idle_page
    assert kiosk.w.idle_page.title.text() == "Are you still here?"
    assert "Are you still here?" in kiosk.speaker.last
    touch(kiosk.w.idle_page.stay_button)  # one touch: still here, nothing lost
    assert c.idle_left is None
    kiosk.wait_screen("book_confirm")
    assert c.form.name == "Олена"
    # Again, and this time nobody answers: everything personal and every preference is gone.
    kiosk.qtbot.waitUntil(lambda: c.idle_left is not None, timeout=TIMEOUT)
    seconds = [c.idle_left]
    kiosk.qtbot.waitUntil(lambda: c.idle_left != seconds[0], timeout=TIMEOUT)
    assert "1 s" in kiosk.w.idle_page.body.text()  # the countdown is shown
    kiosk.wait_screen("start", timeout=TIMEOUT)
    assert (c.form.phone, c.form.name, c.form.service, c.form.start) == ("", "", None, None)
    assert kiosk.w.bookings.confirm.lines["name"].text() == ""  # not even on a hidden page
    assert kiosk.w.bookings.phone.entry.text() == ""
    assert (c.language, c.high_contrast, c.follow_speech) == ("uk", False, False)
    assert kiosk.w.start_page.take.text() == "Отримати талон"
    with booking_server.as_kiosk() as client:  # the held time was given back

        def given_back() -> bool:
            slots = client.slots(1, TOMORROW_10.date(), channel="kiosk")
            return next(s for s in slots if s.start == TOMORROW_10).free == 1

        kiosk.qtbot.waitUntil(given_back, timeout=TIMEOUT)


def test_an_untouched_start_screen_is_never_asked(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(idle_seconds=0.1, idle_warning_seconds=1)
    kiosk.wait_ready()
    kiosk.qtbot.wait(500)
    assert kiosk.c.idle_left is None
    kiosk.to_services()
    kiosk.qtbot.waitUntil(lambda: kiosk.c.idle_left is not None, timeout=TIMEOUT)
    touch(kiosk.w.lang_button)  # any touch answers, here the top bar's
    assert kiosk.c.idle_left is None
    assert kiosk.c.screen == Screen.SERVICES


def test_a_printer_fault_keeps_the_ticket_on_screen_and_reprints_when_the_printer_is_back(
    make_kiosk: KioskFactory,
) -> None:
    with SwitchablePrinter() as printer:
        kiosk = make_kiosk(printer=printer.spec, fault_return_delay_seconds=30)
        kiosk.wait_ready()
        kiosk.qtbot.waitUntil(lambda: kiosk.c.printer_watch.state == "paper_out", timeout=TIMEOUT)
        kiosk.take_ticket()
        kiosk.wait_printed()
        c, page = kiosk.c, kiosk.w.ticket_page
        assert c.print_state == "failed"
        ticket = c.ticket
        assert ticket is not None
        # The number and the QR are large enough to photograph (on a 21.5" upright panel).
        assert page.number.fontMetrics().capHeight() * MM_PER_PX > 25
        assert page.qr.pixmap().width() * MM_PER_PX > 90
        # A countdown, and «keep on screen» to stop it.
        assert page.countdown.text().startswith("На початок через ")
        assert c.attendance.return_timer.isActive()
        touch(page.keep_button)
        assert not c.attendance.return_timer.isActive()
        assert page.countdown.text() == "Екран залишиться, доки ви не натиснете «Готово»."
        assert not page.reprint_button.isVisible()
        printer.refill()  # staff put paper in: the visitor may print now
        kiosk.qtbot.waitUntil(lambda: page.reprint_button.isVisible(), timeout=TIMEOUT)
        assert page.reprint_hint.text() == "Принтер знову працює: можна надрукувати."
        touch(page.reprint_button)
        kiosk.qtbot.waitUntil(lambda: c.print_state == "printed", timeout=TIMEOUT)
        assert ticket.number in printer.job.decode("cp1251", errors="replace")
        assert not page.reprint_button.isVisible()
        assert c.attendance.return_timer.isActive()  # printed: the calm delay back to the start
        touch(page.done_button)
        kiosk.wait_screen("start")


def test_a_lost_code_is_found_by_phone_and_day(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre, prints: Path
) -> None:
    today_13 = datetime(2026, 11, 24, 13, 0, tzinfo=TOMORROW_10.tzinfo)
    book_at(booking_server, today_13, phone="0501112233", name="Петро Іваненко")
    book_at(booking_server, TOMORROW_10, phone="0501112233", name="Петро Іваненко")
    kiosk = make_booking_kiosk()
    c, pages = kiosk.c, kiosk.w.bookings
    touch(kiosk.w.start_page.checkin)
    kiosk.wait_screen("code")
    touch(pages.code.find_button)
    kiosk.wait_screen("find_phone")
    for digit in "0501112233":
        touch(pages.find_phone.keys[digit])
    touch(pages.find_phone.submit_button)
    kiosk.wait_screen("found")
    found = pages.found
    kiosk.qtbot.waitUntil(lambda: bool(found.cards) and found.cards[0].isVisible(), timeout=TIMEOUT)
    card = found.cards[0]
    assert card.title.text() == "13:00 · Реєстрація / зняття з реєстрації місця проживання"
    assert card.detail.text() == "Реєстрація відкриється о 12:45"  # it is 12:00
    shown = " ".join(w.text() for w in found.findChildren(type(card.title)) if w.isVisible())
    assert "Петро" not in shown
    assert "50 111" not in shown
    touch(card)  # not yet: nothing happens
    assert c.screen == "found"
    touch(found.more)  # another day
    kiosk.wait_screen("find_days")
    assert pages.find_days.cards[0].detail.text() == "сьогодні"
    touch(pages.find_days.cards[1])
    kiosk.wait_screen("found")
    kiosk.qtbot.waitUntil(
        lambda: bool(found.cards) and found.cards[0].title.text().startswith("10:00"),
        timeout=TIMEOUT,
    )
    assert found.cards[0].detail.text() == "Реєстрація — у день запису"
    # Back to today at 12:50: now it checks in, and the ticket is printed.
    booking_server.clock.now = today_13 - timedelta(minutes=10)
    touch(found.nav.back_button)
    kiosk.wait_screen("find_phone")
    touch(pages.find_phone.submit_button)
    kiosk.wait_screen("found")
    kiosk.qtbot.waitUntil(
        lambda: (
            bool(found.cards)
            and found.cards[0].detail.text() == "Торкніться, щоб отримати талон"
            and found.cards[0].isVisible()  # laid out: a card made a moment ago is not yet shown
        ),
        timeout=TIMEOUT,
    )
    touch(found.cards[0])
    kiosk.wait_screen("ticket")
    checkin = c.form.checkin
    assert checkin is not None
    assert checkin.booking.on_time
    assert "Запис на 13:00" in slip_text(wait_job(kiosk, prints))


def test_the_access_buttons_keep_their_place_when_the_language_changes(
    make_kiosk: KioskFactory,
) -> None:
    for orientation in ("landscape", "portrait"):
        kiosk = make_kiosk(orientation=orientation)
        kiosk.wait_ready()
        w = kiosk.w

        def places(w: KioskWindow) -> list[tuple[int, int, int]]:
            return [
                (b.mapTo(w, QPoint(0, 0)).x(), b.mapTo(w, QPoint(0, 0)).y(), b.width())
                for b in w.access_buttons
            ]

        before = places(w)
        touch(w.lang_button)
        kiosk.qtbot.wait(50)
        assert w.lang_button.text() == "Українська"
        assert places(w) == before, orientation
        if orientation == "portrait":  # within reach of a seated person: the lower part
            assert min(y for _x, y, _w in before) > w.height() * 0.8
        kiosk.close()


@WITH_CATEGORIES
def test_the_two_answers_to_the_priority_question_are_equal(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk()
    kiosk.wait_ready()
    kiosk.to_services()
    touch(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("priority")
    yes, no = kiosk.w.priority_page.yes, kiosk.w.priority_page.no
    assert yes.property("role") == no.property("role")
    assert yes.size() == no.size()
    assert yes.font().pixelSize() == no.font().pixelSize()


def test_letters_of_a_booking_code_are_named_as_the_hall_names_them() -> None:
    from cherha.kiosk.booking_content import spelled

    assert spelled("B7K-M2Q", "uk") == ", ".join(
        [LATIN_UK["B"], "7", LATIN_UK["K"], LATIN_UK["M"], "2", LATIN_UK["Q"]]
    )
