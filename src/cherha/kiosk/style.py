"""Looks: a calm light theme and a high-contrast, large-text one (yellow and white on black).

Sizes are pixels for a 1080-pixel short side (a 21–24" touch screen at 1080p, ~0.25 mm a
pixel): 96 px is 24 mm, well above the 15 mm (88 px) touch-target floor.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "DejaVu Sans"
MIN_TARGET = 96  # px: every touch target is at least this high and wide
CORNER = 160  # px: the hidden administrator corner (top left)


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
    scale: float


CALM = Theme(
    background="#F3F5F7",
    text="#14202E",
    muted="#46515E",
    primary_bg="#0A58A8",
    primary_text="#FFFFFF",
    button_bg="#FFFFFF",
    button_text="#14202E",
    button_border="#8593A3",
    pressed_bg="#D5E4F5",
    closed_bg="#E4E7EB",
    closed_text="#4E5864",
    banner_bg="#FFF1C2",
    banner_text="#4A3000",
    alert_bg="#8A1C1C",
    alert_text="#FFFFFF",
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
    scale=1.3,
)

# role -> base font size in px (scaled by the theme)
SIZES = {
    "body": 32,
    "note": 28,
    "title": 54,
    "subtitle": 40,
    "button": 36,
    "primary": 44,
    "top": 28,
    "card_title": 36,
    "card_detail": 28,
    "number": 230,
    "code": 150,  # a booking code «ABC-DEF»: seven wide characters must fit 1080 px
    "pin": 64,
    "entry": 64,  # what is typed on an on-screen keyboard
    "key": 40,
    "key_word": 28,
}


def px(role: str, theme: Theme) -> int:
    if role in ("number", "code"):  # already as large as the screen allows
        return SIZES[role]
    return round(SIZES[role] * theme.scale)


def stylesheet(theme: Theme) -> str:
    t = theme

    def f(role: str) -> str:
        return f"font-size: {px(role, t)}px;"

    return f"""
    QWidget#kiosk {{ background: {t.background}; }}
    QWidget {{ color: {t.text}; font-family: "{FONT_FAMILY}"; {f("body")} }}
    QLabel[role="title"] {{ {f("title")} font-weight: bold; }}
    QLabel[role="subtitle"] {{ {f("subtitle")} font-weight: bold; }}
    QLabel[role="note"] {{ {f("note")} color: {t.muted}; }}
    QLabel[role="top"] {{ {f("top")} font-weight: bold; }}
    QLabel[role="number"] {{ {f("number")} font-weight: bold; }}
    QLabel[role="pin"] {{ {f("pin")} font-weight: bold; letter-spacing: 12px; }}
    QLabel[role="code"] {{ {f("code")} font-weight: bold; }}
    QLabel[role="entry"] {{ {f("entry")} font-weight: bold; background: {t.button_bg};
        color: {t.button_text}; border: 3px solid {t.button_border}; border-radius: 12px;
        padding: 8px 16px; }}
    QLabel[role="banner"] {{ {f("body")} background: {t.banner_bg}; color: {t.banner_text};
        border: 3px solid {t.banner_text}; border-radius: 12px; padding: 18px; font-weight: bold; }}
    QLabel[role="alert"] {{ {f("subtitle")} background: {t.alert_bg}; color: {t.alert_text};
        border: 3px solid {t.alert_text}; border-radius: 12px; padding: 24px; font-weight: bold; }}
    QPushButton {{ {f("button")} background: {t.button_bg}; color: {t.button_text};
        border: 3px solid {t.button_border}; border-radius: 16px; padding: 12px 28px; }}
    QPushButton:pressed, QPushButton:checked {{ background: {t.pressed_bg}; }}
    QPushButton[role="primary"] {{ {f("primary")} background: {t.primary_bg};
        color: {t.primary_text}; border-color: {t.primary_bg}; font-weight: bold; }}
    QPushButton[role="top"] {{ {f("top")} padding: 8px 20px; }}
    QPushButton[role="key"] {{ {f("key")} font-weight: bold; padding: 4px 6px; }}
    QPushButton[role="key_word"] {{ {f("key_word")} font-weight: bold; padding: 4px 6px; }}
    QPushButton:disabled {{ background: {t.closed_bg}; color: {t.closed_text};
        border-color: {t.closed_bg}; }}
    QFrame[role="card"] {{ background: {t.button_bg}; border: 3px solid {t.button_border};
        border-radius: 16px; }}
    QFrame[role="card"][closed="true"] {{ background: {t.closed_bg}; border-style: dashed; }}
    QFrame[role="card"][down="true"] {{ background: {t.pressed_bg}; }}
    QLabel[role="card_title"] {{ {f("card_title")} font-weight: bold; color: {t.button_text};
        background: transparent; border: none; }}
    QLabel[role="card_detail"] {{ {f("card_detail")} color: {t.button_text};
        background: transparent; border: none; }}
    QFrame[closed="true"] QLabel {{ color: {t.closed_text}; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
    QScrollBar:vertical {{ width: 28px; background: {t.background}; }}
    QScrollBar::handle:vertical {{ background: {t.button_border}; border-radius: 10px;
        min-height: 80px; }}
    """


def theme_for(high_contrast: bool) -> Theme:
    return CONTRAST if high_contrast else CALM
