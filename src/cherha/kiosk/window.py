"""KioskWindow: shows the controller's state on the pages, and keeps the kiosk locked.

Kiosk duty: frameless full screen, every key swallowed (Alt+F4, Escape, Ctrl+Q, Alt+Tab…),
no context menus, close refused. The way out is five taps in the top-left corner within
three seconds, then the administrator's PIN.

The hall's barcode scanner types like a keyboard: on the start and booking-code screens the
printable characters of key presses (no Ctrl, Alt or Meta) are collected, and Enter hands the
scanned text to the check-in. The keys are still swallowed: no widget ever sees them.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cherha.wire import IssuedTicket

from .booking_view import AppointmentPages
from .controller import KioskController
from .i18n import minutes, people, tr, when
from .scanner import ScanBuffer
from .screens import ChoicePage, MessagePage, PinPage, PriorityPage, StartPage, TicketPage, Tile
from .states import PrintState, Screen
from .style import CORNER, stylesheet, theme_for
from .widgets import button, is_press, label, press_position

log = logging.getLogger(__name__)

TAPS = 5
TAP_WINDOW_S = 3.0
PIN_TIMEOUT_MS = 60_000  # an abandoned PIN pad goes back to the visitor's screen
_BLOCKED = (
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.ContextMenu,
)
_NO_TYPING = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KioskWindow(QWidget):
    exit_requested = Signal()

    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.c = controller
        self.setObjectName("kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle("Cherha")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        if controller.config.fullscreen:
            self.setWindowFlags(
                Qt.WindowType.Window
                | Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
            )
        self.unlocked = False
        self._taps: list[float] = []
        self.clock = time.monotonic  # tests move time by replacing it
        self.portrait: bool | None = None
        self.scan = ScanBuffer(lambda: self.clock())

        # top bar: centre name (the hidden corner), language, large text, read aloud
        self.centre = label("top", wrap=True)
        self.lang_button = button("top")
        self.contrast_button = button("top")
        self.contrast_button.setCheckable(True)
        self.read_button = button("top")
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        for b in (self.lang_button, self.contrast_button, self.read_button):
            buttons.addWidget(b, 1)
        # One row in landscape; in portrait the name sits above, so no button is squeezed.
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.setContentsMargins(32, 16, 32, 8)
        self.top.setSpacing(16)
        self.top.addWidget(self.centre, 1)
        self.top.addLayout(buttons)

        self.start_page = StartPage()
        self.groups_page = ChoicePage()
        self.services_page = ChoicePage()
        self.priority_page = PriorityPage()
        self.issuing_page = MessagePage()
        self.ticket_page = TicketPage()
        self.refused_page = MessagePage(nav=True)
        self.outage_page = MessagePage(alert=True)
        self.paused_page = MessagePage(alert=True)
        self.pin_page = PinPage()
        self.bookings = AppointmentPages(controller)
        self.pages: dict[Screen, QWidget] = {
            Screen.START: self.start_page,
            Screen.GROUPS: self.groups_page,
            Screen.SERVICES: self.services_page,
            Screen.PRIORITY: self.priority_page,
            Screen.ISSUING: self.issuing_page,
            Screen.TICKET: self.ticket_page,
            Screen.REFUSED: self.refused_page,
            Screen.OUTAGE: self.outage_page,
            Screen.PAUSED: self.paused_page,
            **self.bookings.pages,
        }
        self.stack = QStackedWidget()
        for page in (*self.pages.values(), self.pin_page):
            self.stack.addWidget(page)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addLayout(self.top)
        root.addWidget(self.stack, 1)

        self.pin_timer = QTimer(self)
        self.pin_timer.setSingleShot(True)
        self.pin_timer.setInterval(PIN_TIMEOUT_MS)
        self.pin_timer.timeout.connect(self._close_pin)

        # visitor → controller
        self.lang_button.clicked.connect(controller.toggle_language)
        self.contrast_button.clicked.connect(controller.toggle_contrast)
        self.read_button.clicked.connect(controller.read_aloud)
        self.start_page.begin.connect(controller.begin)
        self.start_page.have_booking.connect(controller.appointments.begin_checkin)
        self.start_page.book_visit.connect(controller.appointments.begin_booking)
        self.groups_page.chosen.connect(lambda key: controller.choose_group(str(key)))
        self.services_page.chosen.connect(lambda key: controller.choose_service(int(key)))
        self.priority_page.answered.connect(controller.answer_priority)
        self.ticket_page.done.connect(controller.done)
        for page in (self.groups_page, self.services_page, self.priority_page, self.refused_page):
            page.back.connect(controller.back)
            page.cancel.connect(controller.cancel)
        self.pin_page.entered.connect(self._check_pin)
        self.pin_page.cancelled.connect(self._close_pin)
        # controller → pages
        controller.screen_changed.connect(lambda _s: self.refresh())
        controller.services_changed.connect(self.refresh)
        controller.language_changed.connect(lambda _l: self.refresh())
        controller.contrast_changed.connect(lambda _c: self.apply_style())
        controller.ticket_changed.connect(self.refresh)
        controller.print_state_changed.connect(lambda _s: self.refresh())
        controller.printer_fault_changed.connect(lambda _f: self.refresh())
        controller.appointments.changed.connect(self.refresh)

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.apply_style()
        self.refresh()

    # -- showing --------------------------------------------------------------------------------

    def apply_style(self) -> None:
        self.setStyleSheet(stylesheet(theme_for(self.c.high_contrast)))
        self.contrast_button.setChecked(self.c.high_contrast)

    def refresh(self) -> None:
        """Put the controller's current state on the page it names."""
        c, lang = self.c, self.c.language
        self.centre.setText(c.centre_name)
        self.lang_button.setText(tr("lang_toggle", lang))
        self.contrast_button.setText(tr("contrast", lang))
        self.read_button.setText(tr("read_aloud", lang))
        back, cancel = tr("back", lang), tr("cancel", lang)
        screen = c.screen
        if screen == Screen.START:
            page = self.start_page
            page.set_texts(
                tr("welcome", lang),
                tr("start_hint", lang),
                tr("take_ticket", lang),
                tr("help_desk", lang),
            )
            page.set_loading("" if c.services else tr("loading", lang))
            page.set_banner(tr("printer_banner", lang) if c.printer_fault else "")
            page.set_booking_texts(
                tr("have_booking", lang),
                tr("book_visit", lang),
                tr("scan_hint", lang),
                shown=c.config.bookings,
            )
        elif screen == Screen.GROUPS:
            self.groups_page.set_texts(tr("choose_group", lang), "", back, cancel)
            self.groups_page.set_tiles(
                [
                    Tile(
                        g.key,
                        g.name(lang),
                        tr("group_summary", lang, services=len(g.services), waiting=g.waiting),
                    )
                    for g in c.groups
                ],
                tr("no_services", lang),
            )
        elif screen == Screen.SERVICES:
            group = c.group
            title = group.name(lang) if group else ""
            self.services_page.set_texts(title, tr("choose_service", lang), back, cancel)
            tiles = [self._service_tile(s.id) for s in (group.services if group else ())]
            self.services_page.set_tiles(tiles, tr("no_services", lang))
        elif screen == Screen.PRIORITY:
            self.priority_page.set_texts(
                tr("priority_title", lang),
                tr("priority_hint", lang),
                [cat.label(lang) for cat in c.config.priority_categories],
                tr("priority_yes", lang),
                tr("priority_no", lang),
                tr("priority_note", lang),
                back,
                cancel,
            )
        elif screen == Screen.ISSUING:
            self.issuing_page.set_texts(tr("issuing", lang), tr("issuing_hint", lang))
        elif screen == Screen.TICKET and c.ticket is not None:
            self._render_ticket(c.ticket, lang)
        elif screen == Screen.REFUSED and c.refusal is not None:
            self.refused_page.set_texts(
                tr("refused_title", lang),
                c.refusal.message(lang),
                c.refusal.what_to_do(lang),
                back=back,
                cancel=cancel,
            )
        elif screen == Screen.OUTAGE:
            body = tr("outage_refused" if c.watch.refused else "outage_body", lang)
            self.outage_page.set_texts(tr("outage_title", lang), body, tr("outage_do", lang))
        elif screen in self.bookings.pages:
            self.bookings.render(screen, lang)
        elif screen == Screen.PAUSED:
            reason = c.pause_reason
            self.paused_page.set_texts(
                tr("paused_title", lang),
                tr("paused_reason", lang, reason=reason) if reason else "",
                tr("paused_do", lang),
                tr("paused_later", lang),
            )
        self.pin_page.set_texts(
            tr("pin_title", lang),
            tr("pin_hint", lang),
            tr("pin_clear", lang),
            tr("pin_ok", lang),
            tr("pin_cancel", lang),
        )
        if self.stack.currentWidget() is not self.pin_page:
            self.stack.setCurrentWidget(self.pages[screen])

    def _service_tile(self, service_id: int) -> Tile:
        lang = self.c.language
        s = next(x for x in self.c.services if x.id == service_id)
        if not s.open_now:
            return Tile(s.id, s.name(lang), tr("service_closed", lang), closed=True)
        detail = tr("service_waiting", lang, people=people(s.waiting, lang))
        if s.waiting:
            wait = minutes(s.estimated_wait_minutes, lang)
            detail += "   ·   " + tr("service_wait", lang, minutes=wait)
        else:
            detail += "   ·   " + tr("service_no_wait", lang)
        return Tile(s.id, s.name(lang), detail)

    def _render_ticket(self, t: IssuedTicket, lang: str) -> None:
        c = self.c
        priority = t.lane == "priority"
        service = t.service_name_en if lang == "en" and t.service_name_en else t.service_name_uk
        if t.people_ahead:
            ahead = tr("people_ahead", lang, people=people(t.people_ahead, lang))
            wait = tr("estimated_wait", lang, minutes=minutes(t.estimated_wait_minutes, lang))
        else:
            ahead, wait = tr("nobody_ahead", lang), ""
        page = self.ticket_page
        checkin = c.appointments.checkin
        heading = "your_priority_ticket" if priority else "your_ticket"
        if checkin is not None and checkin.id == t.id:
            heading = "your_booked_ticket" if checkin.booking.on_time else "your_late_ticket"
            booked = tr("booking_at", lang, when=when(checkin.booking.start, lang))
            page.set_booking(
                f"{booked}\n{checkin.message_in(lang)}", problem=not checkin.booking.on_time
            )
        else:
            page.set_booking("")
        page.set_ticket(
            tr(heading, lang),
            t.number,
            service,
            ahead,
            wait,
            t.status_url,
        )
        page.set_texts(tr("qr_hint", lang), tr("done", lang))
        if c.print_state == PrintState.FAILED:
            text = f"{tr('not_printed', lang)}\n{tr('not_printed_hint', lang)}"
            page.set_print_state(text, problem=True)
        elif c.print_state == PrintState.PRINTED:
            text = f"{tr('printed', lang)}\n{tr('watch_board', lang)}"
            page.set_print_state(text, problem=False)
        else:
            page.set_print_state(tr("printing", lang), problem=False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        orientation = self.c.config.orientation
        size = event.size()
        portrait = (
            size.height() >= size.width() if orientation == "auto" else orientation == "portrait"
        )
        if portrait != self.portrait:
            self.portrait = portrait
            self.top.setDirection(
                QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
            )
            for page in (*self.pages.values(), self.pin_page):
                page.set_orientation(portrait)  # type: ignore[attr-defined]

    # -- kiosk duty -------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self.unlocked:
            return False
        if event.type() in _BLOCKED:
            mine = isinstance(obj, QWidget) and obj.window() is self
            if mine and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
                self._scanner_key(event)
            return mine
        if is_press(event) and isinstance(obj, QWidget) and obj.window() is self:
            pos = press_position(event)
            if pos is not None:
                local = self.mapFromGlobal(pos.toPoint())
                if self._in_corner(local):
                    self._corner_tap()
        return False

    def _scanner_key(self, event: QKeyEvent) -> None:
        """A key from the scanner (or any keyboard): collected on the screens that take a scan."""
        if self.stack.currentWidget() is self.pin_page:
            self.scan.clear()
            return
        if event.modifiers() & _NO_TYPING:
            return
        if event.key() in _ENTER:
            payload = self.scan.feed("", enter=True)
            if payload:
                self.c.appointments.scanned(payload)
        else:
            self.scan.feed(event.text())

    @staticmethod
    def _in_corner(point: QPoint) -> bool:
        return 0 <= point.x() < CORNER and 0 <= point.y() < CORNER

    def _corner_tap(self) -> None:
        now = self.clock()
        self._taps = [t for t in self._taps if now - t <= TAP_WINDOW_S] + [now]
        if len(self._taps) >= TAPS and self.c.config.admin_pin:
            self._taps = []
            self.pin_page.reset()
            self.stack.setCurrentWidget(self.pin_page)
            self.pin_timer.start()

    def _check_pin(self, pin: str) -> None:
        if pin and pin == self.c.config.admin_pin:
            log.warning("administrator exit")
            self.pin_timer.stop()
            self.unlocked = True
            self.exit_requested.emit()
            self.close()
        else:
            self.pin_page.reset(tr("pin_wrong", self.c.language))
            self.pin_timer.start()

    def _close_pin(self) -> None:
        self.pin_timer.stop()
        self.pin_page.reset()
        self.stack.setCurrentWidget(self.pages[self.c.screen])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.unlocked:
            event.ignore()
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        event.accept()

    def unlock(self) -> None:
        """Let the window close (tests, and the PIN exit)."""
        self.unlocked = True
