"""KioskController: the visitor's way through the screens, and what the faults override.

start → groups → services → [priority question] → issuing → ticket → (after a calm delay) start.
Bookings (check-in with a code, booking a visit) are `appointments.Appointments`' screens.
Outage and pause cover every screen except a ticket or booking on show (or due any second): a
visitor holding a number keeps seeing it. Only the ticket and booked screens return to start
by themselves; nobody is timed out while choosing or typing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from cherha.client import ApiError, QueueClient, ServerUnavailable
from cherha.printer.slips import BookingSlip, TicketSlip
from cherha.wire import Branch, IssuedTicket, Service

from .appointments import Appointments
from .config import KioskConfig
from .i18n import tr
from .printing import PrinterWatch, PrintOutcome, PrintService, slip_for
from .server_watch import ServerWatch, Snapshot
from .speech import Speaker
from .spoken import screen_text
from .states import BOOKING_STEPS, CHOOSING, HELD, SHOWN_RESULT
from .states import PrintState as PrintState  # re-exported: the controller's names
from .states import Screen as Screen
from .workers import Runner

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # the Ukrainian group name ("" for services without one)
    name_uk: str
    name_en: str
    services: tuple[Service, ...]

    def name(self, language: str) -> str:
        if not self.key:
            return tr("other_group", language)
        return self.name_en if language == "en" and self.name_en else self.name_uk

    @property
    def waiting(self) -> int:
        return sum(s.waiting for s in self.services)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a ticket was not issued: the server's own words, or no answer at all."""

    code: str
    message_uk: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message_uk

    def what_to_do(self, language: str) -> str:
        key = f"do_{self.code}"
        from .i18n import TEXTS

        return tr(key if key in TEXTS else "do_generic", language)


def group_services(services: tuple[Service, ...]) -> list[Group]:
    """Active services by group, in the server's order."""
    order: dict[str, list[Service]] = {}
    for service in services:
        if service.active:
            order.setdefault(service.group_uk, []).append(service)
    return [Group(key, key, items[0].group_en, tuple(items)) for key, items in order.items()]


