"""Small dumb widgets: big buttons, tappable cards, labels by role, the QR picture."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .style import MIN_TARGET


def label(role: str = "body", *, wrap: bool = True, center: bool = False) -> QLabel:
    widget = QLabel()
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


def button(role: str = "", *, height: int = MIN_TARGET) -> QPushButton:
    widget = QPushButton()
    if role:
        widget.setProperty("role", role)
    # Only the height is fixed here: an explicit minimum width would let layouts squeeze the
    # button below its text; the text and padding make it wider than MIN_TARGET anyway.
    widget.setMinimumHeight(max(MIN_TARGET, height))
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keyboard: no focus frames
    # Minimum: never squeezed below the text it shows (a clipped label is unreadable).
    widget.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return widget


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QWidget):
        style.unpolish(child)
        style.polish(child)


class Card(QFrame):
    """A large tappable tile with a bold title and a detail line (groups, services)."""

    clicked = Signal()

    def __init__(self, key: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setProperty("role", "card")
        self.setMinimumHeight(MIN_TARGET + 34)
        self.setMinimumWidth(MIN_TARGET)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title = label("card_title")
        self.detail = label("card_detail")
        for child in (self.title, self.detail):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 18)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        self._down = False

    def set_texts(self, title: str, detail: str, *, closed: bool = False) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        if self.property("closed") != closed:
            self.setProperty("closed", closed)
            repolish(self)

    def _set_down(self, down: bool) -> None:
        if down != self._down:
            self._down = down
            self.setProperty("down", down)
            repolish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._set_down(True)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        was_down = self._down
        self._set_down(False)
        inside = self.rect().contains(event.position().toPoint())
        if was_down and inside and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        event.accept()


def scroll_with_finger(widget: QWidget) -> None:
    """Kinetic scrolling by dragging, as on a phone (a touch screen has no wheel)."""
    QScroller.grabGesture(widget, QScroller.ScrollerGestureType.LeftMouseButtonGesture)


def qr_image(data: str, size: int) -> QImage:
    """The QR code of `data`, black on white, about `size` px with sharp modules."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=3)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    image = QImage(n, n, QImage.Format.Format_RGB32)
    black, white = QColor("black").rgb(), QColor("white").rgb()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            image.setPixel(x, y, black if dark else white)
    module = max(4, size // n)
    return image.scaled(
        n * module,
        n * module,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


def qr_pixmap(data: str, size: int) -> QPixmap:
    return QPixmap.fromImage(qr_image(data, size))


class NavBar(QWidget):
    """Back and Start over, at the bottom of every choosing screen."""

    back = Signal()
    cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        self.back_button = button(height=110)
        self.cancel_button = button(height=110)
        self.back_button.clicked.connect(self.back)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.back_button, 1)
        layout.addWidget(self.cancel_button, 1)

    def set_texts(self, back: str, cancel: str) -> None:
        self.back_button.setText(f"← {back}")
        self.cancel_button.setText(f"⌂ {cancel}")


def is_press(event: QEvent) -> bool:
    return event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


def press_position(event: QEvent) -> QPointF | None:
    """Where a press landed, in global coordinates (mouse or touch)."""
    if isinstance(event, QMouseEvent):
        return event.globalPosition()
    points = getattr(event, "points", None)
    if callable(points):
        pts = points()
        if pts:
            pos: QPointF = pts[0].globalPosition()
            return pos
    return None
