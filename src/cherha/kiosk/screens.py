"""The kiosk's pages: each shows what it is given and signals what the visitor touched."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .widgets import Card, NavBar, button, label, qr_pixmap, repolish, scroll_with_finger

MARGIN = 48


class Page(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(MARGIN, 24, MARGIN, 36)
        self.box.setSpacing(24)
        self.portrait = True

    def set_orientation(self, portrait: bool) -> None:
        self.portrait = portrait


class StartPage(Page):
    begin = Signal()
    have_booking = Signal()
    book_visit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("title", center=True)
        self.hint = label("subtitle", center=True)
        self.take = button("primary", height=180)
        self.take.clicked.connect(self.begin)
        self.loading = label("note", center=True)
        self.banner = label("banner", center=True)
        self.help = label("note", center=True)
        self.checkin = button(height=130)
        self.book = button(height=130)
        self.checkin.clicked.connect(self.have_booking)
        self.book.clicked.connect(self.book_visit)
        self.scan_hint = label("note", center=True)
        # Side by side in landscape; one above the other in portrait (the texts are long).
        self.bookings = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.bookings.setSpacing(20)
        self.bookings.addWidget(self.checkin, 1)
        self.bookings.addWidget(self.book, 1)
        self.box.addStretch(2)
        for w in (self.title, self.hint):
            self.box.addWidget(w)
        self.box.addSpacing(40)
        self.box.addWidget(self.take)
        self.box.addWidget(self.loading)
        self.box.addSpacing(16)
        self.box.addLayout(self.bookings)
        self.box.addWidget(self.scan_hint)
        self.box.addStretch(1)
        self.box.addWidget(self.banner)
        self.box.addStretch(1)
        self.box.addWidget(self.help)
        self.banner.hide()

    def set_texts(self, title: str, hint: str, take: str, help_text: str) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.take.setText(take)
        self.help.setText(help_text)

    def set_orientation(self, portrait: bool) -> None:
        super().set_orientation(portrait)
        self.bookings.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )

    def set_booking_texts(self, checkin: str, book: str, scan_hint: str, *, shown: bool) -> None:
        self.checkin.setText(checkin)
        self.book.setText(book)
        self.scan_hint.setText(scan_hint)
        for w in (self.checkin, self.book, self.scan_hint):
            w.setVisible(shown)

    def set_loading(self, text: str) -> None:
        self.loading.setText(text)
        self.loading.setVisible(bool(text))

    def set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))


@dataclass(frozen=True, slots=True)
class Tile:
    key: object
    title: str
    detail: str
    closed: bool = False


class ChoicePage(Page):
    """A title and a column (or two) of tiles, scrolling if they do not fit; Back and Start over."""

    chosen = Signal(object)
    back = Signal()
    cancel = Signal()

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
        scroll_with_finger(self.area.viewport())
        self.inner = QWidget()
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(0, 0, 8, 0)
        self.grid.setSpacing(20)
        self.area.setWidget(self.inner)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.box.addWidget(self.title)
        self.box.addWidget(self.subtitle)
        self.box.addWidget(self.banner)
        self.box.addWidget(self.empty)
        self.box.addWidget(self.area, 1)
        self.box.addWidget(self.nav)
        self.cards: list[Card] = []
        self._tiles: list[Tile] = []
        self.empty.hide()
        self.banner.hide()

    def set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_texts(self, title: str, subtitle: str, back: str, cancel: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.nav.set_texts(back, cancel)

    def set_tiles(self, tiles: list[Tile], empty_text: str = "") -> None:
        if [t.key for t in tiles] != [t.key for t in self._tiles]:
            self._rebuild(len(tiles))
        self._tiles = list(tiles)
        for card, tile in zip(self.cards, tiles, strict=True):
            card.key = tile.key
            card.set_texts(tile.title, tile.detail, closed=tile.closed)
        self.empty.setText(empty_text)
        self.empty.setVisible(not tiles and bool(empty_text))

    def set_orientation(self, portrait: bool) -> None:
        if portrait != self.portrait:
            super().set_orientation(portrait)
            self._rebuild(len(self.cards))
            self.set_tiles(self._tiles)

    def _rebuild(self, count: int) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        columns = self.columns[0] if self.portrait else self.columns[1]
        for i in range(count):
            card = Card(None)
            card.clicked.connect(lambda c=card: self.chosen.emit(c.key))
            self.grid.addWidget(card, i // columns, i % columns)
            self.cards.append(card)
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
        self.yes = button("primary", height=140)
        self.no = button(height=140)
        self.yes.clicked.connect(lambda: self.answered.emit(True))
        self.no.clicked.connect(lambda: self.answered.emit(False))
        self.note = label("note")
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        for w in (self.title, self.hint, self.categories):
            self.box.addWidget(w)
        self.box.addStretch(1)
        self.box.addWidget(self.yes)
        self.box.addWidget(self.no)
        self.box.addWidget(self.note)
        self.box.addStretch(1)
        self.box.addWidget(self.nav)

    def set_texts(
        self,
        title: str,
        hint: str,
        categories: list[str],
        yes: str,
        no: str,
        note: str,
        back: str,
        cancel: str,
    ) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.categories.setText("\n".join(f"•  {c}" for c in categories))
        self.yes.setText(yes)
        self.no.setText(no)
        self.note.setText(note)
        self.nav.set_texts(back, cancel)


class MessagePage(Page):
    """A full-screen notice: issuing, refusals, outage, pause. Nav buttons are optional."""

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
        self.box.addSpacing(24)
        for line in self.lines:
            self.box.addWidget(line)
        self.box.addStretch(2)
        self.nav = NavBar()
        self.nav.back.connect(self.back)
        self.nav.cancel.connect(self.cancel)
        self.nav.setVisible(nav)
        self.box.addWidget(self.nav)

    def set_texts(self, title: str, *lines: str, back: str = "", cancel: str = "") -> None:
        self.title.setText(title)
        for widget, text in zip(self.lines, [*lines, "", "", ""], strict=False):
            widget.setText(text)
            widget.setVisible(bool(text))
        self.nav.set_texts(back, cancel)


class TicketPage(Page):
    """The number very large, the service, people ahead, the wait, the QR, the print state."""

    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = label("subtitle", center=True)
        self.number = label("number", wrap=False, center=True)
        self.service = label("subtitle", center=True)
        self.booking = label("body", center=True)  # a checked-in booking: its time, on time?
        self.booking.hide()
        self.ahead = label("body", center=True)
        self.wait = label("body", center=True)
        self.print_state = label("note", center=True)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_hint = label("note", center=True)
        self.done_button = button("primary", height=110)
        self.done_button.clicked.connect(self.done)
        info = QWidget()
        info_box = QVBoxLayout(info)
        info_box.setContentsMargins(0, 0, 0, 0)
        info_box.setSpacing(14)
        for w in (self.heading, self.number, self.service, self.booking, self.ahead, self.wait):
            info_box.addWidget(w)
        qr_col = QWidget()
        qr_box = QVBoxLayout(qr_col)
        qr_box.setContentsMargins(0, 0, 0, 0)
        qr_box.addWidget(self.qr)
        qr_box.addWidget(self.qr_hint)
        self.main = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.main.setSpacing(24)
        self.main.addWidget(info, 3, Qt.AlignmentFlag.AlignVCenter)
        self.main.addWidget(qr_col, 2, Qt.AlignmentFlag.AlignVCenter)
        self.box.addLayout(self.main)
        self.box.addStretch(1)
        self.box.addWidget(self.print_state)
        self.box.addWidget(self.done_button)
        self._url = ""

    def set_orientation(self, portrait: bool) -> None:
        super().set_orientation(portrait)
        self.main.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self._draw_qr()

    def set_ticket(
        self, heading: str, number: str, service: str, ahead: str, wait: str, url: str
    ) -> None:
        self.heading.setText(heading)
        self.number.setText(number)
        self.service.setText(service)
        self.ahead.setText(ahead)
        self.wait.setText(wait)
        self.wait.setVisible(bool(wait))
        if url != self._url:
            self._url = url
            self._draw_qr()

    def set_texts(self, qr_hint: str, done: str) -> None:
        self.qr_hint.setText(qr_hint)
        self.done_button.setText(done)

    def set_number_role(self, role: str) -> None:
        """ "number" (a ticket, very large) or "code" (a booking code, seven characters)."""
        if self.number.property("role") != role:
            self.number.setProperty("role", role)
            repolish(self.number)

    def set_booking(self, text: str, *, problem: bool = False) -> None:
        """The booking a ticket was checked in for; a banner when the visitor came late."""
        self.booking.setText(text)
        self.booking.setVisible(bool(text))
        role = "banner" if problem else "body"
        if self.booking.property("role") != role:
            self.booking.setProperty("role", role)
            repolish(self.booking)

    def set_print_state(self, text: str, *, problem: bool) -> None:
        role = "banner" if problem else "note"
        self.print_state.setText(text)
        if self.print_state.property("role") != role:
            self.print_state.setProperty("role", role)
            repolish(self.print_state)

    def _draw_qr(self) -> None:
        # ≥ 420 px: about 10 cm on a 21" screen, easy for a phone camera across the hall.
        size = 480 if self.portrait else 440
        self.qr.setPixmap(qr_pixmap(self._url, size) if self._url else qr_pixmap(" ", 8))
        self.qr.setVisible(bool(self._url))


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
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]):
            b = button(height=100)
            b.setMinimumWidth(200)
            b.clicked.connect(lambda _=False, k=key: self._press(k))
            pad.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
            if key.isdigit():
                b.setText(key)
        self.cancel_button = button(height=100)
        self.cancel_button.clicked.connect(self._cancel)
        texts = QVBoxLayout()
        texts.addStretch(1)
        for w in (self.title, self.hint, self.display, self.message):
            texts.addWidget(w)
        texts.addStretch(1)
        keys = QVBoxLayout()
        keys.addLayout(pad)
        keys.addWidget(self.cancel_button)
        # Side by side in landscape: stacked, the pad would not fit 1080 px in large text.
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
