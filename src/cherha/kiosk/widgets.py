"""Small dumb widgets: big buttons and tappable cards that carry the `Control` they show,
labels by role, the QR picture, and sizing for the screen the kiosk runs on."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .content import Content, Control, Line
from .style import MIN_TARGET, Metrics


def label(role: str = "body", *, wrap: bool = True, center: bool = False) -> QLabel:
    widget = QLabel()
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # text from the server is never rich text
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    # A wrapped label asks for no width of its own: the page's width decides.
    widget.setMinimumWidth(1)
    widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return widget


def set_role(widget: QWidget, role: str) -> None:
    if widget.property("role") != role:
        widget.setProperty("role", role)
        repolish(widget)


def show_line(widget: QLabel, line: Line | None, *, alert_role: str = "banner") -> None:
    """Put a content line on a label (hidden when there is none); a problem shows as a banner."""
    text = line.text if line else ""
    widget.setText(text)
    widget.setVisible(bool(text))
    base = widget.property("base_role") or widget.property("role")
    widget.setProperty("base_role", base)
    set_role(widget, alert_role if line is not None and line.alert else str(base))


class Button(QPushButton):
    """A button that shows a `Control` (its label, whether it is enabled, its spoken name)."""

    def __init__(self, role: str = "", height: int = MIN_TARGET) -> None:
        super().__init__()
        self.control: Control | None = None
        if role:
            self.setProperty("role", role)
        self.base_height = max(MIN_TARGET, height)  # design px; `rescale` applies the screen
        self.setMinimumHeight(self.base_height)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window moves a focus of its own
        # Minimum: never squeezed below the text it shows (a clipped label is unreadable).
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

    def show_control(self, control: Control | None) -> None:
        self.control = control
        self.setVisible(control is not None)
        if control is not None:
            self.setText(control.label)
            self.setEnabled(control.enabled)
            self.setAccessibleName(control.name)


def button(role: str = "", *, height: int = MIN_TARGET) -> Button:
    return Button(role, height)


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QWidget):
        style.unpolish(child)
        style.polish(child)


class Card(QFrame):
    """A large tappable tile with a bold title and a detail line (groups, services, days)."""

    clicked = Signal()

    def __init__(self, key: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.control: Control | None = None
        self.base_height = MIN_TARGET + 24
        self.setProperty("role", "card")
        self.setMinimumHeight(self.base_height)
        self.setMinimumWidth(MIN_TARGET)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title = label("card_title")
        self.detail = label("card_detail")
        for child in (self.title, self.detail):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(24, 12, 24, 12)
        self.box.setSpacing(4)
        self.box.addWidget(self.title)
        self.box.addWidget(self.detail)
        self._down = False

    def show_control(self, control: Control) -> None:
        self.control = control
        self.key = control.key
        self.set_texts(control.label, control.detail, closed=control.closed)
        self.setAccessibleName(control.name)

    def set_texts(self, title: str, detail: str, *, closed: bool = False) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        if self.property("closed") != closed:
            self.setProperty("closed", closed)
            repolish(self)

    def set_metrics(self, m: Metrics) -> None:
        self.setMinimumHeight(m.px(self.base_height))
        self.setMinimumWidth(m.target)
        self.box.setContentsMargins(m.px(24), m.px(10), m.px(24), m.px(10))

    def click(self) -> None:
        self.clicked.emit()

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
    """Kinetic scrolling by dragging, as on a phone (a touch screen has no wheel).

    A touch reaches the tile at once: by default the scroller holds every press back for a
    quarter of a second to see whether it becomes a drag, which made a quick tap (or a tap
    while the kiosk was busy) land on nothing. A drag still scrolls.
    """
    QScroller.grabGesture(widget, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(widget)
    properties = scroller.scrollerProperties()
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(properties)


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
    module = max(3, size // n)
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
        self.box = QHBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(24)
        self.back_button = button(height=104)
        self.cancel_button = button(height=104)
        self.back_button.clicked.connect(self.back)
        self.cancel_button.clicked.connect(self.cancel)
        self.box.addWidget(self.back_button, 1)
        self.box.addWidget(self.cancel_button, 1)

    def show_content(self, content: Content) -> None:
        self.back_button.show_control(content.control("back"))
        self.cancel_button.show_control(content.control("cancel"))
        self.setVisible(content.control("back") is not None)


def rescale(root: QWidget, m: Metrics) -> None:
    """Apply the screen's scale to every button's and card's height and every layout's
    margins and spacing under `root` (their design values are remembered on first use)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, Button):
            widget.setMinimumHeight(m.px(widget.base_height))
            widget.setMinimumWidth(m.target)
        elif isinstance(widget, Card):
            widget.set_metrics(m)
        layout = widget.layout()
        if layout is not None:
            _rescale_layout(layout, m)


def _rescale_layout(layout: QLayout, m: Metrics) -> None:
    design = getattr(layout, "_design", None)
    if design is None:
        margins = layout.contentsMargins()
        design = (
            margins.left(),
            margins.top(),
            margins.right(),
            margins.bottom(),
            layout.spacing(),
        )
        layout._design = design  # type: ignore[attr-defined]
    left, top, right, bottom, spacing = design
    layout.setContentsMargins(m.px(left), m.px(top), m.px(right), m.px(bottom))
    if spacing >= 0:
        layout.setSpacing(m.px(spacing))
    for i in range(layout.count()):
        item = layout.itemAt(i)
        child = item.layout() if item is not None else None
        if child is not None and isinstance(child, QBoxLayout | QLayout):
            _rescale_layout(child, m)


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
