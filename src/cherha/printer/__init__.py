"""Cherha ticket printing: slips → ESC/POS (text or raster) → USB, network, serial, CUPS, file.

The kiosk needs only what is exported here; see docs/printing.md.
"""

from .config import PrinterConfig
from .device import Printer, open_transport
from .errors import (
    CoverOpen,
    PaperOut,
    PrinterConfigError,
    PrinterError,
    PrinterOffline,
    PrinterTimeout,
)
from .jobs import build_job, layout_for, render_preview
from .slips import BookingSlip, Document, TestPage, TicketSlip
from .status import PrinterStatus

__all__ = [
    "BookingSlip",
    "CoverOpen",
    "Document",
    "PaperOut",
    "Printer",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterError",
    "PrinterOffline",
    "PrinterStatus",
    "PrinterTimeout",
    "TestPage",
    "TicketSlip",
    "build_job",
    "layout_for",
    "open_transport",
    "render_preview",
]
