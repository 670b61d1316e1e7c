"""KioskController: the visitor's way through the screens, and what the faults override.

start → groups → services → [priority question] → issuing → ticket → (after a calm delay) start.
Bookings (check-in with a code, booking a visit, finding a booking) are `Appointments`'.
Outage and pause cover every screen except a ticket or booking on show (or due any second): a
visitor holding a number keeps seeing it. A visitor who walks away is asked «Are you still
here?» after `idle_seconds`; unanswered, the kiosk clears everything personal and every
preference (kiosk/attendance.py). What each screen shows and says is kiosk/describe.py's.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal

from cherha.client import ApiError, ServerUnavailable
from cherha.printer.slips import BookingSlip, TicketSlip
from cherha.wire import IssuedTicket, RequestOutcome, Service

from .appointments import Appointments
from .attendance import Attendance
from .booking_content import key_name
from .config import KioskConfig
from .content import Content, Control, top_bar
from .describe import describe
from .i18n import tr
from .keyed import NothingMade, Unsettled
from .known import Known
from .model import BookingForm, Problem
from .printing import FAULTS, PrinterWatch, PrintOutcome, PrintService, checkin_slip, slip_for
from .sending import Sender
from .server_watch import ServerWatch, Snapshot
from .speech import Speaker
from .spoken import control_name, screen_speech
from .states import BOOKING_STEPS, CHOOSING, HELD, SHOWN_RESULT
from .states import PrintState as PrintState  # re-exported: the controller's names
from .states import Screen as Screen

log = logging.getLogger(__name__)


class KioskController(Known, QObject):
    """All kiosk logic; widgets only show its state and call its slots."""

    screen_changed = Signal(str)
    services_changed = Signal()
    language_changed = Signal(str)
    contrast_changed = Signal(bool)
    ticket_changed = Signal()
    print_state_changed = Signal(str)
    printer_fault_changed = Signal(bool)
    countdown_changed = Signal()  # the return countdown or the idle question ticked
    ticket_issued = Signal(object)  # IssuedTicket
    printed = Signal(object)  # PrintOutcome
    spoke = Signal(str)  # the text handed to the speaker
    cleared = Signal()  # everything of the last visitor is gone: pages must forget it too

    def __init__(
        self,
        config: KioskConfig,
        *,
        watch: ServerWatch,
        sending: Sender,
        printing: PrintService,
        printer_watch: PrinterWatch,
        speaker: Speaker,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.config = config
        self.watch = watch
        self.printing = printing
        self.printer_watch = printer_watch
        self.speaker = speaker
        self.sending = sending
        sending.setParent(self)
        sending.slow_changed.connect(lambda _slow: self.countdown_changed.emit())
        self.language: str = config.language
        self.high_contrast = config.high_contrast
        self.state = Screen.START
        self.group_key: str | None = None
        self.service: Service | None = None
        self.ticket: IssuedTicket | None = None
        self.problem: Problem | None = None
        self.print_state = PrintState.NONE
        self.print_error = ""
        self.print_job = ""  # the job whose outcome the screen waits for
        self._slip: TicketSlip | BookingSlip | None = None  # what a reprint prints again
        self.touched_at = 0.0  # perf_counter of the last touch on a service (benchmark)
        self._paused_hint: str | None = None  # a 409 branch_paused seen before the next poll
        self.follow_speech = False  # once asked, read each new screen for this visitor
        self._shown: tuple[Screen, bool] | None = None
        self.attendance = Attendance(config, self._guards_something, self)
        self.attendance.returned.connect(self.done)
        self.attendance.timed_out.connect(self.reset_all)
        self.attendance.asking_changed.connect(lambda _asking: self._update_screen())
        self.attendance.ticked.connect(self.countdown_changed)
        self.appointments = Appointments(self)
        watch.updated.connect(self._on_snapshot)
        watch.reachable_changed.connect(self._on_reachable)
        printing.finished.connect(self._on_printed)
        printer_watch.fault_changed.connect(self._on_printer_fault)

    # -- lifecycle ----------------------------------------------------------------------------

    def start_services(self) -> None:
        self.watch.start()
        self.printer_watch.start()
        self._update_screen()

    def stop(self) -> None:
        """Stop timers and threads (waits for requests and printing under way)."""
        self.attendance.stop()
        self.printer_watch.stop()
        self.watch.stop()
        self.sending.shutdown()
        self.printing.stop()
        self.speaker.stop()

    # -- what is known (kiosk/content.py's KioskState) -----------------------------------------

    @property
    def form(self) -> BookingForm:
        return self.appointments.form

    @property
    def waiting_long(self) -> bool:
        """The server has been slow to answer the visitor's request (the screen says so)."""
        return self.sending.waiting_long

    @property
    def screen(self) -> Screen:
        """What the visitor sees now: the flow's screen unless a fault covers it."""
        if self.state in HELD:
            return self.state  # a number on show (or due any second) is never hidden
        if self.watch.reachable is False:
            return Screen.OUTAGE
        if self.paused:
            return Screen.PAUSED
        return self.state

    @property
    def return_left(self) -> int | None:
        return self.attendance.return_left

    @property
    def idle_left(self) -> int | None:
        return self.attendance.idle_left

    @property
    def can_reprint(self) -> bool:
        """A slip that did not print, still on screen, and the printer is ready again."""
        return (
            self.state in SHOWN_RESULT
            and self.print_state == PrintState.FAILED
            and self._slip is not None
            and self.printer_watch.state not in ("", *FAULTS)
        )

    def content(self) -> Content:
        """What is on the screen now, as data (the window shows it, speech reads it)."""
        return describe(self)

    def top_bar(self) -> tuple[Control, ...]:
        return top_bar(self.language)

    # -- visitor actions ----------------------------------------------------------------------

    def begin(self) -> None:
        """The start screen's button."""
        if self.screen != Screen.START:
            return
        groups = self.groups
        if not groups:
            self.watch.refresh()
            return
        if len(groups) == 1:  # one group: no need to ask for it
            self.group_key = groups[0].key
            self.go(Screen.SERVICES)
        else:
            self.go(Screen.GROUPS)

    def choose_group(self, key: str) -> None:
        if self.screen == Screen.GROUPS and any(g.key == key for g in self.groups):
            self.group_key = key
            self.go(Screen.SERVICES)

    def choose_service(self, service_id: int) -> None:
        if self.screen != Screen.SERVICES:
            return  # a second tap while issuing must not issue a second ticket
        service = next((s for s in self.services if s.id == service_id), None)
        if service is None:
            return
        self.touched_at = time.perf_counter()
        self.service = service
        if service.allow_priority and self.priority_categories:
            self.go(Screen.PRIORITY)
        else:
            self._issue(service, priority=False)

    def answer_priority(self, priority: bool) -> None:
        if self.screen == Screen.PRIORITY and self.service is not None:
            self.touched_at = time.perf_counter()
            self._issue(self.service, priority=priority)

    def back(self) -> None:
        screen = self.screen
        if screen in BOOKING_STEPS:
            self.appointments.back()
        elif screen == Screen.GROUPS:
            self.go(Screen.START)
        elif screen == Screen.SERVICES:
            self.go(Screen.GROUPS if len(self.groups) > 1 else Screen.START)
        elif screen in (Screen.PRIORITY, Screen.REFUSED):
            self.go(Screen.SERVICES if self.group is not None else Screen.START)

    def cancel(self) -> None:
        """Back to the start, keeping this visitor's language and text size."""
        if self.screen in CHOOSING:
            self._reset_flow()
            self.go(Screen.START)

    def done(self) -> None:
        """The ticket (or booked) screen's Done, or its calm delay: ready for the next visitor."""
        if self.state in SHOWN_RESULT:
            self.reset_all()

    def reset_all(self) -> None:
        """The next visitor starts afresh: nothing typed, chosen or preferred is left."""
        self.attendance.reset()
        self._reset_flow()
        self.follow_speech = False
        self.speaker.stop()
        if self.language != self.config.language:
            self.language = self.config.language
            self.language_changed.emit(self.language)
        if self.high_contrast != self.config.high_contrast:
            self.high_contrast = self.config.high_contrast
            self.contrast_changed.emit(self.high_contrast)
        self.cleared.emit()
        self.go(Screen.START)

    def keep_on_screen(self) -> None:
        """«Keep on screen»: no return to the start until Done (or the visitor leaves)."""
        if self.state in SHOWN_RESULT:
            self.attendance.keep()
            self.countdown_changed.emit()

    def reprint(self) -> None:
        """Print the slip again once the printer is back (the visitor is still here)."""
        if not self.can_reprint or self._slip is None:
            return
        self._print(self._slip)
        self.print_state_changed.emit(str(self.print_state))

    def toggle_language(self) -> None:
        self.set_language("en" if self.language == "uk" else "uk")

    def set_language(self, language: str) -> None:
        if language in ("uk", "en") and language != self.language:
            self.language = language
            self.language_changed.emit(language)
            if self.follow_speech:
                self.read_aloud()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.contrast_changed.emit(self.high_contrast)

    def read_aloud(self) -> None:
        self.follow_speech = True
        content, top = self.content(), self.top_bar()
        self.say(screen_speech(content, top, self.language, private_ok=self.private_ok))

    def say(self, text: str) -> None:
        """Hand `text` to the speaker (never raises: a speech fault must not stop the kiosk)."""
        try:
            self.speaker.say(text, self.language)
        except Exception:
            log.exception("speech failed")
        self.spoke.emit(text)

    def say_control(self, control: Control) -> None:
        """The keypad moved to `control`: say its name. The first key of a visitor turns
        speech on and reads the screen first (nobody has to find «Read aloud» by sight)."""
        said = control_name(control, self.language)
        if not self.follow_speech:
            content, top = self.content(), self.top_bar()
            screen = screen_speech(content, top, self.language, private_ok=self.private_ok)
            said = f"{screen} {said}"
        self.follow_speech = True
        self.say(said)

    def activity(self) -> None:
        """A touch or a key: the visitor is here (answers «still here?»)."""
        self.attendance.activity()

    def type_key(self, key: str) -> None:
        """A key of the screen's keyboard (on screen or real); read back when speech is on.

        A phone number or a name is read back only into headphones; an open loudspeaker
        says how many characters there are.
        """
        if not self.appointments.type_key(key):
            return
        if not self.follow_speech:
            return
        entry = self.content().line("entry")
        if entry is not None and entry.private and not self.private_ok:
            self.say(entry.public)
        else:
            self.say(key_name(key, self.language))

    def help(self) -> None:
        """The help key: what this screen is and how the keys work."""
        self.follow_speech = True
        self.say(self.content().help)

    # -- internals ----------------------------------------------------------------------------

    def _reset_flow(self) -> None:
        self.sending.settler.stop()
        self.group_key = None
        self.service = None
        self.ticket = None
        self.problem = None
        self.print_state = PrintState.NONE
        self.print_error = ""
        self.print_job = ""
        self._slip = None
        self.appointments.reset()

    def go(self, state: Screen) -> None:
        """Show the flow's screen `state` (faults may still cover it)."""
        self.state = state
        self._update_screen()

    def pause_hint(self, error: BaseException) -> bool:
        """A 409 branch_paused: the pause screen at once, before the next poll confirms it."""
        if isinstance(error, ApiError) and error.code == "branch_paused":
            self._paused_hint = error.message_uk
            self.watch.refresh()
            return True
        return False

    def show_ticket(self, ticket: IssuedTicket) -> None:
        """An issued (or checked-in) ticket: on screen at once, then printed."""
        self.ticket = ticket
        self.ticket_issued.emit(ticket)
        self.ticket_changed.emit()
        self._print(self.slip_of(ticket))
        self.go(Screen.TICKET)
        self.watch.soon()  # the waiting counts just changed

    def slip_of(self, ticket: IssuedTicket) -> TicketSlip:
        """The ticket's slip, in the branch's local time; a checked-in booking's says its slot."""
        checkin = self.form.checkin
        name, footer = self.config.centre_name, self.config.footer
        if checkin is not None and checkin.id == ticket.id:
            return checkin_slip(checkin, self.timezone, name, footer)
        return slip_for(ticket, self.timezone, name, footer)

    def show_booking(self, slip: BookingSlip) -> None:
        """A booking made: its code and QR on screen, the slip printed."""
        self._print(slip)
        self.go(Screen.BOOKED)

    def _print(self, slip: TicketSlip | BookingSlip) -> None:
        self._slip = slip
        self.print_state = PrintState.PRINTING
        self.print_error = ""
        self.attendance.hold_result()
        if isinstance(slip, TicketSlip):
            assert self.ticket is not None
            self.print_job = self.printing.print_ticket(self.ticket.id, slip)
        else:
            self.print_job = self.printing.print_booking(slip)

    def _update_screen(self) -> None:
        screen = self.screen
        shown = (screen, self.attendance.asking)
        if shown == self._shown:
            return
        self._shown = shown
        log.debug("screen: %s", screen)
        self.attendance.screen_changed()
        self.screen_changed.emit(str(screen))
        # The ticket is read once its printing is settled, with the print result in it.
        if self.follow_speech and not (
            screen in SHOWN_RESULT and self.print_state == PrintState.PRINTING
        ):
            self.read_aloud()

    def _guards_something(self) -> bool:
        """Is anything of this visitor's on the kiosk (worth «still here?»)?"""
        if self.state in (Screen.ISSUING, Screen.CHECKING, Screen.BOOKING):
            return False  # the server's answer comes within its timeout
        if self.state == Screen.START:
            return (
                self.language != self.config.language
                or self.high_contrast != self.config.high_contrast
                or self.follow_speech
            )
        return True

    def _issue(self, service: Service, *, priority: bool) -> None:
        self.problem = None
        self.go(Screen.ISSUING)
        self.sending.send(
            lambda client, key: client.issue_ticket(service.id, priority, idempotency_key=key),
            lambda made: made.ticket if made else None,
            self._on_issued,
            self._on_refused,
        )

    def _on_issued(self, result: object) -> None:
        assert isinstance(result, IssuedTicket)
        self.show_ticket(result)

    def _on_refused(self, error: BaseException) -> None:
        if isinstance(error, ApiError) and error.code == "branch_paused":
            self._paused_hint = error.message_uk
            self.problem = None
            self.go(Screen.SERVICES)
        elif isinstance(error, Unsettled):
            # No answer, nor to «what did it make?»: the ticket may exist. Keep asking, and
            # show it (and print it) if it does; meanwhile say it is not known yet.
            self.problem = Problem.unsettled("ticket")
            self.go(Screen.REFUSED)
            self.settle(error.key)
        elif isinstance(error, NothingMade | ServerUnavailable) or not isinstance(error, ApiError):
            if not isinstance(error, ApiError | NothingMade):
                log.error("issuing crashed: %r", error)
            # The server says the request made nothing: «no ticket» is true.
            self.problem = Problem.no_answer("ticket")
            self.go(Screen.REFUSED)
        else:
            self.problem = Problem("ticket", error.code, error.message_uk, error.message_en)
            self.go(Screen.REFUSED)
        self.watch.refresh()

    def settle(self, key: str) -> None:
        """Ask what `key` made until the server says, while the visitor waits on this screen."""
        problem_of = self._unsettled_problem

        def made(outcome: RequestOutcome) -> None:
            if problem_of() is None:
                return  # the visitor has moved on
            if outcome.check_in is not None:
                self.appointments.form.checkin = outcome.check_in
            if outcome.issued is not None:
                self.show_ticket(outcome.issued)
            elif outcome.booking is not None:
                self.appointments.booked(outcome.booking)

        def nothing() -> None:
            problem = problem_of()
            if problem is not None:
                self._set_problem(Problem.no_answer(problem.kind))

        self.sending.settler.start(key, made, nothing)

    def _unsettled_problem(self) -> Problem | None:
        for problem in (self.problem, self.form.problem):
            if (
                problem is not None
                and problem.code == "unsettled"
                and self.state
                in (
                    Screen.REFUSED,
                    Screen.CHECKIN_REFUSED,
                    Screen.BOOK_REFUSED,
                )
            ):
                return problem
        return None

    def _set_problem(self, problem: Problem) -> None:
        if problem.kind == "ticket":
            self.problem = problem
        else:
            self.form.problem = problem
        self.countdown_changed.emit()  # the screen's words changed
        if self.follow_speech:
            self.read_aloud()

    def _on_printed(self, outcome: object) -> None:
        assert isinstance(outcome, PrintOutcome)
        self.printer_watch.job_done(outcome)
        self.printed.emit(outcome)
        if not self.print_job or outcome.job != self.print_job:
            return  # the visitor already left this ticket or booking
        self.print_state = PrintState.PRINTED if outcome.ok else PrintState.FAILED
        self.print_error = str(outcome.error) if outcome.error else ""
        self.attendance.count_down(
            self.config.return_delay_seconds
            if outcome.ok
            else self.config.fault_return_delay_seconds
        )
        self.print_state_changed.emit(str(self.print_state))
        if self.follow_speech and self.screen in SHOWN_RESULT:
            self.read_aloud()

    def _on_printer_fault(self, fault: bool) -> None:
        self.printer_fault_changed.emit(fault)
        if not fault and self.can_reprint and self.follow_speech:
            self.say(tr("printer_back", self.language))

    def _on_snapshot(self, snapshot: object) -> None:
        assert isinstance(snapshot, Snapshot)
        self._paused_hint = None  # the server's word replaces a guess
        self.services_changed.emit()
        self._update_screen()

    def _on_reachable(self, reachable: bool) -> None:
        if reachable:
            self.printer_watch.retry_report()
        self._update_screen()


__all__ = ["KioskController", "PrintState", "Screen"]
