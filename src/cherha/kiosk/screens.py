"""The kiosk's pages: each shows a screen's `Content` and signals what the visitor touched.

Pages know nothing of the controller: `show_content` puts the lines in their slots and the
controls on their buttons; a touch emits the control's `key` (or a named signal).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .content import Content, Control
from .style import Metrics
from .widgets import (
    Button,
    Card,
    NavBar,
    button,
    label,
    qr_pixmap,
    scroll_with_finger,
    set_role,
    show_line,
)

MARGIN = 40


class Page(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(MARGIN, 20, MARGIN, 24)
        self.box.setSpacing(18)
        self.portrait = True
        self.metrics = Metrics()
        # The screen decides a page's size, never the page: a kiosk window does not grow.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_orientation(self, portrait: bool) -> None:
        self.portrait = portrait

    def set_metrics(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def show_content(self, content: Content) -> None:
        raise NotImplementedError


class StartPage(Page):
    begin = Signal()
    have_booking = Signal()
    book_visit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title", center=True)
        self.hint = label("subtitle", center=True)
        self.take = button("primary", height=170)
        self.take.clicked.connect(self.begin)
        self.loading = label("note", center=True)
        self.banner = label("banner", center=True)
        self.help = label("note", center=True)
        self.checkin = button(height=120)
        self.book = button(height=120)
        self.checkin.clicked.connect(self.have_booking)
        self.book.clicked.connect(self.book_visit)
        self.scan_hint = label("note", center=True)
        # Side by side in landscape; one above the other in portrait (the texts are long).
        self.bookings = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.bookings.setSpacing(18)
        self.bookings.addWidget(self.checkin, 1)
        self.bookings.addWidget(self.book, 1)
        self.box.addStretch(2)
        for w in (self.title, self.hint):
            self.box.addWidget(w)
        self.box.addSpacing(24)
        self.box.addWidget(self.take)
        self.box.addWidget(self.loading)
        self.box.addSpacing(12)
        self.box.addLayout(self.bookings)
        self.box.addWidget(self.scan_hint)
        self.box.addStretch(1)
        self.box.addWidget(self.banner)
        self.box.addStretch(1)
        self.box.addWidget(self.help)

    def show_content(self, content: Content) -> None:
        for widget, slot in (
            (self.title, "title"),
            (self.hint, "hint"),
            (self.loading, "loading"),
            (self.banner, "banner"),
            (self.scan_hint, "scan_hint"),
            (self.help, "help"),
        ):
            show_line(widget, content.line(slot))
        self.take.show_control(content.control("take"))
        self.checkin.show_control(content.control("checkin"))
        self.book.show_control(content.control("book"))

    def set_orientation(self, portrait: bool) -> None:
        super().set_orientation(portrait)
        self.bookings.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )


class ChoicePage(Page):
    """A title and a column (or more) of tiles, scrolling if they do not fit; Back, Start over."""

    chosen = Signal(object)
    back = Signal()
    cancel = Signal()
    extra = Signal(str)  # a page's own button (e.g. «Another day»)

    def __init__(self, parent: QWidget | None = None, *, columns: tuple[int, int] = (1, 2)) -> None:
        super().__init__(parent)
        self.columns = columns  # (portrait, landscape)
        self.title = label("title")
        self.subtitle = label("subtitle")
        self.banner = label("banner")
        self.empty = label("body")
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        scroll_with_finger(self.area.viewport())
        self.inner = QWidget()
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(0, 0, 12, 0)
        self.grid.setSpacing(16)
        self.area.setWidget(self.inner)
        self.more = button(height=96)  # a page's own action, above Back / Start over
        self.more.clicked.connect(self._more)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.box.addWidget(self.title)
        self.box.addWidget(self.subtitle)
        self.box.addWidget(self.banner)
        self.box.addWidget(self.empty)
        self.box.addWidget(self.area, 1)
        self.box.addWidget(self.more)
        self.box.addWidget(self.nav)
        self.cards: list[Card] = []
        self._tiles: list[Control] = []
        self.more.hide()

    def show_content(self, content: Content) -> None:
        show_line(self.title, content.line("title"))
        show_line(self.subtitle, content.line("subtitle"))
        show_line(self.banner, content.line("banner"))
        tiles = content.all("tile")
        if [t.key for t in tiles] != [t.key for t in self._tiles] or len(self.cards) != len(tiles):
            self._rebuild(len(tiles))
        self._tiles = tiles
        for card, tile in zip(self.cards, tiles, strict=True):
            card.show_control(tile)
        self.empty.setText(content.empty)
        self.empty.setVisible(not tiles and bool(content.empty))
        self.more.show_control(content.control("other_day"))
        self.nav.show_content(content)

    def _more(self) -> None:
        if self.more.control is not None:
            self.extra.emit(self.more.control.slot)

    def set_orientation(self, portrait: bool) -> None:
        if portrait != self.portrait:
            super().set_orientation(portrait)
            self._rebuild(len(self.cards))
            for card, tile in zip(self.cards, self._tiles, strict=False):
                card.show_control(tile)

    def set_metrics(self, metrics: Metrics) -> None:
        super().set_metrics(metrics)
        for card in self.cards:
            card.set_metrics(metrics)

    def _rebuild(self, count: int) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        columns = self.columns[0] if self.portrait else self.columns[1]
        for i in range(count):
            card = Card(None)
            card.set_metrics(self.metrics)
            card.clicked.connect(lambda c=card: self.chosen.emit(c.key))
            self.grid.addWidget(card, i // columns, i % columns)
            self.cards.append(card)
        for r in range(self.grid.rowCount() + 1):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(self.grid.rowCount(), 1)


class PriorityPage(Page):
    answered = Signal(bool)
    back = Signal()
    cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title")
        self.hint = label("subtitle")
        self.categories = label("body")
        # The two answers are equal: the same look, the same size, side by side in landscape.
        self.no = button(height=130)
        self.yes = button(height=130)
        self.no.clicked.connect(lambda: self.answered.emit(False))
        self.yes.clicked.connect(lambda: self.answered.emit(True))
        self.answers = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.answers.setSpacing(18)
        self.answers.addWidget(self.no, 1)
        self.answers.addWidget(self.yes, 1)
        self.note = label("note")
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        for w in (self.title, self.hint, self.categories):
            self.box.addWidget(w)
        self.box.addStretch(1)
        self.box.addLayout(self.answers)
        self.box.addWidget(self.note)
        self.box.addStretch(1)
        self.box.addWidget(self.nav)

    def set_orientation(self, portrait: bool) -> None:
        super().set_orientation(portrait)
        self.answers.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )

    def show_content(self, content: Content) -> None:
        for widget, slot in (
            (self.title, "title"),
            (self.hint, "hint"),
            (self.categories, "categories"),
            (self.note, "note"),
        ):
            show_line(widget, content.line(slot))
        self.no.show_control(content.control("no"))
        self.yes.show_control(content.control("yes"))
        self.nav.show_content(content)


class MessagePage(Page):
    """A full-screen notice: issuing, refusals, outage, pause. Nav buttons when it has them."""

    back = Signal()
    cancel = Signal()

    def __init__(
        self, *, alert: bool = False, nav: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title = label("alert" if alert else "title", center=True)
        self.lines = [
            label("subtitle", center=True),
            label("body", center=True),
            label("body", center=True),
        ]
        self.box.addStretch(1)
        self.box.addWidget(self.title)
        self.box.addSpacing(20)
        for line in self.lines:
            self.box.addWidget(line)
        self.box.addStretch(2)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.nav.setVisible(nav)
        self.box.addWidget(self.nav)

    def show_content(self, content: Content) -> None:
        head = content.lines[0] if content.lines else None
        self.title.setText(head.text if head else "")
        texts = [line.text for line in content.lines[1:]]
        for widget, text in zip(self.lines, [*texts, "", "", ""], strict=False):
            widget.setText(text)
            widget.setVisible(bool(text))
        self.nav.show_content(content)


class TicketPage(Page):
    """The number very large, the service, people ahead, the wait, the QR, the print state,
    the countdown back to the start; Reprint, Keep on screen, Done."""

    done = Signal()
    keep = Signal()
    reprint = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = label("subtitle", center=True)
        self.number = label("number", wrap=False, center=True)
        self.number.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.service = label("subtitle", center=True)
        self.booking = label("body", center=True)  # a checked-in booking: its time, on time?
        self.ahead = label("body", center=True)
        self.wait = label("body", center=True)
        self.print_state = label("note", center=True)
        self.print_hint = label("note", center=True)
        self.reprint_hint = label("note", center=True)
        self.countdown = label("note", center=True)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_hint = label("note", center=True)
        self.done_button = button("primary", height=104)
        self.keep_button = button(height=104)
        self.reprint_button = button(height=104)
        self.done_button.clicked.connect(self.done)
        self.keep_button.clicked.connect(self.keep)
        self.reprint_button.clicked.connect(self.reprint)
        info = QWidget()
        info_box = QVBoxLayout(info)
        info_box.setContentsMargins(0, 0, 0, 0)
        info_box.setSpacing(10)
        for w in (self.heading, self.number, self.service, self.booking, self.ahead, self.wait):
            info_box.addWidget(w)
        qr_col = QWidget()
        qr_box = QVBoxLayout(qr_col)
        qr_box.setContentsMargins(0, 0, 0, 0)
        qr_box.addWidget(self.qr)
        qr_box.addWidget(self.qr_hint)
        self.main = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.main.setSpacing(18)
        self.main.addWidget(info, 3, Qt.AlignmentFlag.AlignVCenter)
        self.main.addWidget(qr_col, 2, Qt.AlignmentFlag.AlignVCenter)
        buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.setSpacing(18)
        for b in (self.reprint_button, self.keep_button, self.done_button):
            buttons.addWidget(b, 1)
        self.box.addLayout(self.main)
        self.box.addStretch(1)
        for w in (self.print_state, self.print_hint, self.reprint_hint, self.countdown):
            self.box.addWidget(w)
        self.box.addLayout(buttons)
        self._url = ""
        self._qr_size = 0

    def set_orientation(self, portrait: bool) -> None:
        super().set_orientation(portrait)
        self.main.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self._draw_qr()

    def set_metrics(self, metrics: Metrics) -> None:
        super().set_metrics(metrics)
        self._draw_qr()

    def set_number_role(self, role: str) -> None:
        """ "number" (a ticket, very large) or "code" (a booking code, seven characters)."""
        self.number.setProperty("base_role", role)
        set_role(self.number, role)

    def show_content(self, content: Content) -> None:
        for widget, slot in (
            (self.heading, "heading"),
            (self.number, "number"),
            (self.service, "service"),
            (self.booking, "booking"),
            (self.qr_hint, "qr_hint"),
            (self.print_state, "print"),
            (self.print_hint, "print_hint"),
            (self.reprint_hint, "reprint_hint"),
            (self.countdown, "countdown"),
        ):
            show_line(widget, content.line(slot))
        # A ticket: people ahead and the wait; a booking: its day and time, and the rule.
        show_line(self.ahead, content.line("ahead") or content.line("when"))
        show_line(self.wait, content.line("wait") or content.line("rule"))
        self.reprint_button.show_control(content.control("reprint"))
        self.keep_button.show_control(content.control("keep"))
        self.done_button.show_control(content.control("done"))
        if content.qr != self._url:
            self._url = content.qr
            self._draw_qr()

    def _draw_qr(self) -> None:
        # About 10 cm on a 21" screen at 1080p: easy for a phone camera, and to photograph.
        size = self.metrics.px(480 if self.portrait else 420)
        self.qr.setPixmap(qr_pixmap(self._url, size) if self._url else qr_pixmap(" ", 8))
        self.qr.setVisible(bool(self._url))


class IdlePage(Page):
    """«Ви ще тут? / Are you still here?» with the seconds left."""

    stay = Signal()
    leave = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title", center=True)
        self.body = label("body", center=True)
        self.stay_button = button("primary", height=150)
        self.leave_button = button(height=104)
        self.stay_button.clicked.connect(self.stay)
        self.leave_button.clicked.connect(self.leave)
        self.box.addStretch(1)
        for w in (self.title, self.body):
            self.box.addWidget(w)
        self.box.addSpacing(24)
        self.box.addWidget(self.stay_button)
        self.box.addStretch(1)
        self.box.addWidget(self.leave_button)

    def show_content(self, content: Content) -> None:
        show_line(self.title, content.line("title"))
        show_line(self.body, content.line("body"))
        self.stay_button.show_control(content.control("stay"))
        self.leave_button.show_control(content.control("leave"))


class PinPage(Page):
    """The administrator's PIN pad (behind five taps in the top-left corner)."""

    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title", center=True)
        self.hint = label("body", center=True)
        self.display = label("pin", wrap=False, center=True)
        self.message = label("body", center=True)
        pad = QGridLayout()
        pad.setSpacing(12)
        self.keys: dict[str, Button] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]):
            b = button(height=96)
            b.clicked.connect(lambda _=False, k=key: self._press(k))
            pad.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
            if key.isdigit():
                b.setText(key)
        self.cancel_button = button(height=96)
        self.cancel_button.clicked.connect(self._cancel)
        texts = QVBoxLayout()
        texts.addStretch(1)
        for w in (self.title, self.hint, self.display, self.message):
            texts.addWidget(w)
        texts.addStretch(1)
        keys = QVBoxLayout()
        keys.addLayout(pad)
        keys.addWidget(self.cancel_button)
        # Side by side in landscape: stacked, the pad would not fit in large text.
        self.main = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.main.addLayout(texts, 1)
        self.main.addLayout(keys, 1)
        self.box.addStretch(1)
        self.box.addLayout(self.main)
        self.box.addStretch(1)
        self.digits = ""

    def set_orientation(self, portrait: bool) -> None:
        super().set_orientation(portrait)
        self.main.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )

    def set_texts(self, title: str, hint: str, clear: str, ok: str, cancel: str) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.keys["clear"].setText(clear)
        self.keys["ok"].setText(ok)
        self.cancel_button.setText(cancel)

    def show_content(self, content: Content) -> None:  # the PIN pad has no visitor content
        pass

    def reset(self, message: str = "") -> None:
        self.digits = ""
        self.display.setText("")
        self.message.setText(message)

    def _press(self, key: str) -> None:
        if key == "clear":
            self.reset()
        elif key == "ok":
            digits, self.digits = self.digits, ""
            self.display.setText("")
            self.entered.emit(digits)
        elif len(self.digits) < 12:
            self.digits += key
            self.display.setText("●" * len(self.digits))

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()
