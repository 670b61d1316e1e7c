"""Typed wrapper over the untyped ``qrcode`` package: the module matrix and a 1-bit image."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants
from PIL import Image

QR_SHARE_OF_WIDTH = 0.6  # a QR that is big enough for a phone but leaves quiet zones
MAX_MODULE = 8


@lru_cache(maxsize=256)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Modules of a model-2 QR code, error correction M, without the quiet zone."""
    code = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data.encode("utf-8"))  # bytes: the printer gets UTF-8 bytes too
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def module_size(data: str, width_dots: int) -> int:
    """Dots per module so the code fills about 60 % of the paper, within 1..8."""
    modules = len(qr_matrix(data))
    fit = int(width_dots * QR_SHARE_OF_WIDTH) // modules
    if fit < 1:
        fit = width_dots // modules
    if fit < 1:
        raise ValueError(f"QR data too long for {width_dots} dots: {len(data)} characters")
    return min(MAX_MODULE, fit)


def qr_image(data: str, module: int) -> Image.Image:
    """The code as a 1-bit image, ``module`` dots per module, no quiet zone."""
    matrix = qr_matrix(data)
    size = len(matrix)
    small = Image.new("1", (size, size), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((size * module, size * module), Image.Resampling.NEAREST)
