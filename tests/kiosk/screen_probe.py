"""Measure every screen of a real kiosk window: `python -m tests.kiosk.screen_probe --out r.json`.

Run it on a real display (tests run it under Xvfb with no window manager, as kiosks run): it
starts a booking centre's server in-process, opens the kiosk on kiosk duty (`fullscreen`,
sized from the screen), tours every screen (tests/kiosk/tour.py) in the calm look and in
large text, and writes what it measured: each touch target in millimetres on a 21.5" panel of
the screen's resolution, and every widget that lies off the screen or whose text is clipped.
With `--shots DIR` it also saves a picture of each screen.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollBar, QWidget

PANEL_INCHES = 21.5
MIN_MM = 15.0


@dataclass
class Stop:
    name: str
    look: str
    targets: int = 0
    min_mm: float = 1e9
    problems: list[str] = field(default_factory=list)
    qr_mm: float = 0.0
    number_mm: float = 0.0


def mm_per_px(width: int, height: int, inches: float = PANEL_INCHES) -> float:
    return inches * 25.4 / math.hypot(width, height)


def measure(window: QWidget, name: str, look: str) -> Stop:
    """Every visible control ≥ 15 mm and on screen; no label or button text clipped."""
    from cherha.kiosk.widgets import Card

    stop = Stop(name, look)
    screen = window.screen().geometry()
    per_px = mm_per_px(screen.width(), screen.height())
    area = QRect(QPoint(0, 0), window.size())
    if window.geometry() != screen:
        stop.problems.append(f"window {window.geometry()} is not the screen {screen}")
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.window() is not window:
            continue
        rect = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
        what = f"{type(w).__name__} {_text(w)!r}"
        if isinstance(w, QPushButton | Card | QScrollBar):
            if isinstance(w, QScrollBar) and w.maximum() == 0:
                continue
            size_mm = min(w.width(), w.height()) * per_px
            if isinstance(w, QScrollBar):
                size_mm = w.width() * per_px
            stop.targets += 1
            stop.min_mm = min(stop.min_mm, size_mm)
            if size_mm < MIN_MM:
                stop.problems.append(f"{what}: {size_mm:.1f} mm < {MIN_MM} mm")
            if isinstance(w, Card):  # cards scroll: only their sides must be on screen
                if rect.left() < 0 or rect.right() > area.right():
                    stop.problems.append(f"{what} beyond the sides {rect}")
                continue
            if not area.contains(rect):
                stop.problems.append(f"{what} off screen {rect} (screen {area})")
            if isinstance(w, QPushButton) and w.sizeHint().width() > w.width() + 1:
                stop.problems.append(f"{what} clipped: needs {w.sizeHint().width()} px")
        elif isinstance(w, QLabel) and (w.text() or w.pixmap() is not None):
            inside_scroll = _in_scroll_area(w)
            if not inside_scroll and not area.contains(rect):
                stop.problems.append(f"{what} off screen {rect}")
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 2:
                    stop.problems.append(f"{what} cut: needs {need} px, has {w.height()}")
            elif w.text() and w.sizeHint().width() > w.width() + 1:
                stop.problems.append(f"{what} clipped: needs {w.sizeHint().width()} px")
            if w.property("role") in ("number", "code") and w.text():
                stop.number_mm = w.fontMetrics().capHeight() * per_px
            if w.pixmap() is not None and not w.pixmap().isNull() and w.pixmap().width() > 100:
                stop.qr_mm = w.pixmap().width() * per_px
    return stop


def _text(w: QWidget) -> str:
    if isinstance(w, QPushButton | QLabel):
        return w.text()[:30]
    control = getattr(w, "control", None)
    return str(getattr(control, "label", ""))[:30]


def _in_scroll_area(w: QWidget) -> bool:
    from PySide6.QtWidgets import QScrollArea

    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def tour(look: str, shots: Path | None) -> list[Stop]:
    """One look: a fresh centre and server, a kiosk on duty, every screen measured."""
    from dataclasses import replace

    from cherha.kiosk.app import build_controller, build_window
    from cherha.kiosk.config import KioskConfig
    from cherha.kiosk.speech import NullSpeaker
    from cherha.printer.config import PrinterConfig
    from tests.api.test_bookings import booking_centre
    from tests.helpers.app import FakeClock, ThreadedServer, make_app, make_centre, settings_for
    from tests.helpers.ports import free_port
    from tests.helpers.server import ADMIN_PASSWORD

    from .tour import every_screen

    stops: list[Stop] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/probe.db"
        clock = FakeClock()
        centre = make_centre(url, spec=booking_centre())  # the sample's priority categories
        port = free_port()
        server = ThreadedServer(make_app(settings_for(url, port=port), clock=clock), port).start()
        try:
            config = KioskConfig(
                server_url=server.url,
                device_key=centre.kiosk_key,
                printer=PrinterConfig.parse_spec(f"preview-dir:{tmp}"),
                fullscreen=True,
                speech="off",
                centre_name="ЦНАП Печерського району м. Києва",
                high_contrast=look == "large",
                admin_pin="2468",
            )
            controller = build_controller(replace(config), speaker=NullSpeaker())
            window = build_window(controller)
            window.show_on_screen()
            controller.start_services()

            def move(moment: datetime) -> None:
                clock.now = moment

            for i, name in enumerate(
                every_screen(
                    controller, window, server.url, centre.kiosk_key, move, clock, ADMIN_PASSWORD
                )
            ):
                stops.append(measure(window, name, look))
                if shots is not None:
                    window.grab().save(str(shots / f"{look}-{i:02d}-{name}.png"))
            controller.stop()
            window.unlock()
            window.close()
        finally:
            server.stop()
    return stops


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--looks", default="calm,large")
    parser.add_argument("--shots", type=Path)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from cherha.kiosk.app import use_kiosk_font

    assert isinstance(app, QApplication)
    use_kiosk_font(app)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    screen = QGuiApplication.primaryScreen().geometry()
    stops: list[Stop] = []
    for look in args.looks.split(","):
        stops += tour(look, args.shots)
    report: dict[str, Any] = {
        "screen": [screen.width(), screen.height()],
        "stops": [vars(s) for s in stops],
    }
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
