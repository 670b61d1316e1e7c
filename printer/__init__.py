"""Cherha ticket printing: slips → ESC/POS (text or raster) → USB, network, serial, CUPS, file.

The kiosk needs only what is exported here; see docs/printing.md.
"""

from printer.config import PrinterConfig
from printer.device import Printer, open_transport
from printer.errors import (
    CoverOpen,
    PaperOut,
    PrinterConfigError,
    PrinterError,
    PrinterOffline,
    PrinterTimeout,
)
from printer.jobs import build_job, layout_for, render_preview
from printer.slips import BookingSlip, Document, TestPage, TicketSlip
from printer.status import PrinterStatus

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
