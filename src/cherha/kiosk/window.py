"""KioskWindow: shows the controller's screen content on the pages, and keeps the kiosk locked.

The window takes its size from the screen it is on, not from a window manager (kiosks run
without one), and lays every page out for that screen: upright or wide, scaled so a control
is as many millimetres on a 1280 × 800 panel as on a 1920 × 1080 one (kiosk/style.py). In an
upright kiosk the accessibility buttons sit at the bottom, within reach of a seated person.

Kiosk duty (`--kiosk`): frameless full screen, every key swallowed (Alt+F4, Escape, Ctrl+Q,
Alt+Tab…), no context menus, close refused. The way out is five taps in the top-left corner
within three seconds, then the administrator's PIN. Keys still work for the visitor: a tactile
keypad or a keyboard moves a focus, presses, types and asks for help (kiosk/keypad.py), and
the hall's barcode scanner's text is checked in.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cherha.core.booking_rules import find_code

from .booking_view import AppointmentPages
from .content import Content
from .controller import KioskController
from .i18n import TEXTS, tr
from .keypad import KEYBOARD_SCREENS, Action, FocusRing, read_key
from .model import BS
from .scanner import ScanBuffer
from .screens import (
    ChoicePage,
    IdlePage,
    MessagePage,
    Page,
    PinPage,
    PriorityPage,
    StartPage,
    TicketPage,
)
from .states import Screen
from .style import CORNER, DESIGN_LONG, DESIGN_SHORT, Metrics, screen_scale, stylesheet, theme_for
from .widgets import Button, button, is_press, label, press_position, rescale

log = logging.getLogger(__name__)

TAPS = 5
TAP_WINDOW_S = 3.0
PIN_TIMEOUT_MS = 60_000  # an abandoned PIN pad goes back to the visitor's screen
WINDOWED_SHARE = 0.9  # a window on a desktop takes at most this share of the free area
_BLOCKED = (
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.ContextMenu,
)
_TOP_KEYS = {"language": "lang_toggle", "contrast": "contrast", "read": "read_aloud"}


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
        self.metrics = Metrics()
        self.scan = ScanBuffer(lambda: self.clock())
        self.focus = FocusRing()

        # the centre's name (the hidden corner) on top; language, large text, read aloud
        self.centre = label("top", wrap=True)
        self.lang_button = button("top")
        self.contrast_button = button("top")
        self.contrast_button.setCheckable(True)
        self.read_button = button("top")
        self.access = QWidget()
        access_box = QHBoxLayout(self.access)
        access_box.setContentsMargins(0, 0, 0, 0)
        access_box.setSpacing(16)
        for b in self.access_buttons:
            access_box.addWidget(b, 1)
        self.header = QHBoxLayout()
        self.header.setContentsMargins(32, 12, 32, 8)
        self.header.setSpacing(16)
        self.header.addWidget(self.centre, 1)
        self.footer = QHBoxLayout()
        self.footer.setContentsMargins(32, 8, 32, 16)

        self.start_page = StartPage()
        self.groups_page = ChoicePage()
        self.services_page = ChoicePage()
        self.priority_page = PriorityPage()
        self.issuing_page = MessagePage()
        self.ticket_page = TicketPage()
        self.refused_page = MessagePage(nav=True)
        self.outage_page = MessagePage(alert=True)
        self.paused_page = MessagePage(alert=True)
        self.idle_page = IdlePage()
        self.pin_page = PinPage()
        self.bookings = AppointmentPages(controller.appointments)
        self.pages: dict[Screen, Page] = {
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
        for page in (*self.pages.values(), self.idle_page, self.pin_page):
            self.stack.addWidget(page)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addLayout(self.header)
        root.addWidget(self.stack, 1)
        root.addLayout(self.footer)
        self._place_access(portrait=False)

        self.pin_timer = QTimer(self)
        self.pin_timer.setSingleShot(True)
        self.pin_timer.setInterval(PIN_TIMEOUT_MS)
        self.pin_timer.timeout.connect(self._close_pin)
        self._connect()

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.apply_style()
        self.refresh()

    @property
    def access_buttons(self) -> tuple[Button, Button, Button]:
        return (self.lang_button, self.contrast_button, self.read_button)

    def _connect(self) -> None:
        c, a = self.c, self.c.appointments
        # visitor → controller
        self.lang_button.clicked.connect(c.toggle_language)
        self.contrast_button.clicked.connect(c.toggle_contrast)
        self.read_button.clicked.connect(c.read_aloud)
        self.start_page.begin.connect(c.begin)
        self.start_page.have_booking.connect(a.begin_checkin)
        self.start_page.book_visit.connect(a.begin_booking)
        self.groups_page.chosen.connect(lambda key: c.choose_group(str(key)))
        self.services_page.chosen.connect(lambda key: c.choose_service(int(key)))
        self.priority_page.answered.connect(c.answer_priority)
        for result in (self.ticket_page, self.bookings.booked):
            result.done.connect(c.done)
            result.keep.connect(c.keep_on_screen)
            result.reprint.connect(c.reprint)
        for keyboard in (
            self.bookings.code,
            self.bookings.phone,
            self.bookings.name,
            self.bookings.find_phone,
        ):
            keyboard.pressed.disconnect()
            keyboard.pressed.connect(c.type_key)  # typed characters are read back
        for page in (
            self.groups_page,
            self.services_page,
            self.priority_page,
            self.refused_page,
            *self.bookings.with_nav,
        ):
            page.back.connect(c.back)  # type: ignore[attr-defined]
            page.cancel.connect(c.cancel)  # type: ignore[attr-defined]
        self.idle_page.stay.connect(c.attendance.stay)
        self.idle_page.leave.connect(c.reset_all)
        self.pin_page.entered.connect(self._check_pin)
        self.pin_page.cancelled.connect(self._close_pin)
        # controller → pages
        c.screen_changed.connect(self._screen_changed)
        for signal in (
            c.services_changed,
            c.ticket_changed,
            c.countdown_changed,
            c.appointments.changed,
        ):
            signal.connect(self.refresh)
        c.language_changed.connect(lambda _l: self.refresh())
        c.print_state_changed.connect(lambda _s: self.refresh())
        c.printer_fault_changed.connect(lambda _f: self.refresh())
        c.contrast_changed.connect(lambda _c: self.apply_style())
        c.cleared.connect(self._forget)

    # -- placing and sizing ---------------------------------------------------------------------

    def show_on_screen(self, screen: QScreen | None = None) -> None:
        """Fill the screen (kiosk duty) or open a window that fits it (setting up).

        The geometry comes from the screen itself: a bare X session has no window manager
        to make a window full screen, so the window asks for exactly the screen's area.
        """
        screen = screen or self.screen() or QGuiApplication.primaryScreen()
        if self.c.config.fullscreen:
            self._fill(screen.geometry())
            self.showFullScreen()
            screen.geometryChanged.connect(self._fill)
            return
        free = screen.availableGeometry()
        portrait = self._wants_portrait(free.width(), free.height())
        width, height = (DESIGN_SHORT, DESIGN_LONG) if portrait else (DESIGN_LONG, DESIGN_SHORT)
        fit = min(
            1.0, WINDOWED_SHARE * free.width() / width, WINDOWED_SHARE * free.height() / height
        )
        self.resize(round(width * fit), round(height * fit))
        self.move(free.center() - QPoint(self.width() // 2, self.height() // 2))
        self.show()

    def _fill(self, area: QRect) -> None:
        """Exactly the screen, and never more: no page may push the window past it."""
        self.setFixedSize(area.size())
        self.setGeometry(area)

    def _wants_portrait(self, width: int, height: int) -> bool:
        orientation = self.c.config.orientation
        return height >= width if orientation == "auto" else orientation == "portrait"

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        size = event.size()
        portrait = self._wants_portrait(size.width(), size.height())
        metrics = Metrics(
            screen_scale(size.width(), size.height(), portrait),
            theme_for(self.c.high_contrast).scale,
        )
        if portrait != self.portrait:
            self.portrait = portrait
            self._place_access(portrait)
            for page in (*self.pages.values(), self.idle_page, self.pin_page):
                page.set_orientation(portrait)
        if metrics != self.metrics:
            self.metrics = metrics
            self.apply_style()
        else:
            self._fix_access_widths()

    def _place_access(self, portrait: bool) -> None:
        """Upright: the accessibility buttons at the bottom, within a seated person's reach
        (below 1,220 mm on a floor-standing kiosk); wide: on the top bar, beside the name."""
        self.header.removeWidget(self.access)
        self.footer.removeWidget(self.access)
        if portrait:
            self.footer.addWidget(self.access, 1)
        else:
            self.header.addWidget(self.access, 0)

    def apply_style(self) -> None:
        theme = theme_for(self.c.high_contrast)
        self.metrics = Metrics(self.metrics.screen, theme.scale)
        self.setStyleSheet(stylesheet(theme, self.metrics))
        rescale(self, self.metrics)
        for page in (*self.pages.values(), self.idle_page, self.pin_page):
            page.set_metrics(self.metrics)
        self.contrast_button.setChecked(self.c.high_contrast)
        self._fix_access_widths()

    def _fix_access_widths(self) -> None:
        """The accessibility buttons keep their place whatever the language: on the wide top
        bar each is as wide as its longer label; at the bottom of an upright screen they
        share the width equally, a label too long for its third on two lines."""
        share = (self.width() - self.metrics.px(64 + 32)) // 3
        for b in self.access_buttons:
            b.ensurePolished()
            labels = TEXTS[_TOP_KEYS[b.control.slot]] if b.control else (b.text(),)
            shown = b.text()
            widths = []
            for text in labels:
                b.setText(text)
                widths.append(b.sizeHint().width())
            b.setText(shown)
            if self.portrait:
                b.setMinimumWidth(self.metrics.target)
                b.setMaximumWidth(16_777_215)
                if b.sizeHint().width() > share and " " in shown:
                    b.setText(shown.replace(" ", "\n", 1))
            else:
                b.setFixedWidth(max(*widths, self.metrics.target))

    # -- showing --------------------------------------------------------------------------------

    def _forget(self) -> None:
        """A new visitor: every page drops what it showed (a name stays on no hidden page)."""
        for screen, page in self.pages.items():
            page.show_content(Content(screen, ()))
        self.focus.clear()
        self.scan.clear()

    def _screen_changed(self, _screen: str) -> None:
        self.focus.clear()
        self.refresh()

    def refresh(self) -> None:
        """Put the controller's current content on the page it names."""
        c = self.c
        content = c.content()
        self.centre.setText(c.centre_name)
        for b, control in zip(self.access_buttons, c.top_bar(), strict=True):
            b.show_control(control)
        self._fix_access_widths()
        page = self.idle_page if c.idle_left is not None else self.pages[content.screen]
        page.show_content(content)
        self.pin_page.set_texts(
            tr("pin_title", c.language),
            tr("pin_hint", c.language),
            tr("pin_clear", c.language),
            tr("pin_ok", c.language),
            tr("pin_cancel", c.language),
        )
        if self.stack.currentWidget() is not self.pin_page:
            self.stack.setCurrentWidget(page)
        self.focus.refresh(self, self.focus_roots())

    def focus_roots(self) -> list[QWidget]:
        page = self.stack.currentWidget()
        return [self.access, page] if page is not None else [self.access]

    # -- kiosk duty -------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self.unlocked:
            return False
        mine = isinstance(obj, QWidget) and obj.window() is self
        if event.type() in _BLOCKED:
            if mine and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
                self._key(event)
            return mine
        if is_press(event) and mine:
            assert isinstance(obj, QWidget)
            on_question = self.stack.currentWidget() is self.idle_page and (
                obj is self.idle_page or self.idle_page.isAncestorOf(obj)
            )
            if not on_question:  # the question's own buttons answer it themselves
                self.c.activity()
            pos = press_position(event)
            if pos is not None:
                local = self.mapFromGlobal(pos.toPoint())
                if self._in_corner(local):
                    self._corner_tap()
        return False

    def _key(self, event: QKeyEvent) -> None:
        """A key from a keypad, a keyboard or the scanner (all swallowed: no shortcut works)."""
        if self.stack.currentWidget() is self.pin_page:
            self.scan.clear()
            return
        if self.c.idle_left is not None:
            self.c.activity()  # any key answers «still here?»
            return
        self.c.activity()
        screen = self.c.screen
        press = read_key(event, screen)
        roots = self.focus_roots()
        if press.action in (Action.NEXT, Action.PREVIOUS):
            step = 1 if press.action == Action.NEXT else -1
            first = len(self.focus.widgets(self, [self.access])) if not self.portrait else 0
            control = self.focus.move(self, roots, step, first)
            if control is not None:
                self.c.say_control(control)
        elif press.action == Action.PRESS:
            self._press(screen)
        elif press.action == Action.BACK:
            self.c.back()
        elif press.action == Action.HELP:
            self.c.help()
        elif press.action == Action.DELETE:
            self.c.type_key(BS)
        elif press.action == Action.TYPE:
            if screen in (Screen.START, Screen.CODE, Screen.CHECKIN_REFUSED):
                self.scan.feed(press.text)
            if screen in KEYBOARD_SCREENS:
                for ch in press.text:
                    self.c.type_key(ch)

    def _press(self, screen: Screen) -> None:
        """Enter: a scan's end, else the focused control, else the keyboard's submit."""
        payload = self.scan.feed("", enter=True)
        if payload and screen in (Screen.START, Screen.CODE, Screen.CHECKIN_REFUSED):
            if screen == Screen.CODE and find_code(payload) is None and len(payload) <= 8:
                self.c.appointments.submit()  # typed by hand on a keyboard, not scanned
            else:
                self.c.appointments.scanned(payload)
            return
        widget = self.focus.focused(self, self.focus_roots())
        if widget is not None:
            if widget.isEnabled():
                widget.click()
        elif screen in KEYBOARD_SCREENS:
            self.c.appointments.submit()

    def _in_corner(self, point: QPoint) -> bool:
        corner = self.metrics.px(CORNER)
        return 0 <= point.x() < corner and 0 <= point.y() < corner

    def _corner_tap(self) -> None:
        now = self.clock()
        self._taps = [t for t in self._taps if now - t <= TAP_WINDOW_S] + [now]
        if len(self._taps) >= TAPS and self.c.config.admin_pin:
            self._taps = []
            self.open_pin_pad()

    def open_pin_pad(self) -> None:
        """The administrator's PIN pad (five taps in the corner open it)."""
        self.focus.clear()
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
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.unlocked and self.c.config.fullscreen:
            event.ignore()  # on duty: only the administrator's PIN closes the kiosk
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        event.accept()

    def unlock(self) -> None:
        """Let the window close (tests, and the PIN exit)."""
        self.unlocked = True
