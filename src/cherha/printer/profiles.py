"""Printer profiles: width, code page numbers, QR support and default mode.

Code page numbers (the ``n`` of ``ESC t n``) come from python-escpos's capabilities data
(``escpos/capabilities.json``) for the named model; see docs/printing.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["text", "raster"]
CodePage = Literal["cp1251", "cp1125"]
MODES: tuple[Mode, ...] = ("text", "raster")
CODEPAGES: tuple[CodePage, ...] = ("cp1251", "cp1125")


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """What Cherha needs to know about one kind of printer."""

    name: str
    description: str
    width_dots: int
    mode: Mode
    codepages: dict[CodePage, int] = field(default_factory=dict)
    native_qr: bool = True
    escpos_profile: str = "default"
    cancel_kanji: bool = False  # send FS . : Chinese boards may start in double-byte mode

    @property
    def default_codepage(self) -> CodePage:
        """CP1251 where the printer has it (wider support), else CP1125."""
        return "cp1251" if "cp1251" in self.codepages or not self.codepages else "cp1125"


# Epson numbering: 46 = WPC1251, 44 = PC1125 (capabilities.json, "default" and TM-T20II).
_EPSON: dict[CodePage, int] = {"cp1251": 46, "cp1125": 44}

PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile(
            "generic-58",
            "Epson-compatible 58 mm (384 dots)",
            384,
            "text",
            dict(_EPSON),
        ),
        PrinterProfile(
            "generic-80",
            "Epson-compatible 80 mm (576 dots)",
            576,
            "text",
            dict(_EPSON),
        ),
        PrinterProfile(
            "epson-tm-t20",
            "Epson TM-T20 / TM-T20II style, 80 mm, 576 dots",
            576,
            "text",
            dict(_EPSON),
            escpos_profile="TM-T20II",
        ),
        PrinterProfile(
            "epson-tm-t88",
            "Epson TM-T88IV/V style, 80 mm, 512 dots (no PC1125 in its table)",
            512,
            "text",
            {"cp1251": 46},
            escpos_profile="TM-T88V",
        ),
        PrinterProfile(
            "xprinter-xp58",
            "Xprinter XP-58 / POS-5890 style 58 mm, no native QR: raster by default",
            384,
            "raster",
            # POS-5890 table in capabilities.json: 73 = CP1251 (no CP1125).
            {"cp1251": 73},
            native_qr=False,
            escpos_profile="POS-5890",
            cancel_kanji=True,
        ),
    )
}

DEFAULT_PROFILE = "generic-80"


def get_profile(name: str) -> PrinterProfile:
    """Look a profile up by name; ``KeyError`` lists the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown printer profile {name!r}; known: {', '.join(PROFILES)}") from None
