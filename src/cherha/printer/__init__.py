"""Cherha ticket printing: slips → ESC/POS (text or raster) → USB, network, serial, CUPS, file.

The kiosk needs only what is exported here; see docs/printing.md. The printing itself (and
python-escpos, ~0.4 s to import) loads on first use: reading a kiosk's configuration, or its
`--help`, needs only the settings and the errors.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from .config import PrinterConfig
from .errors import (
    CoverOpen,
    PaperOut,
    PrinterConfigError,
    PrinterError,
    PrinterOffline,
    PrinterTimeout,
)
from .slips import BookingSlip, Document, TestPage, TicketSlip
from .status import PrinterStatus

if TYPE_CHECKING:
    from .device import Printer, open_transport
    from .jobs import build_job, layout_for, render_preview

_ON_FIRST_USE = {
    "Printer": ".device",
    "open_transport": ".device",
    "build_job": ".jobs",
    "layout_for": ".jobs",
    "render_preview": ".jobs",
}


def __getattr__(name: str) -> object:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


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
