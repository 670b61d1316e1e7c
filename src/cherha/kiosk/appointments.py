"""Bookings at the kiosk: checking in with a code (typed or scanned), booking a visit, and
finding a booking by phone number and day when the code is lost.

check-in:  start ─(scan anywhere)─┐
           start → code → checking → ticket (on time: the slot's place; late: general queue)
                                   → checkin_refused (too early, wrong, cancelled, used …)
           code → find_phone → found (today's) ⇄ find_days → found → checking → ticket
booking:   start → book_services → book_days → book_times → book_phone → book_name
                 → book_confirm → booking → booked (code + QR, slip printed)
                                          → book_times (slot taken: the next free ones)
                                          → book_refused (quota, …)

The chosen time is held on the server while the visitor types the phone and the name, so it
cannot expire under their fingers; going back or leaving gives it back. The controller owns
the screen (through `Host`); this object owns the requests (on the controller's issuing
thread) and `form`, what was typed and chosen. A late answer for a screen the visitor has
already left is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from cherha.client import ApiError, InvalidRequest, NotFoundError, QueueClient, ServerUnavailable
from cherha.core.booking_rules import find_code
from cherha.printer.slips import BookingSlip
from cherha.wire import (
    Booking,
    BookingDay,
    CheckIn,
    FoundBookings,
    IssuedTicket,
    RequestOutcome,
    Service,
    SlotHold,
)

from .config import KioskConfig
from .keyed import NothingMade, Unsettled
from .model import BookingForm, Problem
from .printing import booking_slip
from .sending import Sender
from .states import Screen

log = logging.getLogger(__name__)


class Host(Protocol):
    """What Appointments needs of the kiosk (the controller)."""

    config: KioskConfig
    sending: Sender

    @property
    def screen(self) -> Screen: ...
    @property
    def state(self) -> Screen: ...
    @property
    def services(self) -> tuple[Service, ...]: ...
    def go(self, state: Screen) -> None: ...
    def settle(self, key: str) -> None: ...
    def cancel(self) -> None: ...
    def pause_hint(self, error: BaseException) -> bool: ...
    def show_ticket(self, ticket: IssuedTicket) -> None: ...
    def show_booking(self, slip: BookingSlip) -> None: ...


REFUSAL_BACK = {
    "bad_phone": Screen.BOOK_PHONE,
    "quota_exceeded": Screen.BOOK_PHONE,
    "already_booked": Screen.BOOK_PHONE,
    "booking_blocked": Screen.BOOK_PHONE,
    "bad_name": Screen.BOOK_NAME,
    "slot_closed": Screen.BOOK_TIMES,
    "no_such_slot": Screen.BOOK_TIMES,
    "date_not_bookable": Screen.BOOK_TIMES,
}
"""Where Back goes after a refused booking: the step to change."""

STEPS_BACK = {
    Screen.BOOK_DAYS: Screen.BOOK_SERVICES,
    Screen.BOOK_TIMES: Screen.BOOK_DAYS,
    Screen.BOOK_PHONE: Screen.BOOK_TIMES,
    Screen.BOOK_NAME: Screen.BOOK_PHONE,
    Screen.BOOK_CONFIRM: Screen.BOOK_NAME,
    Screen.FIND_PHONE: Screen.CODE,
    Screen.FIND_DAYS: Screen.FOUND,
    Screen.FOUND: Screen.FIND_PHONE,
}


class Appointments(QObject):
    changed = Signal()  # what the current screen shows changed (loaded, typed)

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._generation = 0
        self.form = BookingForm()

    def reset(self) -> None:
        """Forget this visitor (and give back a held place)."""
        self._generation += 1  # answers to earlier requests are dropped
        self._release_hold()
        self.form = BookingForm()

    # -- typing (the on-screen keys, or a keyboard's) -------------------------------------------

    def type_key(self, key: str) -> bool:
        """A key on the current screen's keyboard; True when it changed what was typed."""
        screen, form = self.host.screen, self.form
        if screen == Screen.CODE:
            changed = form.type_code(key)
        elif screen in (Screen.BOOK_PHONE, Screen.FIND_PHONE):
            changed = form.type_phone(key)
        elif screen == Screen.BOOK_NAME:
            changed = form.type_name(key)
        else:
            return False
        self.changed.emit()
        return changed

    def submit(self) -> None:
        """The keyboard screen's big button (or Enter): check in, next, find."""
        screen, form = self.host.screen, self.form
        if screen == Screen.CODE and form.code_ready:
            self._check_in(form.code)
        elif screen == Screen.BOOK_PHONE and form.phone_ready:
            self._go(Screen.BOOK_NAME)
        elif screen == Screen.BOOK_NAME and form.name_ready:
            self._go(Screen.BOOK_CONFIRM)
        elif screen == Screen.FIND_PHONE and form.phone_ready:
            self._find(None)

    # -- check-in ---------------------------------------------------------------------------

    def begin_checkin(self) -> None:
        if self.host.screen == Screen.START:
            self.reset()
            self._go(Screen.CODE)

    def scanned(self, payload: str) -> bool:
        """A scan (or a typed line) from the hall's scanner; True when it was taken."""
        if self.host.screen not in (Screen.START, Screen.CODE, Screen.CHECKIN_REFUSED):
            return False
        code = find_code(payload)
        log.info("scanned %d characters: %s", len(payload), "a booking code" if code else "no code")
        self.reset()
        if code is None:
            self._refuse(Problem("checkin", "not_a_code", *_texts("not_a_code")), Screen.CODE)
        else:
            self._check_in(code)
        return True

    def _check_in(self, code: str) -> None:
        self.form.code = code
        self._go(Screen.CHECKING)
        self._send(
            lambda client, key: client.check_in(code, idempotency_key=key),
            lambda made: made.check_in if made else None,
            self._checked_in,
            self._checkin_failed,
        )

    def _checked_in(self, result: object) -> None:
        assert isinstance(result, CheckIn)
        self.form.checkin = result
        self.host.show_ticket(result)

    def _checkin_failed(self, error: BaseException) -> None:
        if self.host.pause_hint(error):
            self._go(Screen.CODE)
            return
        if isinstance(error, Unsettled):
            self.form.code = ""
            self._refuse(Problem.unsettled("checkin"), Screen.CODE)
            self.host.settle(error.key)
            return
        if isinstance(error, NothingMade | ServerUnavailable) or not isinstance(error, ApiError):
            if not isinstance(error, ApiError | NothingMade):
                log.error("check-in crashed: %r", error)
            problem = Problem.no_answer("checkin")
        else:
            problem = Problem("checkin", error.code, error.message_uk, error.message_en)
        self.form.code = ""
        self._refuse(problem, Screen.CODE)

    # -- finding a booking by phone and day ---------------------------------------------------

    def begin_find(self) -> None:
        if self.host.screen == Screen.CODE:
            self.form.phone = ""
            self._go(Screen.FIND_PHONE)

    def _find(self, day: date | None) -> None:
        phone, client = f"+380{self.form.phone}", self.host.sending.client
        self.form.found, self.form.find_day = None, day
        self._go(Screen.FOUND)
        self._submit(lambda: client.find_bookings(phone, day), self._found, self._book_failed)

    def _found(self, result: object) -> None:
        assert isinstance(result, FoundBookings)
        self.form.found = list(result.bookings)
        self.form.find_day, self.form.today = result.date, result.today
        self.changed.emit()

    def other_day(self) -> None:
        if self.host.screen == Screen.FOUND and self.form.today is not None:
            self._go(Screen.FIND_DAYS)

    def choose_find_day(self, day: date) -> None:
        if self.host.screen == Screen.FIND_DAYS:
            self._find(day)

    def choose_found(self, index: int) -> None:
        found = self.form.found or []
        on_screen = self.host.screen == Screen.FOUND and 0 <= index < len(found)
        if on_screen and found[index].can_check_in:
            self._check_in(found[index].code.replace("-", ""))

    # -- booking a visit --------------------------------------------------------------------

    def begin_booking(self) -> None:
        if self.host.screen != Screen.START:
            return
        self.reset()
        self._go(Screen.BOOK_SERVICES)
        client = self.host.sending.client
        # Walk-in-only services are not asked about: the server says which take bookings.
        ids = [s.id for s in self.host.services if s.active and s.bookable]

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
            self.form.bookable = result
            # The server lists days from its own today: «another day» leaves that one out.
            first = [days[0].date for days in result.values() if days]
            self.form.today = min(first) if first else None
            self.changed.emit()

        self._submit(probe, loaded, self._book_failed)

    def choose_service(self, service_id: int) -> None:
        if self.host.screen != Screen.BOOK_SERVICES:
            return
        service = next(
            (s for s in self.form.services(self.host.services) if s.id == service_id), None
        )
        if service is not None:
            self.form.service = service
            self._go(Screen.BOOK_DAYS)

    def choose_day(self, day: date) -> None:
        if self.host.screen != Screen.BOOK_DAYS or self.form.service is None:
            return
        self.form.day = day
        self._go(Screen.BOOK_TIMES)
        self._load_times()

    def _load_times(self) -> None:
        service, day, client = self.form.service, self.form.day, self.host.sending.client
        assert service is not None
        assert day is not None
        self.form.times, self.form.taken = None, False
        self.changed.emit()

        def loaded(result: object) -> None:
            assert isinstance(result, list)
            self.form.times = [s.start for s in result if s.free > 0]
            self.changed.emit()

        self._submit(
            lambda: client.slots(service.id, day, channel="kiosk"), loaded, self._book_failed
        )

    def choose_time(self, index: int) -> None:
        form = self.form
        if self.host.screen != Screen.BOOK_TIMES or not form.times or form.service is None:
            return
        if not 0 <= index < len(form.times):
            return
        start, service_id, client = form.times[index], form.service.id, self.host.sending.client
        self._release_hold()
        form.start = start
        generation = self._generation

        def held(result: object) -> None:
            assert isinstance(result, SlotHold)
            form.hold, form.held_until = result.token, result.expires_at
            self._after_time()

        def not_held(error: BaseException) -> None:
            if isinstance(error, ApiError) and error.code == "slot_full":
                self._book_failed(error)
            elif isinstance(error, NotFoundError | ServerUnavailable):
                # A server without holds (or a blip): go on; the booking itself still checks.
                log.info("slot not held: %r", error)
                self._after_time()
            else:
                self._book_failed(error)

        self._submit(lambda: client.hold_slot(service_id, start), held, not_held, generation)

    def _after_time(self) -> None:
        # After "that time was just taken", phone and name are known: straight to confirm.
        form = self.form
        known = form.taken and form.phone_ready and form.name_ready
        self._go(Screen.BOOK_CONFIRM if known else Screen.BOOK_PHONE)

    def confirm(self) -> None:
        form = self.form
        if self.host.screen != Screen.BOOK_CONFIRM or form.service is None or form.start is None:
            return
        service_id, start, hold = form.service.id, form.start, form.hold
        phone, name = f"+380{form.phone}", form.clean_name
        self._go(Screen.BOOKING)
        self._send(
            lambda client, key: client.book(
                service_id, start, phone, name, hold=hold, idempotency_key=key
            ),
            lambda made: made.booking if made else None,
            self._booked,
            self._book_failed,
        )

    def _booked(self, result: object) -> None:
        assert isinstance(result, Booking)
        self.booked(result)

    def booked(self, result: Booking) -> None:
        """A booking made (or found made after a lost answer): its code on screen, printed."""
        self.form.booking = result
        self.form.hold, self.form.held_until = "", None  # the hold became the booking
        config = self.host.config
        self.host.show_booking(booking_slip(result, config.centre_name, config.footer))

    def _book_failed(self, error: BaseException) -> None:
        screen = self.host.state
        if self.host.pause_hint(error):
            self._go(Screen.BOOK_CONFIRM if screen == Screen.BOOKING else screen)
            return
        if isinstance(error, ApiError) and error.code == "slot_full":
            self._release_hold()
            self.form.times, self.form.taken = error.next_free, True
            self._go(Screen.BOOK_TIMES)
            self.changed.emit()
            return
        if isinstance(error, Unsettled):
            self._refuse(Problem.unsettled("book"), Screen.BOOK_CONFIRM, Screen.BOOK_REFUSED)
            self.host.settle(error.key)
            return
        if isinstance(error, NothingMade | ServerUnavailable) or not isinstance(error, ApiError):
            if not isinstance(error, ApiError | NothingMade):
                log.error("booking crashed: %r", error)
            problem = Problem.no_answer("book")
        else:
            problem = Problem("book", error.code, error.message_uk, error.message_en)
        back = {
            Screen.BOOKING: Screen.BOOK_CONFIRM,
            Screen.BOOK_SERVICES: Screen.START,
            Screen.BOOK_TIMES: Screen.BOOK_DAYS,
            Screen.FOUND: Screen.FIND_PHONE,
        }.get(screen, Screen.START)
        self._refuse(problem, REFUSAL_BACK.get(problem.code, back), Screen.BOOK_REFUSED)

    # -- navigation -------------------------------------------------------------------------

    def back(self) -> None:
        screen, form = self.host.screen, self.form
        if screen in (Screen.CHECKIN_REFUSED, Screen.BOOK_REFUSED):
            target = form.problem_back or Screen.START
            form.problem = None
            if target == Screen.START:
                self.host.cancel()
            elif target == Screen.BOOK_TIMES and form.day is not None:
                self._go(Screen.BOOK_TIMES)
                self._load_times()
            else:
                form.code = "" if target == Screen.CODE else form.code
                self._go(target)
        elif screen in (Screen.CODE, Screen.BOOK_SERVICES):
            self.host.cancel()
        elif screen == Screen.BOOK_TIMES and form.taken and form.day is not None:
            self._go(Screen.BOOK_TIMES)  # from the next free times back to the chosen day's
            self._load_times()
        elif screen in STEPS_BACK:
            if screen == Screen.BOOK_PHONE:
                self._release_hold()  # back to the times: the held place is given back
            self._go(STEPS_BACK[screen])
            if screen == Screen.BOOK_PHONE and form.day is not None:
                self._load_times()

    # -- internals --------------------------------------------------------------------------

    def _refuse(
        self, problem: Problem, back: Screen, screen: Screen = Screen.CHECKIN_REFUSED
    ) -> None:
        self.form.problem, self.form.problem_back = problem, back
        self._go(screen)

    def _release_hold(self) -> None:
        token, self.form.hold, self.form.held_until = self.form.hold, "", None
        if not token:
            return
        client = self.host.sending.client

        def ignore(error: BaseException) -> None:
            log.info("hold %s not released (it expires by itself): %r", token[:6], error)

        self.host.sending.submit(lambda: client.release_hold(token), lambda _r: None, ignore)

    def _go(self, screen: Screen) -> None:
        self._generation += 1
        self.host.go(screen)

    def _submit(
        self,
        job: Callable[[], Any],
        on_ok: Callable[[object], None],
        on_error: Callable[[BaseException], None],
        generation: int | None = None,
    ) -> None:
        generation = self._generation if generation is None else generation

        def ok(result: object) -> None:
            if generation == self._generation:
                on_ok(result)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                on_error(error)

        self.host.sending.submit(job, ok, failed)

    def _send(
        self,
        request: Callable[[QueueClient, str], Any],
        made: Callable[[RequestOutcome | None], Any],
        on_ok: Callable[[object], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """A request with a key (check-in, booking): retried, never made twice."""
        generation = self._generation

        def ok(result: object) -> None:
            if generation == self._generation:
                on_ok(result)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                on_error(error)

        self.host.sending.send(request, made, ok, failed)


def _texts(key: str) -> tuple[str, str]:
    from .i18n import tr

    return tr(key, "uk"), tr(key, "en")


__all__ = ["Appointments", "Host"]
