"""Drawing a layout with Pillow: used for raster mode and for PNG previews alike."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from .fonts import cell_font
from .layout import (
    CHAR_HEIGHT,
    CHAR_WIDTH,
    LINE_GAP,
    Block,
    Cut,
    Feed,
    ImageBlock,
    Layout,
    QrBlock,
    Rule,
    TextLine,
)
from .qr import qr_image, qr_matrix

log = logging.getLogger(__name__)

ROW = CHAR_HEIGHT + LINE_GAP  # one default line feed, dots
BASELINE = 19  # from the cell top, for a 24-dot cell (DejaVu ascent at this size)
WHITE, BLACK = 1, 0


@lru_cache(maxsize=16)
def _load_picture_cached(path: Path, _mtime: float, max_w: int, max_h: int) -> Image.Image:
    # _mtime is only part of the cache key: a replaced logo file is read again.
    with Image.open(path) as src:
        picture = ImageOps.exif_transpose(src).convert("RGBA")
    # Transparent areas are paper, not black.
    flat = Image.new("RGBA", picture.size, "white")
    flat.alpha_composite(picture)
    grey = flat.convert("L")
    grey.thumbnail((max_w, max_h), Image.Resampling.LANCZOS)
    return grey.convert("1")  # Floyd-Steinberg dithering: logos are often grey


def load_picture(path: Path, max_w: int, max_h: int) -> Image.Image | None:
    """A logo as a 1-bit image that fits the box; ``None`` (and a log line) if unreadable.

    A broken logo must never stop a ticket from printing.
    """
    try:
        return _load_picture_cached(path, path.stat().st_mtime, max_w, max_h)
    except (OSError, ValueError) as exc:
        log.warning("logo %s skipped: %s", path, exc)
        return None


def block_height(block: Block, width_dots: int) -> int:
    """Height of a block on paper, in dots."""
    if isinstance(block, TextLine):
        # A printer feeds at least one line spacing and at least the glyph height.
        return max(ROW, CHAR_HEIGHT * block.height)
    if isinstance(block, Rule):
        return ROW
    if isinstance(block, Feed):
        return ROW * block.lines
    if isinstance(block, QrBlock):
        return len(qr_matrix(block.data)) * block.module
    if isinstance(block, ImageBlock):
        picture = load_picture(block.path, width_dots, block.max_height)
        return 0 if picture is None else picture.height
    return ROW  # Cut: the preview shows a little paper below the last line


def text_image(line: TextLine) -> Image.Image:
    """One line of text as a 1-bit strip exactly ``len * 12 * width`` dots wide."""
    w, h = line.width, line.height
    # Draw square-magnified glyphs (h x h) and stretch horizontally if w != h, as printers do.
    cell = CHAR_WIDTH * h
    strip = Image.new(
        "1", (max(1, cell * len(line.text)), CHAR_HEIGHT * h), BLACK if line.invert else WHITE
    )
    draw = ImageDraw.Draw(strip)
    draw.fontmode = "1"  # no anti-aliasing: the paper is 1 bit
    draw.text(
        (0, BASELINE * h),
        line.text,
        font=cell_font(line.bold, cell),
        fill=WHITE if line.invert else BLACK,
        anchor="ls",
    )
    if w != h:
        strip = strip.resize(
            (max(1, CHAR_WIDTH * w * len(line.text)), strip.height), Image.Resampling.NEAREST
        )
    return strip


def _x(align: str, item_width: int, width_dots: int) -> int:
    if align == "center":
        return max(0, (width_dots - item_width) // 2)
    if align == "right":
        return max(0, width_dots - item_width)
    return 0


def render_layout(layout: Layout) -> Image.Image:
    """The whole layout as a 1-bit image ``layout.width_dots`` wide."""
    width = layout.width_dots
    heights = [block_height(b, width) for b in layout.blocks]
    canvas = Image.new("1", (width, max(1, sum(heights))), WHITE)
    top = 0
    for block, height in zip(layout.blocks, heights, strict=True):
        if isinstance(block, TextLine) and block.text:
            strip = text_image(block)
            canvas.paste(strip, (_x(block.align, strip.width, width), top))
        elif isinstance(block, Rule):
            # Dashes, as text mode prints them, so the preview is the paper.
            canvas.paste(text_image(TextLine("-" * layout.columns)), (0, top))
        elif isinstance(block, QrBlock):
            code = qr_image(block.data, block.module)
            canvas.paste(code, (_x("center", code.width, width), top))
        elif isinstance(block, ImageBlock):
            picture = load_picture(block.path, width, block.max_height)
            if picture is not None:
                canvas.paste(picture, (_x("center", picture.width, width), top))
        elif isinstance(block, Cut | Feed):
            pass  # blank paper
        top += height
    return canvas