class KioskController(QObject):
    """All kiosk logic; widgets only show its state and call its slots."""

    screen_changed = Signal(str)
    services_changed = Signal()
    language_changed = Signal(str)
    contrast_changed = Signal(bool)
    ticket_changed = Signal()
    print_state_changed = Signal(str)
    printer_fault_changed = Signal(bool)
    ticket_issued = Signal(object)  # IssuedTicket
    printed = Signal(object)  # PrintOutcome
    spoke = Signal(str)  # the text handed to the speaker

    def __init__(
        self,
        config: KioskConfig,
        *,
        watch: ServerWatch,
        issue_client: QueueClient,
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
        self._issue_client = issue_client
        self.issuer = Runner("issuing", self)
        self.language: str = config.language
        self.high_contrast = config.high_contrast
        self.state = Screen.START
        self.group_key: str | None = None
        self.service: Service | None = None
        self.ticket: IssuedTicket | None = None
        self.refusal: Refusal | None = None
        self.print_state = PrintState.NONE
        self.print_error = ""
        self.print_job = ""  # the job whose outcome the screen waits for
        self.touched_at = 0.0  # perf_counter of the last touch on a service (benchmark)
        self._paused_hint: str | None = None  # a 409 branch_paused seen before the next poll
        self._follow_speech = False  # once asked, read each new screen for this visitor
        self._shown: Screen | None = None
        self.return_timer = QTimer(self)
        self.return_timer.setSingleShot(True)
        self.return_timer.timeout.connect(self.done)
        self.appointments = Appointments(self)
        watch.updated.connect(self._on_snapshot)
        watch.reachable_changed.connect(self._on_reachable)
        printing.finished.connect(self._on_printed)
        printer_watch.fault_changed.connect(self.printer_fault_changed)

    # -- lifecycle ----------------------------------------------------------------------------

    def start_services(self) -> None:
        self.watch.start()
        self.printer_watch.start()
        self._update_screen()

    def stop(self) -> None:
        """Stop timers and threads (waits for requests and printing under way)."""
        self.return_timer.stop()
        self.printer_watch.stop()
        self.watch.stop()
        self.issuer.shutdown()
        self.printing.stop()
        self.speaker.stop()
        self._issue_client.close()

    # -- what is known ------------------------------------------------------------------------

    @property
    def branch(self) -> Branch | None:
        return self.watch.snapshot.branch if self.watch.snapshot else None

    @property
    def services(self) -> tuple[Service, ...]:
        return self.watch.snapshot.services if self.watch.snapshot else ()

    @property
    def groups(self) -> list[Group]:
        return group_services(self.services)

    @property
    def group(self) -> Group | None:
        return next((g for g in self.groups if g.key == self.group_key), None)

    @property
    def paused(self) -> bool:
        return self._paused_hint is not None or bool(self.branch and self.branch.paused)

    @property
    def pause_reason(self) -> str:
        if self.branch and self.branch.paused:
            return self.branch.pause_reason
        return self._paused_hint or ""

    @property
    def printer_fault(self) -> bool:
        return self.printer_watch.fault

    @property
    def centre_name(self) -> str:
        if self.config.centre_name:
            return self.config.centre_name
        if self.branch is None:
            return tr("centre_default", self.language)
        return (
            self.branch.name_en
            if self.language == "en" and self.branch.name_en
            else self.branch.name_uk
        )

    @property
    def issue_client(self) -> QueueClient:
        """The client for the visitor's requests (use it on `issuer`, never in the GUI thread)."""
        return self._issue_client

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
            self._go(Screen.SERVICES)
        else:
            self._go(Screen.GROUPS)

    def choose_group(self, key: str) -> None:
        if self.screen == Screen.GROUPS and any(g.key == key for g in self.groups):
            self.group_key = key
            self._go(Screen.SERVICES)

    def choose_service(self, service_id: int) -> None:
        if self.screen != Screen.SERVICES:
            return  # a second tap while issuing must not issue a second ticket
        service = next((s for s in self.services if s.id == service_id), None)
        if service is None:
            return
        self.touched_at = time.perf_counter()
        self.service = service
        if service.allow_priority and self.config.priority_categories:
            self._go(Screen.PRIORITY)
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
            self._go(Screen.START)
        elif screen == Screen.SERVICES:
            self._go(Screen.GROUPS if len(self.groups) > 1 else Screen.START)
        elif screen in (Screen.PRIORITY, Screen.REFUSED):
            self._go(Screen.SERVICES if self.group is not None else Screen.START)

    def cancel(self) -> None:
        """Back to the start, keeping this visitor's language and text size."""
        if self.screen in CHOOSING:
            self._reset_flow()
            self._go(Screen.START)

    def done(self) -> None:
        """The ticket (or booked) screen's Done, or its calm delay: ready for the next visitor."""
        if self.state not in SHOWN_RESULT:
            return
        self.return_timer.stop()
        self._reset_flow()
        self._follow_speech = False
        self.speaker.stop()
        if self.language != self.config.language:
            self.language = self.config.language
            self.language_changed.emit(self.language)
        if self.high_contrast != self.config.high_contrast:
            self.high_contrast = self.config.high_contrast
            self.contrast_changed.emit(self.high_contrast)
        self._go(Screen.START)

    def toggle_language(self) -> None:
        self.set_language("en" if self.language == "uk" else "uk")

    def set_language(self, language: str) -> None:
        if language in ("uk", "en") and language != self.language:
            self.language = language
            self.language_changed.emit(language)
            if self._follow_speech:
                self.read_aloud()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.contrast_changed.emit(self.high_contrast)

    def read_aloud(self) -> None:
        self._follow_speech = True
        text = screen_text(self)
        self.speaker.say(text, self.language)
        self.spoke.emit(text)

    # -- internals ----------------------------------------------------------------------------

    def _reset_flow(self) -> None:
        self.group_key = None
        self.service = None
        self.ticket = None
        self.refusal = None
        self.print_state = PrintState.NONE
        self.print_error = ""
        self.print_job = ""
        self.appointments.reset()

    def go(self, state: Screen) -> None:
        """Show the flow's screen `state` (faults may still cover it)."""
        self.state = state
        self._update_screen()

    _go = go

    def pause_hint(self, error: BaseException) -> bool:
        """A 409 branch_paused: the pause screen at once, before the next poll confirms it."""
        if isinstance(error, ApiError) and error.code == "branch_paused":
            self._paused_hint = error.message_uk
            self.watch.refresh()
            return True
        return False

    def show_ticket(self, ticket: IssuedTicket, slip: TicketSlip) -> None:
        """An issued (or checked-in) ticket: on screen at once, then printed."""
        self.ticket = ticket
        self.print_state = PrintState.PRINTING
        self.print_error = ""
        self.ticket_issued.emit(ticket)
        self.ticket_changed.emit()
        self.print_job = self.printing.print_ticket(ticket.id, slip)
        self._go(Screen.TICKET)
        self.watch.soon()  # the waiting counts just changed

    def show_booking(self, slip: BookingSlip) -> None:
        """A booking made: its code and QR on screen, the slip printed."""
        self.print_state = PrintState.PRINTING
        self.print_error = ""
        self.print_job = self.printing.print_booking(slip)
        self._go(Screen.BOOKED)

    def _update_screen(self) -> None:
        screen = self.screen
        if screen == self._shown:
            return
        self._shown = screen
        log.debug("screen: %s", screen)
        self.screen_changed.emit(str(screen))
        # The ticket is read once its printing is settled, with the print result in it.
        if self._follow_speech and not (
            screen in SHOWN_RESULT and self.print_state == PrintState.PRINTING
        ):
            self.read_aloud()

    def _issue(self, service: Service, *, priority: bool) -> None:
        self.refusal = None
        self._go(Screen.ISSUING)
        client = self._issue_client
        self.issuer.submit(
            lambda: client.issue_ticket(service.id, priority), self._on_issued, self._on_refused
        )

    def _on_issued(self, result: object) -> None:
        assert isinstance(result, IssuedTicket)
        self.show_ticket(result, slip_for(result, self.config.centre_name, self.config.footer))

    def _on_refused(self, error: BaseException) -> None:
        if isinstance(error, ApiError) and error.code == "branch_paused":
            self._paused_hint = error.message_uk
            self.refusal = None
            self._go(Screen.SERVICES)
        elif isinstance(error, ServerUnavailable) or not isinstance(error, ApiError):
            if not isinstance(error, ApiError):
                log.error("issuing crashed: %r", error)
            # No answer: the ticket may not exist, so no number is shown, ever.
            self.refusal = Refusal(
                "network", tr("not_issued_network", "uk"), tr("not_issued_network", "en")
            )
            self._go(Screen.REFUSED)
        else:
            self.refusal = Refusal(error.code, error.message_uk, error.message_en)
            self._go(Screen.REFUSED)
        self.watch.refresh()

    def _on_printed(self, outcome: object) -> None:
        assert isinstance(outcome, PrintOutcome)
        self.printer_watch.job_done(outcome)
        self.printed.emit(outcome)
        if not self.print_job or outcome.job != self.print_job:
            return  # the visitor already left this ticket or booking
        self.print_state = PrintState.PRINTED if outcome.ok else PrintState.FAILED
        self.print_error = str(outcome.error) if outcome.error else ""
        self.print_state_changed.emit(str(self.print_state))
        delay = (
            self.config.return_delay_seconds
            if outcome.ok
            else self.config.fault_return_delay_seconds
        )
        self.return_timer.start(int(delay * 1000))
        if self._follow_speech and self.screen in SHOWN_RESULT:
            self.read_aloud()

    def _on_snapshot(self, snapshot: object) -> None:
        assert isinstance(snapshot, Snapshot)
        self._paused_hint = None  # the server's word replaces a guess
        self.services_changed.emit()
        self._update_screen()

    def _on_reachable(self, reachable: bool) -> None:
        if reachable:
            self.printer_watch.retry_report()
        self._update_screen()
