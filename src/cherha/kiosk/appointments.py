"""Bookings at the kiosk: checking in with a code (typed or scanned) and booking a visit.

check-in:  start ─(scan anywhere)─┐
           start → code → checking → ticket (on time: the slot's place; late: general queue)
                                   → checkin_refused (too early, wrong, cancelled, used …)
booking:   start → book_services → book_days → book_times → book_phone → book_name
                 → book_confirm → booking → booked (code + QR, slip printed)
                                          → book_times (slot taken: the next free ones)
                                          → book_refused (quota, …)

The controller owns the screen; this object owns what the visitor typed and chose, and the
requests (on the controller's issuing thread). A late answer for a screen the visitor has
already left is dropped.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from cherha.client import ApiError, InvalidRequest, NotFoundError, ServerUnavailable
from cherha.core.booking_rules import CODE_ALPHABET, CODE_LENGTH, find_code
from cherha.wire import Booking, BookingDay, CheckIn, Service

from .i18n import TEXTS, tr
from .printing import booking_slip, checkin_slip
from .states import Screen

if TYPE_CHECKING:
    from .controller import KioskController

log = logging.getLogger(__name__)

PHONE_DIGITS = 9  # after +380
NAME_MAX = 40
UK_LETTERS = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
LATIN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
APOSTROPHE = "ʼ"
BS, CLEAR, SPACE, LAYOUT = "<bs>", "<clear>", "<space>", "<abc>"


class Problem:
    """Why a check-in or a booking did not happen: the server's words and what to do next."""

    def __init__(self, kind: str, code: str, message_uk: str, message_en: str) -> None:
        self.kind = kind  # "checkin" | "book"
        self.code = code
        self.message_uk = message_uk
        self.message_en = message_en

    def message(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message_uk

    def what_to_do(self, language: str) -> str:
        key = f"do_{self.kind}_{self.code}"
        return tr(key if key in TEXTS else f"do_{self.kind}_generic", language)


def phone_display(digits: str) -> str:
    """«+380 67 123 45 67», with «_» for the digits still to type."""
    d = digits.ljust(PHONE_DIGITS, "_")
    return f"+380 {d[:2]} {d[2:5]} {d[5:7]} {d[7:9]}"


def name_ok(name: str) -> bool:
    """What the server accepts: 2–100 characters with a letter (and here at most 40)."""
    name = " ".join(name.split())
    return 2 <= len(name) <= NAME_MAX and any(c.isalpha() for c in name)


class Appointments(QObject):
    changed = Signal()  # what the current screen shows changed (loaded, typed)

    def __init__(self, controller: KioskController) -> None:
        super().__init__(controller)
        self.c = controller
        self._generation = 0
        self.reset()

    def reset(self) -> None:
        self._generation += 1  # answers to earlier requests are dropped
        self.code = ""  # typed on the code keyboard, without the dash
        self.checkin: CheckIn | None = None
        self.problem: Problem | None = None
        self.problem_back: Screen | None = None
        self.bookable: dict[int, list[BookingDay]] | None = None  # None while loading
        self.service: Service | None = None
        self.day: date | None = None
        self.times: list[datetime] | None = None  # free starts shown; None while loading
        self.taken = False  # the times are the next free ones after a slot was taken
        self.start: datetime | None = None
        self.phone = ""  # the digits after +380
        self.name = ""
        self.latin = False  # the name keyboard shows Latin letters
        self.booking: Booking | None = None

    # -- what is shown ---------------------------------------------------------------------

    @property
    def services(self) -> list[Service]:
        """Services that take bookings, in the server's order (empty while loading)."""
        found = self.bookable or {}
        return [s for s in self.c.services if s.active and s.id in found]

    def free_days(self, service_id: int) -> list[BookingDay]:
        return [d for d in (self.bookable or {}).get(service_id, []) if d.free > 0]

    @property
    def phone_ready(self) -> bool:
        return len(self.phone) == PHONE_DIGITS

    @property
    def name_ready(self) -> bool:
        return name_ok(self.name)

    # -- check-in ---------------------------------------------------------------------------

    def begin_checkin(self) -> None:
        if self.c.screen == Screen.START:
            self.reset()
            self._go(Screen.CODE)

    def code_key(self, key: str) -> None:
        if self.c.screen != Screen.CODE:
            return
        if key == BS:
            self.code = self.code[:-1]
        elif key == CLEAR:
            self.code = ""
        elif key.upper() in CODE_ALPHABET and len(key) == 1 and len(self.code) < CODE_LENGTH:
            self.code += key.upper()
        self.changed.emit()

    def submit_code(self) -> None:
        if self.c.screen == Screen.CODE and len(self.code) == CODE_LENGTH:
            self._check_in(self.code)

    def scanned(self, payload: str) -> bool:
        """A scan (or a typed line) from the hall's scanner; True when it was taken."""
        if self.c.screen not in (Screen.START, Screen.CODE, Screen.CHECKIN_REFUSED):
            return False
        code = find_code(payload)
        log.info("scanned %d characters: %s", len(payload), "a booking code" if code else "no code")
        self.reset()
        if code is None:
            self.problem = Problem(
                "checkin", "not_a_code", tr("not_a_code", "uk"), tr("not_a_code", "en")
            )
            self.problem_back = Screen.CODE
            self._go(Screen.CHECKIN_REFUSED)
        else:
            self._check_in(code)
        return True

    def _check_in(self, code: str) -> None:
        self.code = code
        self._go(Screen.CHECKING)
        client = self.c.issue_client
        self._submit(lambda: client.check_in(code), self._checked_in, self._checkin_failed)

    def _checked_in(self, result: object) -> None:
        assert isinstance(result, CheckIn)
        self.checkin = result
        slip = checkin_slip(result, self.c.config.centre_name, self.c.config.footer)
        self.c.show_ticket(result, slip)

    def _checkin_failed(self, error: BaseException) -> None:
        if self.c.pause_hint(error):
            self._go(Screen.CODE)
            return
        if isinstance(error, ServerUnavailable) or not isinstance(error, ApiError):
            if not isinstance(error, ApiError):
                log.error("check-in crashed: %r", error)
            uk, en = tr("checkin_network", "uk"), tr("checkin_network", "en")
            self.problem = Problem("checkin", "network", uk, en)
        else:
            self.problem = Problem("checkin", error.code, error.message_uk, error.message_en)
        self.problem_back = Screen.CODE
        self.code = ""
        self._go(Screen.CHECKIN_REFUSED)

    # -- booking a visit --------------------------------------------------------------------

    def begin_booking(self) -> None:
        if self.c.screen != Screen.START:
            return
        self.reset()
        self._go(Screen.BOOK_SERVICES)
        self._load_services()

    def _load_services(self) -> None:
        client = self.c.issue_client
        # Walk-in-only services are not asked about: the server says which take bookings.
        ids = [s.id for s in self.c.services if s.active and s.bookable]

        def probe() -> dict[int, list[BookingDay]]:
            found: dict[int, list[BookingDay]] = {}
            for service_id in ids:
                try:
                    found[service_id] = client.booking_days(service_id, channel="kiosk")
                except (InvalidRequest, NotFoundError):
                    continue  # not bookable (422 not_bookable) or gone
            return found

        def loaded(result: object) -> None:
            assert isinstance(result, dict)
            self.bookable = result
            self.changed.emit()

        self._submit(probe, loaded, self._book_failed)

    def choose_service(self, service_id: int) -> None:
        if self.c.screen != Screen.BOOK_SERVICES:
            return
        service = next((s for s in self.services if s.id == service_id), None)
        if service is not None:
            self.service = service
            self._go(Screen.BOOK_DAYS)

    def choose_day(self, day: date) -> None:
        if self.c.screen != Screen.BOOK_DAYS or self.service is None:
            return
        self.day = day
        self._go(Screen.BOOK_TIMES)
        self._load_times()

    def _load_times(self) -> None:
        service, day, client = self.service, self.day, self.c.issue_client
        assert service is not None
        assert day is not None
        self.times, self.taken = None, False
        self.changed.emit()

        def loaded(result: object) -> None:
            assert isinstance(result, list)
            self.times = [s.start for s in result if s.free > 0]
            self.changed.emit()

        self._submit(
            lambda: client.slots(service.id, day, channel="kiosk"), loaded, self._book_failed
        )

    def choose_time(self, index: int) -> None:
        if self.c.screen == Screen.BOOK_TIMES and self.times and 0 <= index < len(self.times):
            self.start = self.times[index]
            # After "that time was just taken", phone and name are known: straight to confirm.
            known = self.taken and self.phone_ready and self.name_ready
            self._go(Screen.BOOK_CONFIRM if known else Screen.BOOK_PHONE)

    def phone_key(self, key: str) -> None:
        if self.c.screen != Screen.BOOK_PHONE:
            return
        if key == BS:
            self.phone = self.phone[:-1]
        elif key == CLEAR:
            self.phone = ""
        elif key.isdigit() and len(key) == 1 and len(self.phone) < PHONE_DIGITS:
            self.phone += "" if key == "0" and not self.phone else key  # «0XX»: 0 is in +380
        self.changed.emit()

    def phone_next(self) -> None:
        if self.c.screen == Screen.BOOK_PHONE and self.phone_ready:
            self._go(Screen.BOOK_NAME)

    def name_key(self, key: str) -> None:
        if self.c.screen != Screen.BOOK_NAME:
            return
        if key == BS:
            self.name = self.name[:-1]
        elif key == CLEAR:
            self.name = ""
        elif key == LAYOUT:
            self.latin = not self.latin
        elif len(self.name) < NAME_MAX:
            if key == SPACE:
                if self.name and not self.name.endswith(" "):
                    self.name += " "
            elif key in ("-", APOSTROPHE):
                if self.name and self.name[-1].isalpha():
                    self.name += key
            elif len(key) == 1 and unicodedata.category(key).startswith("L"):
                # Capitals start a word (after a space or hyphen); the rest is lower case.
                first = not self.name or self.name[-1] in " -"
                self.name += key.upper() if first else key.lower()
        self.changed.emit()

    def name_next(self) -> None:
        if self.c.screen == Screen.BOOK_NAME and self.name_ready:
            self._go(Screen.BOOK_CONFIRM)

    def confirm(self) -> None:
        if self.c.screen != Screen.BOOK_CONFIRM or self.service is None or self.start is None:
            return
        service_id, start = self.service.id, self.start
        phone, name = f"+380{self.phone}", " ".join(self.name.split())
        client = self.c.issue_client
        self._go(Screen.BOOKING)
        self._submit(
            lambda: client.book(service_id, start, phone, name=name),
            self._booked,
            self._book_failed,
        )

    def _booked(self, result: object) -> None:
        assert isinstance(result, Booking)
        self.booking = result
        self.c.show_booking(booking_slip(result, self.c.config.centre_name, self.c.config.footer))

    def _book_failed(self, error: BaseException) -> None:
        screen = self.c.state
        if self.c.pause_hint(error):
            self._go(Screen.BOOK_CONFIRM if screen == Screen.BOOKING else screen)
            return
        if isinstance(error, ApiError) and error.code == "slot_full":
            self.times, self.taken = error.next_free, True
            self._go(Screen.BOOK_TIMES)
            self.changed.emit()
            return
        if isinstance(error, ServerUnavailable) or not isinstance(error, ApiError):
            if not isinstance(error, ApiError):
                log.error("booking crashed: %r", error)
            self.problem = Problem(
                "book", "network", tr("book_network", "uk"), tr("book_network", "en")
            )
        else:
            self.problem = Problem("book", error.code, error.message_uk, error.message_en)
        back = {
            Screen.BOOKING: Screen.BOOK_CONFIRM,
            Screen.BOOK_SERVICES: Screen.START,
            Screen.BOOK_TIMES: Screen.BOOK_DAYS,
        }.get(screen, Screen.START)
        if self.problem.code in (
            "bad_phone",
            "quota_exceeded",
            "already_booked",
            "booking_blocked",
        ):
            back = Screen.BOOK_PHONE
        elif self.problem.code == "bad_name":
            back = Screen.BOOK_NAME
        elif self.problem.code in ("slot_closed", "no_such_slot", "date_not_bookable"):
            back = Screen.BOOK_TIMES
        self.problem_back = back
        self._go(Screen.BOOK_REFUSED)

    # -- navigation -------------------------------------------------------------------------

    def back(self) -> None:
        screen = self.c.screen
        if screen == Screen.CHECKIN_REFUSED or screen == Screen.BOOK_REFUSED:
            target = self.problem_back or Screen.START
            self.problem = None
            if target == Screen.START:
                self.c.cancel()
            elif target == Screen.BOOK_TIMES and self.day is not None:
                self._go(Screen.BOOK_TIMES)
                self._load_times()
            else:
                self.code = "" if target == Screen.CODE else self.code
                self._go(target)
            return
        steps: dict[Screen, Screen] = {
            Screen.BOOK_DAYS: Screen.BOOK_SERVICES,
            Screen.BOOK_TIMES: Screen.BOOK_DAYS,
            Screen.BOOK_PHONE: Screen.BOOK_TIMES,
            Screen.BOOK_NAME: Screen.BOOK_PHONE,
            Screen.BOOK_CONFIRM: Screen.BOOK_NAME,
        }
        if screen in (Screen.CODE, Screen.BOOK_SERVICES):
            self.c.cancel()
        elif screen == Screen.BOOK_TIMES and self.taken and self.day is not None:
            self._go(Screen.BOOK_TIMES)  # from the next free times back to the chosen day's
            self._load_times()
        elif screen in steps:
            self._go(steps[screen])
            if screen == Screen.BOOK_TIMES:
                self.times, self.taken = None, False

    # -- internals --------------------------------------------------------------------------

    def _go(self, screen: Screen) -> None:
        self._generation += 1
        self.c.go(screen)

    def _submit(
        self,
        job: Callable[[], Any],
        on_ok: Callable[[object], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        generation = self._generation

        def ok(result: object) -> None:
            if generation == self._generation:
                on_ok(result)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                on_error(error)

        self.c.issuer.submit(job, ok, failed)
