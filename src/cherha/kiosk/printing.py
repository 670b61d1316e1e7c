"""Printing a ticket off the GUI thread, and remembering a printer fault until it is fixed.

`PrintService` prints on its own thread and reports each outcome. `PrinterWatch` keeps the
printer's state ("ok", "paper_out", "offline", "cover_open", "error"), re-checks it while it
is bad, and tells the server (`POST /api/v1/devices/me/status`) whenever it changes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC

from PySide6.QtCore import QObject, QTimer, Signal

from cherha.client import ApiError, NotFoundError, QueueClient, ServerUnavailable
from cherha.printer.device import Printer
from cherha.printer.errors import CoverOpen, PaperOut, PrinterError, PrinterOffline, PrinterTimeout
from cherha.printer.jobs import build_job
from cherha.printer.slips import BookingSlip, TicketSlip
from cherha.printer.status import PrinterStatus
from cherha.wire import Booking, CheckIn, IssuedTicket, PrinterState

from .i18n import tr
from .workers import Runner

log = logging.getLogger(__name__)

OK: PrinterState = "ok"
FAULTS = ("paper_out", "offline", "cover_open", "error")
HEALTHY_CHECK_MS = 60_000  # a healthy printer is asked now and then, to warn early


def state_of(error: PrinterError) -> PrinterState:
    """The device-status word for a printer failure."""
    if isinstance(error, PaperOut):
        return "paper_out"
    if isinstance(error, CoverOpen):
        return "cover_open"
    if isinstance(error, PrinterOffline | PrinterTimeout):
        return "offline"
    return "error"


def state_of_status(status: PrinterStatus) -> PrinterState:
    if not status.known:
        return OK  # file, CUPS, preview-dir: nothing to ask, assumed online
    if error := status.error():
        return state_of(error)
    return "paper_near_end" if status.paper_near_end else OK


def slip_for(ticket: IssuedTicket, centre_name: str = "", footer: str = "") -> TicketSlip:
    issued_at = ticket.issued_at
    if issued_at.tzinfo is None:  # the server sends UTC with an offset; be safe anyway
        issued_at = issued_at.replace(tzinfo=UTC)
    return TicketSlip(
        centre_name=centre_name or ticket.branch_name_uk,
        number=ticket.number,
        service_name=ticket.service_name_uk,
        service_name_en=ticket.service_name_en or None,
        issued_at=issued_at,
        people_ahead=ticket.people_ahead,
        estimated_wait_minutes=ticket.estimated_wait_minutes,
        priority=ticket.lane == "priority",
        status_url=ticket.status_url,
        footer=footer or None,
    )


def checkin_slip(done: CheckIn, centre_name: str = "", footer: str = "") -> TicketSlip:
    """A checked-in booking's ticket: the walk-in slip with the slot time in its footer.

    (TicketSlip has no field of its own for the slot time.)
    """
    booking = done.booking
    key = "slip_booking" if booking.on_time else "slip_booking_late"
    fields = {"time": f"{booking.start:%H:%M}", "code": booking.code}
    line = f"{tr(key, 'uk', **fields)} / {tr(key, 'en', **fields)}"
    slip = slip_for(done, centre_name, footer)
    return replace(slip, footer=f"{line} · {footer}" if footer else line)


def booking_slip(booking: Booking, centre_name: str = "", footer: str = "") -> BookingSlip:
    """The booking's confirmation: the code large, the slot, the arrival rule, a QR of the code."""
    rule = {"early": booking.early_minutes, "late": booking.late_minutes}
    return BookingSlip(
        centre_name=centre_name or booking.branch_name_uk,
        code=booking.code,
        service_name=booking.service_name_uk,
        service_name_en=booking.service_name_en or None,
        slot_start=booking.start,
        arrive_rule=tr("arrive_rule", "uk", **rule),
        arrive_rule_en=tr("arrive_rule", "en", **rule),
        qr_payload=booking.code,  # what the kiosk's scanner reads back at check-in
        footer=footer or None,
    )


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    ticket_id: int  # 0: not a ticket (a booking slip)
    status: PrinterStatus | None  # None when it failed
    error: PrinterError | None
    built_at: float  # time.perf_counter() when the job's bytes were ready
    sent_at: float  # ... and when the printer (transport) had taken them
    job: str = ""  # what was printed: "ticket:<id>" or "booking:<code>"

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def state(self) -> PrinterState:
        if self.error is not None:
            return state_of(self.error)
        assert self.status is not None
        return state_of_status(self.status)


