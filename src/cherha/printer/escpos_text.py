"""Text-mode jobs: native ESC/POS text in an explicit code page, native QR (``GS ( k``).

python-escpos's ``Dummy`` printer collects the bytes. Its magic encoder is not used: it may
pick CP866 (no і, ґ) and it does not re-select the code page after ``ESC @``. This module
sends ``ESC @`` then ``ESC t n`` itself and encodes every line itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from .layout import Align, Cut, Feed, ImageBlock, Layout, QrBlock, Rule, TextLine
from .qr import qr_image
from .raster import ESC_INIT, centred, raster_bytes
from .render import load_picture

FS_CANCEL_KANJI = b"\x1c."  # Chinese boards start in GB18030 double-byte mode


def select_codepage(number: int) -> bytes:
    """``ESC t n``."""
    return b"\x1bt" + bytes([number])


@dataclass(slots=True)
class _Style:
    width: int = 1
    height: int = 1
    bold: bool = False
    align: Align = "left"
    invert: bool = False


class _TextJob:
    """Emits only the style commands that change, from the state ``ESC @`` leaves."""

    def __init__(self, escpos_profile: str) -> None:
        self.printer = Dummy(profile=escpos_profile)
        self.style = _Style()

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def apply(self, want: _Style) -> None:
        have = self.style
        if (want.width, want.height) != (have.width, have.height):
            self.printer.set(custom_size=True, width=want.width, height=want.height)  # GS ! n
        if want.bold != have.bold:
            self.printer.set(bold=want.bold)  # ESC E n
        if want.align != have.align:
            self.printer.set(align=want.align)  # ESC a n
        if want.invert != have.invert:
            self.printer.set(invert=want.invert)  # GS B n
        self.style = want

    def output(self) -> bytes:
        return bytes(self.printer.output)


def build_text_job(
    layout: Layout,
    *,
    codepage: str,
    codepage_command: int,
    native_qr: bool = True,
    escpos_profile: str = "default",
    cancel_kanji: bool = False,
) -> bytes:
    """ESC/POS bytes for ``layout``; text is encoded with ``codepage`` (e.g. ``cp1251``)."""
    job = _TextJob(escpos_profile)
    job.raw(ESC_INIT)
    if cancel_kanji:
        job.raw(FS_CANCEL_KANJI)
    job.raw(select_codepage(codepage_command))  # after ESC @, which resets it
    width = layout.width_dots
    for block in layout.blocks:
        if isinstance(block, TextLine):
            job.apply(_Style(block.width, block.height, block.bold, block.align, block.invert))
            job.raw(block.text.encode(codepage, errors="replace") + b"\n")
        elif isinstance(block, Rule):
            job.apply(_Style())
            job.raw(b"-" * layout.columns + b"\n")
        elif isinstance(block, Feed):
            job.raw(b"\x1bd" + bytes([block.lines]))  # ESC d n
        elif isinstance(block, QrBlock):
            if native_qr:
                job.apply(_Style(align="center"))
                job.printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module, native=True)
            else:
                job.apply(_Style())
                job.raw(raster_bytes(centred(qr_image(block.data, block.module), width)))
        elif isinstance(block, ImageBlock):
            picture = load_picture(block.path, width, block.max_height)
            if picture is not None:
                job.apply(_Style())
                job.raw(raster_bytes(centred(picture, width)))
        elif isinstance(block, Cut):
            job.printer.cut()  # ESC d 6, GS V 0 where the profile has a cutter
    return job.output()
