"""Contrast and polish (issue 13 item 10): control borders, text, banners and the focus ring
against what is behind them (WCAG 1.4.3, 1.4.11), durations without «0.0» or «about» twice,
and the scale that keeps a control the same size in millimetres on any 21.5" panel."""

from __future__ import annotations

import math

import pytest

from cherha.kiosk.i18n import minutes, tr
from cherha.kiosk.style import CALM, CONTRAST, MIN_TARGET, Theme, screen_scale


def luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", [CALM, CONTRAST], ids=["calm", "high-contrast"])
def test_every_control_and_text_stands_out(theme: Theme) -> None:
    for behind in (theme.background, theme.button_bg, theme.pressed_bg):
        assert ratio(theme.button_border, behind) >= 3, behind  # the control's edge
        assert ratio(theme.focus, behind) >= 3, behind  # the keypad's focus ring
    assert ratio(theme.text, theme.background) >= 4.5
    assert ratio(theme.muted, theme.background) >= 4.5
    assert ratio(theme.button_text, theme.button_bg) >= 4.5
    assert ratio(theme.primary_text, theme.primary_bg) >= 4.5
    assert ratio(theme.banner_text, theme.banner_bg) >= 4.5
    assert ratio(theme.alert_text, theme.alert_bg) >= 4.5
    assert ratio(theme.closed_text, theme.closed_bg) >= 4.5


def test_durations_have_no_decimal_point_and_say_about_once() -> None:
    assert minutes(0.0, "uk") == "менше хвилини"
    assert minutes(0, "en") == "under a minute"
    assert minutes(14.2, "uk") == "≈ 15 хвилин"
    assert minutes(61, "uk") == "≈ 1 год 1 хв"
    wait = tr("service_wait", "uk", minutes=minutes(15, "uk"))
    assert wait == "Очікування ≈ 15 хвилин"  # not «Орієнтовно ≈ …»: «about» once
    assert "About ≈" not in tr("service_wait", "en", minutes=minutes(15, "en"))


@pytest.mark.parametrize(
    ("width", "height"), [(1080, 1920), (1920, 1080), (1280, 1024), (1366, 768), (1280, 800)]
)
def test_a_control_is_at_least_15_mm_on_any_21_inch_panel(width: int, height: int) -> None:
    mm_per_px = 21.5 * 25.4 / math.hypot(width, height)
    scale = screen_scale(width, height, portrait=height > width)
    assert MIN_TARGET * scale * mm_per_px >= 20  # the floor is 15 mm
    assert design_fits(width, height, scale)


def design_fits(width: int, height: int, scale: float) -> bool:
    """The scaled design never needs more than the screen has."""
    long, short = (1920, 1080) if width > height else (1080, 1920)
    return long * scale <= width + 0.5 and short * scale <= height + 0.5
