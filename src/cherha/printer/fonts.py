"""Finding and sizing the TrueType font used for raster mode and previews.

DejaVu Sans Mono is used because printer fonts are monospaced: one glyph per 12 x 24 dot
cell keeps the preview's line breaks and alignment identical to text mode.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from .errors import FontNotFoundError

FONT_FILES = {False: "DejaVuSansMono.ttf", True: "DejaVuSansMono-Bold.ttf"}
FONT_DIR_ENV = "CHERHA_FONT_DIR"
_REPO_FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian/Ubuntu fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
BASE_PX = 20  # nominal size for a 24-dot-high cell; scaled so the advance is exactly 12 dots


def search_dirs() -> list[Path]:
    """Where fonts are looked for, first match wins."""
    dirs = [Path(os.environ[FONT_DIR_ENV])] if os.environ.get(FONT_DIR_ENV) else []
    return [*dirs, _REPO_FONTS, *SYSTEM_DIRS]


@lru_cache(maxsize=4)
def font_path(bold: bool) -> Path:
    """Path of the regular or bold DejaVu Sans Mono; ``FontNotFoundError`` if none."""
    name = FONT_FILES[bold]
    for folder in search_dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FontNotFoundError(", ".join(str(d / name) for d in search_dirs()))


@lru_cache(maxsize=64)
def cell_font(bold: bool, cell_width: int) -> ImageFont.FreeTypeFont:
    """A font whose glyph advance is exactly ``cell_width`` dots (height follows)."""
    path = str(font_path(bold))
    probe = ImageFont.truetype(path, BASE_PX)
    advance = probe.getlength("Ш" * 100) / 100
    return ImageFont.truetype(path, BASE_PX * cell_width / advance)
