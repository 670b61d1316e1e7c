"""A screen's `Content` (kiosk/content.py) as the words read aloud — the same words it shows.

Lines are read in order (a private line — a phone number, a name — only into headphones; an
open loudspeaker says its public stand-in), then the tiles to choose from, then the buttons.
Signs that voices stumble on are said as words.
"""

from __future__ import annotations

from .content import Content, Control
from .i18n import tr

MAX_TILES = 8  # a long list is read in part; the keypad reaches every tile


def sentence(text: str) -> str:
    """A part of the speech as a sentence: a capital first, a full stop last."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…", ":")) else f"{text}."


def voice_friendly(text: str, language: str) -> str:
    """«≈ 15 хвилин» → «близько 15 хвилин»; «·» a comma; arrows and bullets silent."""
    about = "about " if language == "en" else "близько "
    for sign, word in (("≈ ", about), (" · ", ", "), ("·", ","), ("•", ""), ("▏", "")):
        text = text.replace(sign, word)
    return " ".join(text.split())


def control_name(control: Control, language: str) -> str:
    """A control as focus speech says it: «Далі, недоступно» for a disabled one."""
    if control.enabled:
        return control.name
    return f"{control.name}, {tr('unavailable', language)}"


def screen_speech(
    content: Content, top: tuple[Control, ...], language: str, *, private_ok: bool
) -> str:
    """Everything on the screen worth hearing, in the visitor's language."""
    parts: list[str] = []
    for line in content.lines:
        said = line.spoken(private_ok)
        parts += [p for p in said.split("\n") if p.strip()]
    tiles = content.all("tile")
    parts += [control_name(t, language) for t in tiles[:MAX_TILES]]
    if len(tiles) > MAX_TILES:
        parts.append(tr("say_more", language, count=len(tiles) - MAX_TILES))
    if not tiles and content.empty and any(c.slot == "back" for c in content.controls):
        parts.append(content.empty)
    if content.keyboard:
        parts.append(tr("say_keyboard", language))
    buttons = [control_name(c, language) for c in content.controls if c.slot not in ("tile", "key")]
    buttons += [c.name for c in top]
    parts.append(tr("say_buttons", language, buttons=", ".join(buttons)))
    return voice_friendly(" ".join(sentence(p) for p in parts), language)


__all__ = ["MAX_TILES", "control_name", "screen_speech", "sentence", "voice_friendly"]
