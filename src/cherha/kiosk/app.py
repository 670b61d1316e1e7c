"""Putting the kiosk together from its configuration (used by main, tests, screenshots, bench)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from cherha.client import QueueClient
from cherha.printer.device import Printer

from .config import KioskConfig
from .controller import KioskController
from .printing import PrinterWatch, PrintService
from .sending import Sender
from .server_watch import ServerWatch
from .settling import Settler
from .speech import EspeakSpeaker, NullSpeaker, Speaker
from .style import FONT_FAMILY
from .window import KioskWindow

log = logging.getLogger(__name__)

WATCH_READ_TIMEOUT = 5.0  # a poll that hangs longer means the server is in trouble


def make_speaker(config: KioskConfig, parent: QObject | None = None) -> Speaker:
    if config.speech == "espeak-ng" and EspeakSpeaker.available():
        return EspeakSpeaker(rate=config.speech_rate, parent=parent)
    if config.speech == "espeak-ng":
        log.warning("espeak-ng is not installed: reading aloud is off")
    return NullSpeaker()


def build_controller(
    config: KioskConfig,
    *,
    speaker: Speaker | None = None,
    printer: Printer | None = None,
    parent: QObject | None = None,
) -> KioskController:
    """The controller with its own clients, threads and printer (nothing started yet)."""
    watch = ServerWatch(
        lambda: QueueClient(config.server_url, config.device_key, read_timeout=WATCH_READ_TIMEOUT),
        poll_seconds=config.poll_seconds,
        events=config.events,
    )
    printing = PrintService(printer or Printer(config.printer))
    printer_watch = PrinterWatch(
        printing, watch.runner, watch.client, check_seconds=config.printer_check_seconds
    )
    issue_client = QueueClient(
        config.server_url, config.device_key, read_timeout=config.issue_timeout_seconds
    )
    sender = Sender(
        issue_client,
        Settler(watch.runner, watch.client),
        patience=config.retry_seconds,
        slow_after=config.issue_timeout_seconds,
    )
    controller = KioskController(
        config,
        watch=watch,
        sending=sender,
        printing=printing,
        printer_watch=printer_watch,
        speaker=speaker or make_speaker(config),
        parent=parent,
    )
    for child in (watch, printing, printer_watch):
        child.setParent(controller)
    if isinstance(controller.speaker, QObject):
        controller.speaker.setParent(controller)
    return controller


def use_kiosk_font(app: QApplication) -> None:
    """DejaVu Sans has every Ukrainian letter (і, ї, є, ґ, ʼ)."""
    if FONT_FAMILY not in QFontDatabase.families():
        log.warning("font %s not found: install fonts-dejavu-core", FONT_FAMILY)
    app.setFont(QFont(FONT_FAMILY, 14))


def build_window(controller: KioskController) -> KioskWindow:
    """The window (not shown: `show_on_screen` sizes it from the screen it is on)."""
    window = KioskWindow(controller)
    if controller.config.orientation == "portrait":
        window.resize(1080, 1920)
    else:
        window.resize(1920, 1080)
    return window