class PrintService(QObject):
    """Prints tickets one after another on the printing thread."""

    finished = Signal(object)  # PrintOutcome

    def __init__(self, printer: Printer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer = printer
        self.runner = Runner("printing", self)

    def print_ticket(self, ticket_id: int, slip: TicketSlip) -> str:
        """Print a ticket; returns the job's name (its outcome's `job`)."""
        job = f"ticket:{ticket_id}"
        self.runner.submit(
            lambda: self._print(ticket_id, slip, job),
            self._done,
            lambda error: self._crashed(error, ticket_id, job),
        )
        return job

    def print_booking(self, slip: BookingSlip) -> str:
        job = f"booking:{slip.code}"
        self.runner.submit(
            lambda: self._print(0, slip, job), self._done, lambda e: self._crashed(e, 0, job)
        )
        return job

    def check(
        self, on_ok: Callable[[object], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Ask the printer's status (on the printing thread, never during a job)."""
        self.runner.submit(self.printer.status, on_ok, on_error)

    def _print(self, ticket_id: int, slip: TicketSlip | BookingSlip, name: str) -> PrintOutcome:
        job = build_job(slip, self.printer.config)
        built = time.perf_counter()
        try:
            status = self.printer.print_job(job, slip)
        except PrinterError as exc:
            log.warning("%s not printed: %s (%s)", name, exc, exc.detail)
            return PrintOutcome(ticket_id, None, exc, built, time.perf_counter(), name)
        except OSError as exc:  # a transport that let a raw OS error through
            log.warning("%s not printed: %r", name, exc)
            error = PrinterError(detail=repr(exc))
            return PrintOutcome(ticket_id, None, error, built, built, name)
        return PrintOutcome(ticket_id, status, None, built, time.perf_counter(), name)

    def _done(self, result: object) -> None:
        assert isinstance(result, PrintOutcome)
        self.finished.emit(result)

    def _crashed(self, error: BaseException, ticket_id: int = 0, job: str = "") -> None:
        log.error("printing crashed: %r", error)
        now = time.perf_counter()
        failed = PrinterError(detail=repr(error))
        self.finished.emit(PrintOutcome(ticket_id, None, failed, now, now, job))

    def stop(self) -> None:
        self.runner.shutdown()


def report_device_status(
    client: QueueClient, printer: PrinterState, message: str, ticket_id: int | None
) -> str:
    """POST /api/v1/devices/me/status; "ok", or "missing" when the server lacks the endpoint.

    Other refusals raise ApiError. Call it off the GUI thread.
    """
    try:
        client.report_device_status(printer, message[:300], ticket_id)
    except NotFoundError:
        return "missing"
    return "ok"


class PrinterWatch(QObject):
    """The printer's last known state; re-checked while faulty, told to the server on change."""

    fault_changed = Signal(bool)
    state_changed = Signal(str)
    reported = Signal(str, str)  # (state, outcome: "ok" | "missing" | "failed")

    def __init__(
        self,
        service: PrintService,
        report_runner: Runner,
        report_client: QueueClient,
        *,
        check_seconds: float = 10.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._runner = report_runner
        self._client = report_client
        self.state = ""  # unknown until the first check or job
        self._unreported: tuple[PrinterState, str, int | None] | None = None
        self.last_report: tuple[str, str] | None = None  # (state, outcome), for the curious
        self._check_ms = max(50, int(check_seconds * 1000))
        self._checking = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)

    @property
    def fault(self) -> bool:
        return self.state in FAULTS

    def start(self) -> None:
        self.check()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()

    def check(self) -> None:
        if self._stopped or self._checking:
            return
        self._checking = True
        self.service.check(self._checked, self._check_failed)

    def _checked(self, result: object) -> None:
        self._checking = False
        assert isinstance(result, PrinterStatus)
        self._set(state_of_status(result), result.describe(), None)

    def _check_failed(self, error: BaseException) -> None:
        self._checking = False
        if isinstance(error, PrinterError):
            self._set(state_of(error), str(error), None)
        else:
            log.error("printer check crashed: %r", error)
            self._set("error", repr(error), None)

    def job_done(self, outcome: PrintOutcome) -> None:
        message = str(outcome.error) if outcome.error else "printed"
        self._set(outcome.state, message, outcome.ticket_id or None)

    def _set(self, state: PrinterState, message: str, ticket_id: int | None) -> None:
        if self._stopped:
            return
        was_fault = self.fault
        changed = state != self.state
        self.state = state
        if changed:
            log.info("printer: %s (%s)", state, message)
            self.state_changed.emit(state)
            self._report(state, message, ticket_id)
        if self.fault != was_fault:
            self.fault_changed.emit(self.fault)
        self._timer.start(self._check_ms if self.fault else HEALTHY_CHECK_MS)

    def retry_report(self) -> None:
        """Send a change the server missed while it was away (call when it is back)."""
        if self._unreported is not None and not self._stopped:
            state, message, ticket_id = self._unreported
            self._report(state, message, ticket_id)

    def _report(self, state: PrinterState, message: str, ticket_id: int | None) -> None:
        self._unreported = None

        def done(result: object) -> None:
            if result == "missing":
                log.info("the server has no /devices/me/status yet; printer %s not reported", state)
            self.last_report = (state, str(result))
            self.reported.emit(state, str(result))

        def failed(error: BaseException) -> None:
            level = logging.INFO if isinstance(error, ApiError) else logging.ERROR
            log.log(level, "printer state %s not reported: %r", state, error)
            if isinstance(error, ServerUnavailable) and state == self.state:
                self._unreported = (state, message, ticket_id)
            self.last_report = (state, "failed")
            self.reported.emit(state, "failed")

        self._runner.submit(
            lambda: report_device_status(self._client, state, message, ticket_id), done, failed
        )
