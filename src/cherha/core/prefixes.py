"""Ticket prefixes that look alike: Latin B, C, H … print and show exactly like Cyrillic В, С, Н.

The hall announces what is printed, so two services whose prefixes look the same would give
visitors two «В015» tickets. The console refuses a prefix that looks like one in use and warns
when a Latin letter could be taken for a Cyrillic one.
"""

from __future__ import annotations

LATIN_TO_CYRILLIC = {
    "A": "А",
    "B": "В",
    "C": "С",
    "E": "Е",
    "H": "Н",
    "I": "І",
    "K": "К",
    "M": "М",
    "O": "О",
    "P": "Р",
    "T": "Т",
    "X": "Х",
    "Y": "У",
}


def looks_like(prefix: str) -> str:
    """The prefix as it looks: Latin look-alikes replaced by their Cyrillic twins."""
    return "".join(LATIN_TO_CYRILLIC.get(ch, ch) for ch in prefix.upper())


def latin_lookalikes(prefix: str) -> list[str]:
    """The Latin letters of a prefix that a reader would take for Cyrillic ones."""
    return [ch for ch in prefix if ch in LATIN_TO_CYRILLIC]
