"""A visit to every screen of the kiosk, for the layout checks and the screenshots.

`every_screen` drives a kiosk (controller and window) through each screen against a booking
centre whose clock it may move, and yields the screen's name once it is on show. It uses the
controller's own actions (what a tap or a key calls), so it is quick, and the same tour
serves offscreen tests, real windows under Xvfb and the docs' screenshots.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from cherha.client import QueueClient
from cherha.kiosk.controller import KioskController
from cherha.kiosk.model import Problem
from cherha.kiosk.states import Screen
from cherha.kiosk.window import KioskWindow

KYIV = ZoneInfo("Europe/Kyiv")
TOUR_PHONE = "0671234567"
FOUND_PHONE = "0501112233"


def spin(done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run Qt's events until `done()` (or fail after `timeout` seconds).

    Between looks the loop sleeps in Qt's event wait (5 ms at most), so an answer from a worker
    thread is handled at once; `processEvents` alone returns at once when nothing is queued, and
    looping on it kept a core busy (and the GIL from the in-process server) for the whole wait.
    """
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not get there in time")
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    app.processEvents()


def settle() -> None:
    """Let layouts and repaints finish."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
        time.sleep(0.01)


def every_screen(
    c: KioskController,
    w: KioskWindow,
    url: str,
    key: str,
    move_clock: Callable[[datetime], None],
    now: Callable[[], datetime],
    admin_password: str,
) -> Iterator[str]:
    """Yield each screen's name while it is shown (the caller measures or photographs it)."""
    a = c.appointments

    def at(screen: str) -> Iterator[str]:
        spin(lambda: c.screen == screen and w.stack.currentWidget() is w.pages[c.screen])
        settle()
        yield screen

    spin(lambda: bool(c.services))
    yield from at("start")
    c.begin()
    yield from at("groups")
    group = c.groups[1]
    c.choose_group(group.key)
    yield from at("services")
    c.choose_service(group.services[0].id)
    yield from at("priority")
    c.answer_priority(False)
    spin(lambda: c.screen == "ticket" and c.print_state in ("printed", "failed"))
    yield from at("ticket")
    c.done()
    c.begin()
    c.choose_group(c.groups[0].key)
    spin(lambda: c.screen == "services")
    c.problem = Problem(
        "ticket",
        "outside_hours",
        "Послуга «Реєстрація місця проживання» зараз не працює: сьогодні вихідний",
        "The service is closed now: today is a day off",
    )
    c.go(Screen.REFUSED)
    yield from at("refused")
    c.cancel()

    # check-in by code, a refusal, and finding a booking by phone
    a.begin_checkin()
    for ch in "K7M":
        c.type_key(ch)
    yield from at("code")
    a.scanned("https://example.org/not-a-booking")
    yield from at("checkin_refused")
    c.cancel()
    local = now().astimezone(KYIV)
    with QueueClient(url) as public:
        later = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
        public.book(1, later, FOUND_PHONE, name="Петро Іваненко")
    a.begin_checkin()
    a.begin_find()
    for ch in FOUND_PHONE:
        c.type_key(ch)
    yield from at("find_phone")
    a.submit()
    spin(lambda: c.form.found is not None or c.screen == "book_refused")
    yield from at(str(c.screen))
    if c.screen == "found":
        a.other_day()
        yield from at("find_days")
    c.cancel()

    # booking a visit
    a.begin_booking()
    spin(lambda: c.form.bookable is not None)
    yield from at("book_services")
    a.choose_service(1)
    yield from at("book_days")
    a.choose_day(c.form.free_days(1)[0].date)
    spin(lambda: c.form.times is not None)
    yield from at("book_times")
    times = c.form.times or []
    a.choose_time(next(i for i, t in enumerate(times) if t.hour >= 10))
    spin(lambda: c.screen == "book_phone")
    for digit in TOUR_PHONE:
        c.type_key(digit)
    yield from at("book_phone")
    a.submit()
    for letter in "ОЛЕНА КОВАЛЬ":
        c.type_key("<space>" if letter == " " else letter)
    yield from at("book_name")
    c.type_key("<abc>")
    spin(lambda: "Q" in w.bookings.name.keys)
    yield from at("book_name")
    a.submit()
    yield from at("book_confirm")
    a.confirm()
    spin(lambda: c.screen == "booked" and c.print_state in ("printed", "failed"))
    yield from at("booked")
    booking = c.form.booking
    c.done()

    # the booking checked in on its day
    if booking is not None:
        move_clock(booking.start - timedelta(minutes=7))
        a.scanned(booking.code)
        spin(lambda: c.screen == "ticket" and c.print_state in ("printed", "failed"))
        yield from at("ticket")
        c.done()

    # «still here?», a pause, an outage, the administrator's PIN pad
    c.begin()
    spin(lambda: c.screen == "groups")
    c.attendance.idle_timer.setInterval(10)
    c.attendance.activity()
    spin(lambda: c.idle_left is not None)
    settle()
    yield "idle"
    c.attendance.stay()
    c.attendance.idle_timer.setInterval(int(c.config.idle_seconds * 1000))
    c.cancel()
    with QueueClient(url) as admin:
        admin.login("admin", admin_password)
        admin.pause_branch("Повітряна тривога")
        yield from at("paused")
        admin.resume_branch()
    spin(lambda: c.screen == "start")
    c.watch.reachable = False  # what the watch says when the server is gone
    c.watch.reachable_changed.emit(False)
    yield from at("outage")
    c.watch.reachable = True
    c.watch.reachable_changed.emit(True)
    spin(lambda: c.screen == "start")
    w.open_pin_pad()
    settle()
    yield "pin"
    w.pin_page.cancel_button.click()


__all__ = ["every_screen", "settle", "spin"]
