"""Pure entry points: a slip and a configuration in, printer bytes or a preview out (no I/O)."""

from __future__ import annotations

from PIL import Image

from .config import PrinterConfig
from .escpos_text import build_text_job
from .layout import Composer, Layout
from .profiles import Mode
from .raster import build_raster_job
from .render import render_layout
from .slips import BookingSlip, Document, TestPage, TicketSlip
from .templates import booking_layout, test_page_layout, ticket_layout


def layout_for(document: Document, config: PrinterConfig, mode: Mode | None = None) -> Layout:
    """The blocks of ``document`` for this printer's width.

    In text mode, characters the code page lacks are replaced here (ʼ → ’, ≈ → ~), so the
    preview of a text-mode printer shows what its paper will show.
    """
    mode = mode or config.effective_mode
    codepage = config.effective_codepage if mode == "text" else None
    c = Composer(config.effective_width, codepage)
    if isinstance(document, TicketSlip):
        return ticket_layout(document, c)
    if isinstance(document, BookingSlip):
        return booking_layout(document, c)
    if isinstance(document, TestPage):
        page_codepage = (
            f"{config.effective_codepage} (ESC t {config.codepage_command})"
            if mode == "text"
            else "— (raster)"
        )
        return test_page_layout(
            c,
            centre_name=document.centre_name,
            qr_payload=document.qr_payload,
            profile=config.profile,
            mode=mode,
            codepage=page_codepage,
        )
    raise TypeError(f"cannot lay out {type(document).__name__}")


def build_job(document: Document, config: PrinterConfig, mode: Mode | None = None) -> bytes:
    """The complete ESC/POS job for ``document``, in the configured (or given) mode."""
    mode = mode or config.effective_mode
    layout = layout_for(document, config, mode)
    profile = config.printer_profile
    if mode == "raster":
        return build_raster_job(layout, profile.escpos_profile)
    return build_text_job(
        layout,
        codepage=config.effective_codepage,
        codepage_command=config.codepage_command,
        native_qr=profile.native_qr,
        escpos_profile=profile.escpos_profile,
        cancel_kanji=profile.cancel_kanji,
    )


def render_preview(
    document: Document, config: PrinterConfig, mode: Mode | None = None
) -> Image.Image:
    """A greyscale picture of the slip, dot for dot as the printer lays it out."""
    return render_layout(layout_for(document, config, mode)).convert("L")
