"""The hall's barcode scanner: it types what it read like a keyboard, very fast, then Enter.

`ScanBuffer` collects the printable characters of key presses and hands over the whole text
at Enter. A pause longer than `gap` seconds starts a new text (a half-read code is forgotten).
A scanner left on a Ukrainian keyboard layout types «ФИС-ВУА» for «ABC-DEF»: letters of the
standard Ukrainian layout are read back as the Latin letters on the same keys.
"""

from __future__ import annotations

from collections.abc import Callable

# ЙЦУКЕН (Ukrainian, standard) → the Latin letter on the same key of a US keyboard (only the
# 26 letter keys: signs and digits stay as typed, so a Latin link is never changed).
_UK_KEYS = "йцукенгшщзфівапролдячсмить"
_US_KEYS = "qwertyuiopasdfghjklzxcvbnm"
_FROM_UK = str.maketrans(_UK_KEYS + _UK_KEYS.upper(), _US_KEYS + _US_KEYS.upper())

MAX_LENGTH = 300  # a booking QR holds a code or a short link; anything longer is noise
GAP_SECONDS = 1.0


def latin(text: str) -> str:
    """What a scanner meant, whichever keyboard layout the session had."""
    return text.translate(_FROM_UK)


class ScanBuffer:
    """Printable characters until Enter; `feed` returns the scanned text at Enter, else None."""

    def __init__(self, clock: Callable[[], float], gap: float = GAP_SECONDS) -> None:
        self.clock = clock
        self.gap = gap
        self.text = ""
        self._last = 0.0

    def feed(self, text: str, *, enter: bool = False) -> str | None:
        now = self.clock()
        if self.text and now - self._last > self.gap:
            self.text = ""  # a pause: what came before was not one scan
        self._last = now
        if enter:
            scanned, self.text = self.text.strip(), ""
            return latin(scanned) or None
        printable = "".join(ch for ch in text if ch.isprintable())
        if printable:
            self.text = (self.text + printable)[:MAX_LENGTH]
        return None

    def clear(self) -> None:
        self.text = ""


__all__ = ["GAP_SECONDS", "ScanBuffer", "latin"]
