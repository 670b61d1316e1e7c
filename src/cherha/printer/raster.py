"""ESC/POS raster graphics (``GS v 0``) and the raster-mode job."""

from __future__ import annotations

from escpos.printer import Dummy
from PIL import Image

from .layout import Cut, Layout
from .render import render_layout

ESC_INIT = b"\x1b@"
BAND_ROWS = 256  # rows per GS v 0 command: small enough for the buffers of cheap printers
_INVERT = bytes(255 - i for i in range(256))
# Real-time commands (DLE EOT, DLE ENQ, DLE DC4) are acted on as bytes arrive, even inside
# image data on many printers. Clearing one dot breaks any such sequence in a picture.
_REALTIME = (b"\x10\x04", b"\x10\x05", b"\x10\x14")


def defuse_realtime(data: bytes) -> bytes:
    """Image bytes with every ``DLE EOT|ENQ|DC4`` prefix's 0x10 turned into 0x00."""
    for seq in _REALTIME:
        data = data.replace(seq, b"\x00" + seq[1:])
    return data


def raster_bytes(image: Image.Image) -> bytes:
    """``GS v 0`` commands for a 1-bit image, in bands of ``BAND_ROWS`` rows.

    Pillow packs mode "1" with 1 = white; ESC/POS wants 1 = black, hence the inversion.
    """
    mono = image if image.mode == "1" else image.convert("1")
    if mono.width % 8:
        padded = Image.new("1", ((mono.width + 7) // 8 * 8, mono.height), 1)
        padded.paste(mono, (0, 0))
        mono = padded
    row_bytes = mono.width // 8
    data = defuse_realtime(mono.tobytes().translate(_INVERT))
    out = bytearray()
    for top in range(0, mono.height, BAND_ROWS):
        rows = min(BAND_ROWS, mono.height - top)
        out += b"\x1dv0\x00" + row_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        out += data[top * row_bytes : (top + rows) * row_bytes]
    return bytes(out)


def centred(image: Image.Image, width_dots: int) -> Image.Image:
    """The image on a full-width white strip, so no printer alignment command is needed."""
    mono = image if image.mode == "1" else image.convert("1")
    strip = Image.new("1", (width_dots, mono.height), 1)
    strip.paste(mono, (max(0, (width_dots - mono.width) // 2), 0))
    return strip


def build_raster_job(layout: Layout, escpos_profile: str = "default") -> bytes:
    """The layout drawn as one image: ``ESC @``, ``GS v 0`` bands, feed and cut."""
    printer = Dummy(profile=escpos_profile)
    printer._raw(ESC_INIT)
    printer._raw(raster_bytes(render_layout(layout)))
    if any(isinstance(b, Cut) for b in layout.blocks):
        printer.cut()
    return bytes(printer.output)
