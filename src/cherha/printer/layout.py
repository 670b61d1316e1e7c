"""The one layout model that both the ESC/POS text builder and the Pillow renderer consume.

A layout is a tuple of blocks on a grid of printer characters (Font A, 12 x 24 dots). Text
is already wrapped here, so paper and preview break lines at exactly the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Align = Literal["left", "center", "right"]

CHAR_WIDTH = 12  # ESC/POS Font A cell, dots
CHAR_HEIGHT = 24
LINE_GAP = 6  # default line spacing (1/6 inch at 180 dpi = 30 dots) minus the glyph height
MAX_MAGNIFY = 8  # GS ! allows 1..8 in each direction


@dataclass(frozen=True, slots=True)
class TextLine:
    """One printed line; ``width``/``height`` are ESC/POS magnifications 1..8."""

    text: str
    width: int = 1
    height: int = 1
    bold: bool = False
    align: Align = "left"
    invert: bool = False


@dataclass(frozen=True, slots=True)
class QrBlock:
    """A centred QR code (model 2, error correction M); ``module`` is dots per module."""

    data: str
    module: int


@dataclass(frozen=True, slots=True)
class ImageBlock:
    """A centred picture (a logo) scaled to fit the width and ``max_height`` dots."""

    path: Path
    max_height: int


@dataclass(frozen=True, slots=True)
class Rule:
    """A full-width dashed line."""


@dataclass(frozen=True, slots=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    """Feed past the cutter and cut."""


Block = TextLine | QrBlock | ImageBlock | Rule | Feed | Cut


@dataclass(frozen=True, slots=True)
class Layout:
    """Blocks for a paper ``width_dots`` wide."""

    width_dots: int
    blocks: tuple[Block, ...]

    @property
    def columns(self) -> int:
        return self.width_dots // CHAR_WIDTH


def wrap_words(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` characters.

    Words are never split unless one alone is longer than a line; then it is cut into
    line-sized pieces. Blank text gives no lines.
    """
    if width < 1:
        raise ValueError("width must be >= 1")
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:  # only a word longer than the line is ever split
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


# Characters some code pages lack, replaced by the closest printable one (same length, so
# wrapping is unchanged). CP1251 has ’ and —; CP1125 has neither.
_FOLD_COMMON = {"≈": "~", "ʼ": "’", "‘": "’", "“": '"', "”": '"', "★": "*", "•": "·"}
_FOLD_CP1125 = {"’": "'", "—": "-", "–": "-", "«": '"', "»": '"', "…": "."}


def _fold_table(codepage: str) -> dict[int, str]:
    table = dict(_FOLD_COMMON)
    if codepage == "cp1125":
        table = {k: _FOLD_CP1125.get(v, v) for k, v in table.items()} | _FOLD_CP1125
    return {ord(k): v for k, v in table.items()}


_FOLD_TABLES = {cp: _fold_table(cp) for cp in ("cp1251", "cp1125")}


def fold_for_codepage(text: str, codepage: str | None) -> str:
    """Replace characters the printer's code page cannot print (``None``: raster, keep all)."""
    if codepage is None:
        return text
    out = text.translate(_FOLD_TABLES.get(codepage) or _fold_table(codepage))
    # Anything still unencodable becomes "?" here, so the preview shows what paper shows.
    return out.encode(codepage, errors="replace").decode(codepage)


class Composer:
    """Collects blocks for one layout, wrapping and folding text as it goes."""

    def __init__(self, width_dots: int, codepage: str | None) -> None:
        self.width_dots = width_dots
        self.columns = width_dots // CHAR_WIDTH
        self.codepage = codepage
        self.blocks: list[Block] = []

    def fold(self, text: str) -> str:
        return fold_for_codepage(text, self.codepage)

    def cols(self, width: int = 1) -> int:
        return max(1, self.columns // width)

    def line(
        self,
        text: str,
        *,
        width: int = 1,
        height: int = 1,
        bold: bool = False,
        align: Align = "left",
        invert: bool = False,
    ) -> None:
        """Add text, wrapped at word boundaries to the width at this magnification."""
        for piece in wrap_words(self.fold(text), self.cols(width)):
            self.blocks.append(TextLine(piece, width, height, bold, align, invert))

    def bilingual(
        self,
        uk: str,
        en: str | None,
        *,
        width: int = 1,
        height: int = 1,
        bold: bool = False,
        align: Align = "left",
        invert: bool = False,
    ) -> None:
        """``uk / en`` on one line when it fits, else Ukrainian lines then English lines."""
        joined = f"{uk} / {en}" if en else uk
        fits = len(self.fold(joined)) <= self.cols(width)
        for text in [joined] if fits else [uk, *([en] if en else [])]:
            self.line(text, width=width, height=height, bold=bold, align=align, invert=invert)

    def pair(self, label: str, value: str, *, bold: bool = False) -> None:
        """Label on the left, value on the right; on two lines when both do not fit."""
        label, value = self.fold(label), self.fold(value)
        gap = self.columns - len(label) - len(value)
        if gap >= 1:
            self.blocks.append(TextLine(label + " " * gap + value, bold=bold))
        else:
            self.line(label, bold=bold)
            self.line(value, bold=bold, align="right")

    def big(self, text: str, *, bold: bool = True, limit: int = MAX_MAGNIFY) -> None:
        """One short text in the largest magnification that fits the line."""
        text = self.fold(text.strip())
        size = max(1, min(limit, self.columns // max(1, len(text))))
        self.line(text, width=size, height=size, bold=bold, align="center")

    def rule(self) -> None:
        self.blocks.append(Rule())

    def feed(self, lines: int = 1) -> None:
        self.blocks.append(Feed(lines))

    def qr(self, data: str, module: int) -> None:
        self.blocks.append(QrBlock(data, module))

    def image(self, path: Path, max_height: int) -> None:
        self.blocks.append(ImageBlock(path, max_height))

    def cut(self) -> None:
        self.blocks.append(Cut())

    def build(self) -> Layout:
        return Layout(self.width_dots, tuple(self.blocks))
