"""Looks: a calm light theme and a high-contrast, large-text one (yellow and white on black),
sized for whatever screen the kiosk runs on.

Sizes are designed in pixels for a 1920 × 1080 screen (or 1080 × 1920 upright) and scaled by
`screen_scale` to the real one, so a 21.5" panel of 1280 × 800 shows the same layout in the
same millimetres as a 21.5" panel of 1920 × 1080 (its pixels are bigger). 96 design pixels
are 24 mm on a 21.5" 1080p panel, well above the 15 mm touch-target floor.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "DejaVu Sans"
MIN_TARGET = 96  # design px: every touch target is at least this high and wide
CORNER = 160  # design px: the hidden administrator corner (top left)
DESIGN_LONG, DESIGN_SHORT = 1920, 1080


def screen_scale(width: int, height: int, portrait: bool) -> float:
    """How much larger or smaller than the design a screen of width × height shows things."""
    if portrait:
        return min(width / DESIGN_SHORT, height / DESIGN_LONG)
    return min(width / DESIGN_LONG, height / DESIGN_SHORT)


@dataclass(frozen=True, slots=True)
class Theme:
    background: str
    text: str
    muted: str
    primary_bg: str
    primary_text: str
    button_bg: str
    button_text: str
    button_border: str
    pressed_bg: str
    closed_bg: str
    closed_text: str
    banner_bg: str
    banner_text: str
    alert_bg: str
    alert_text: str
    focus: str
    scale: float


CALM = Theme(
    background="#F3F5F7",
    text="#14202E",
    muted="#46515E",
    primary_bg="#0A58A8",
    primary_text="#FFFFFF",
    button_bg="#FFFFFF",
    button_text="#14202E",
    button_border="#6B7785",  # 4.2:1 on the background, 3.5:1 on a pressed button (WCAG 1.4.11)
    pressed_bg="#D5E4F5",
    closed_bg="#E4E7EB",
    closed_text="#4E5864",
    banner_bg="#FFF1C2",
    banner_text="#4A3000",
    alert_bg="#8A1C1C",
    alert_text="#FFFFFF",
    focus="#C2410C",
    scale=1.0,
)

CONTRAST = Theme(
    background="#000000",
    text="#FFFFFF",
    muted="#FFFFFF",
    primary_bg="#FFE500",
    primary_text="#000000",
    button_bg="#000000",
    button_text="#FFE500",
    button_border="#FFE500",
    pressed_bg="#333300",
    closed_bg="#000000",
    closed_text="#BFBFBF",
    banner_bg="#FFE500",
    banner_text="#000000",
    alert_bg="#000000",
    alert_text="#FFE500",
    focus="#00E5FF",
    scale=1.3,
)

# role -> base font size in design px (scaled by the screen and the theme)
SIZES = {
    "body": 32,
    "note": 28,
    "title": 50,
    "subtitle": 38,
    "button": 34,
    "primary": 42,
    "top": 28,
    "card_title": 34,
    "card_detail": 27,
    "number": 230,
    "code": 150,  # a booking code «ABC-DEF»: seven wide characters must fit 1080 px
    "pin": 64,
    "entry": 60,  # what is typed on an on-screen keyboard
    "key": 40,
    "key_word": 26,
    "count": 96,  # the «still here?» seconds
}
NO_THEME_SCALE = ("number", "code", "count")  # already as large as the screen allows


@dataclass(frozen=True, slots=True)
class Metrics:
    """The screen's scale and the look's, for sizes set in code (heights, margins, the QR)."""

    screen: float = 1.0
    look: float = 1.0

    def px(self, design: float) -> int:
        """A layout size (margin, spacing, height) on this screen."""
        return max(1, round(design * self.screen))

    def text_px(self, role: str) -> int:
        look = 1.0 if role in NO_THEME_SCALE else self.look
        return max(8, round(SIZES[role] * self.screen * look))

    @property
    def target(self) -> int:
        return self.px(MIN_TARGET)


def stylesheet(theme: Theme, metrics: Metrics | None = None) -> str:
    t = theme
    m = metrics or Metrics(1.0, theme.scale)

    def f(role: str) -> str:
        return f"font-size: {m.text_px(role)}px;"

    border = m.px(3)
    radius = m.px(16)
    focus = max(4, m.px(7))
    bar = m.target  # a scroll bar is a touch target too (15 mm at least)
    return f"""
    QWidget#kiosk {{ background: {t.background}; }}
    QWidget {{ color: {t.text}; font-family: "{FONT_FAMILY}"; {f("body")} }}
    QLabel[role="title"] {{ {f("title")} font-weight: bold; }}
    QLabel[role="subtitle"] {{ {f("subtitle")} font-weight: bold; }}
    QLabel[role="note"] {{ {f("note")} color: {t.muted}; }}
    QLabel[role="top"] {{ {f("top")} font-weight: bold; }}
    QLabel[role="number"] {{ {f("number")} font-weight: bold; }}
    QLabel[role="count"] {{ {f("count")} font-weight: bold; }}
    QLabel[role="pin"] {{ {f("pin")} font-weight: bold; letter-spacing: {m.px(12)}px; }}
    QLabel[role="code"] {{ {f("code")} font-weight: bold; }}
    QLabel[role="entry"] {{ {f("entry")} font-weight: bold; background: {t.button_bg};
        color: {t.button_text}; border: {border}px solid {t.button_border};
        border-radius: {m.px(12)}px; padding: {m.px(6)}px {m.px(16)}px; }}
    QLabel[role="banner"] {{ {f("body")} background: {t.banner_bg}; color: {t.banner_text};
        border: {border}px solid {t.banner_text}; border-radius: {m.px(12)}px;
        padding: {m.px(14)}px; font-weight: bold; }}
    QLabel[role="alert"] {{ {f("subtitle")} background: {t.alert_bg}; color: {t.alert_text};
        border: {border}px solid {t.alert_text}; border-radius: {m.px(12)}px;
        padding: {m.px(20)}px; font-weight: bold; }}
    QPushButton {{ {f("button")} background: {t.button_bg}; color: {t.button_text};
        border: {border}px solid {t.button_border}; border-radius: {radius}px;
        padding: {m.px(8)}px {m.px(24)}px; }}
    QPushButton:pressed, QPushButton:checked {{ background: {t.pressed_bg}; }}
    QPushButton[role="primary"] {{ {f("primary")} background: {t.primary_bg};
        color: {t.primary_text}; border-color: {t.primary_bg}; font-weight: bold; }}
    QPushButton[role="top"] {{ {f("top")} padding: {m.px(6)}px {m.px(16)}px; }}
    QPushButton[role="key"] {{ {f("key")} font-weight: bold; padding: {m.px(2)}px; }}
    QPushButton[role="key_word"] {{ {f("key_word")} font-weight: bold; padding: {m.px(2)}px; }}
    QPushButton:disabled {{ background: {t.closed_bg}; color: {t.closed_text};
        border-color: {t.closed_bg}; }}
    QFrame[role="card"] {{ background: {t.button_bg}; border: {border}px solid {t.button_border};
        border-radius: {radius}px; }}
    QFrame[role="card"][closed="true"] {{ background: {t.closed_bg}; border-style: dashed; }}
    QFrame[role="card"][down="true"] {{ background: {t.pressed_bg}; }}
    QPushButton[focused="true"], QFrame[role="card"][focused="true"] {{
        border: {focus}px solid {t.focus}; }}
    QLabel[role="card_title"] {{ {f("card_title")} font-weight: bold; color: {t.button_text};
        background: transparent; border: none; }}
    QLabel[role="card_detail"] {{ {f("card_detail")} color: {t.button_text};
        background: transparent; border: none; }}
    QFrame[closed="true"] QLabel {{ color: {t.closed_text}; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
    QScrollBar:vertical {{ width: {bar}px; background: {t.background};
        border: {border}px solid {t.button_border}; border-radius: {m.px(10)}px; }}
    QScrollBar::handle:vertical {{ background: {t.button_border}; border-radius: {m.px(8)}px;
        min-height: {bar}px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    """


def theme_for(high_contrast: bool) -> Theme:
    return CONTRAST if high_contrast else CALM


__all__ = [
    "CALM",
    "CONTRAST",
    "CORNER",
    "FONT_FAMILY",
    "MIN_TARGET",
    "SIZES",
    "Metrics",
    "Theme",
    "screen_scale",
    "stylesheet",
    "theme_for",
]
