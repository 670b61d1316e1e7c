"""How large text on a hall or window display must be, from where people read it.

Legibility guidance for signs and boards: a character about 1/200 of the viewing distance
high reads comfortably (25 mm at 5 m), and about 1/300 is the least for the essentials. The
displays size every Ukrainian line from the comfortable rule, English lines from a share of it
the centre chooses (never below the minimum, or hidden), and ticket and window numbers for
twice the distance. "Character height" is the height of a capital letter (cap height).

A centre sets the screens it has (diagonal) and how far the seats are (distance) once for the
hall and once for the window displays; one display can say otherwise in its address
(`?diagonal=75&distance=8`). The page turns millimetres into pixels from the diagonal and the
screen's pixels (docs/displays.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import Invalid

MM_PER_INCH = 25.4
COMFORTABLE_DIVISOR = 200
"""Ukrainian text: cap height ≥ distance / 200 (comfortable reading)."""
MINIMUM_DIVISOR = 300
"""The least for anything on the board (English lines at their smallest): distance / 300."""
NUMBER_DIVISOR = 100
"""Ticket and window numbers: comfortable from twice the distance."""
MIN_ENGLISH_SCALE = COMFORTABLE_DIVISOR / MINIMUM_DIVISOR
"""English lines at this share of the Ukrainian size are exactly at the minimum."""

DIAGONAL_RANGE = (10.0, 120.0)
DISTANCE_RANGE = (1.0, 30.0)
LAST_CALLS_RANGE = (1, 50)


@dataclass(frozen=True, slots=True)
class Viewing:
    """One display's screen and audience: what its text sizes follow."""

    diagonal_inches: float
    distance_m: float
    english_scale: float
    """English lines' cap height as a share of the Ukrainian one; 0 hides English lines."""
    last_calls: int
    """Calls the hall keeps on screen (paged when they do not all fit)."""

    def __post_init__(self) -> None:
        _check_range("diagonal", self.diagonal_inches, DIAGONAL_RANGE, "″", "in")
        _check_range("distance", self.distance_m, DISTANCE_RANGE, " м", " m")
        _check_english(self.english_scale)
        low, high = LAST_CALLS_RANGE
        if not low <= self.last_calls <= high:
            raise Invalid(
                f"calls: від {low} до {high}, а не {self.last_calls}",
                f"calls: from {low} to {high}, not {self.last_calls}",
            )

    @property
    def text_mm(self) -> float:
        """Cap height of Ukrainian text."""
        return self.distance_m * 1000 / COMFORTABLE_DIVISOR

    @property
    def minimum_mm(self) -> float:
        return self.distance_m * 1000 / MINIMUM_DIVISOR

    @property
    def english_mm(self) -> float:
        """Cap height of English lines (0: hidden)."""
        return self.text_mm * self.english_scale

    @property
    def number_mm(self) -> float:
        """Cap height of ticket and window numbers."""
        return self.distance_m * 1000 / NUMBER_DIVISOR

    def overridden(
        self,
        *,
        diagonal: str | None = None,
        distance: str | None = None,
        english: str | None = None,
        calls: str | None = None,
    ) -> Viewing:
        """This viewing with a display address's own values (query parameters, as text)."""
        english_scale = self.english_scale
        if english is not None:
            hidden = english.strip().lower() in {"off", "hidden", "no", "0"}
            english_scale = 0.0 if hidden else _number("english", english)
        last_calls = self.last_calls
        if calls is not None:
            text = calls.strip()
            if not (text.isascii() and text.isdigit() and len(text) <= 3):
                raise Invalid(
                    f"calls: ціле число, а не «{calls[:20]}»",
                    f"calls: a whole number, not '{calls[:20]}'",
                )
            last_calls = int(text)
        return Viewing(
            diagonal_inches=self.diagonal_inches
            if diagonal is None
            else _number("diagonal", diagonal),
            distance_m=self.distance_m if distance is None else _number("distance", distance),
            english_scale=english_scale,
            last_calls=last_calls,
        )


def _number(name: str, text: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Invalid(
            f"{name}: число, а не «{text[:20]}»",
            f"{name}: a number, not '{text[:20]}'",
        )
    return value


def _check_range(
    name: str, value: float, bounds: tuple[float, float], unit_uk: str, unit_en: str
) -> None:
    low, high = bounds
    if not (math.isfinite(value) and low <= value <= high):
        raise Invalid(
            f"{name}: від {low:g}{unit_uk} до {high:g}{unit_uk}, а не {value:g}",
            f"{name}: from {low:g}{unit_en} to {high:g}{unit_en}, not {value:g}",
        )


def _check_english(scale: float) -> None:
    if scale == 0:
        return
    # A hair of tolerance: «0.67» is meant as the minimum, not a hair below it.
    if not (math.isfinite(scale) and MIN_ENGLISH_SCALE - 0.005 <= scale <= 1.0):
        raise Invalid(
            f"english: 0 (приховати) або від {MIN_ENGLISH_SCALE:.2f} до 1 розміру українського "
            f"тексту (менше — нечитабельно з відстані), а не {scale:g}",
            f"english: 0 (hidden) or from {MIN_ENGLISH_SCALE:.2f} to 1 of the Ukrainian size "
            f"(smaller cannot be read from the distance), not {scale:g}",
        )
