"""Spoken announcements for the displays: «Талон А пʼятнадцять, вікно три».

Everything here works offline. The text of a call is built in Ukrainian (and in English where
the centre wants it): the ticket's letters by their names, its digits as words. The sound comes
from recorded clips an administrator supplies (see `CLIP_NAMES` and docs/displays.md) or, when
there are none, from espeak-ng (`-v uk`, `-v en`). Each sound is made once and cached on disk by a
hash of what was said and how, so a call heard before costs a file read. The chimes are
synthesised here with the `wave` module.

Synthesis runs in a worker thread (`Speaker.announcement` is async) so the event loop keeps
serving displays while espeak-ng works.
"""

from __future__ import annotations

from cherha.core.words import (
    APOSTROPHE,
    CYRILLIC_ASCII,
    CYRILLIC_UK,
    EN_NUMBER_WORDS,
    LANGS,
    LATIN_EN,
    LATIN_UK,
    LETTERS,
    MAX_SEQUENCE,
    MAX_WINDOW,
    NUMBER_RE,
    PRIORITY_MARK,
    SAMPLE_RATE,
    UK_NUMBER_WORDS,
    BadAnnouncement,
    Call,
    Lang,
    announcement_text,
    letters_en,
    letters_uk,
    number_parts,
    number_words_en,
    number_words_uk,
    parse_call,
    parse_lang,
)

from .sounds import (
    ClipsError,
    all_clip_names,
    clip_names,
    concatenate,
    hall_chime,
    letter_clip,
    wav_bytes,
    window_chime,
)
from .speaker import (
    CACHE_VERSION,
    Speaker,
    SpeechConfig,
    VoiceUnavailable,
)

__all__ = [
    "APOSTROPHE",
    "CACHE_VERSION",
    "CYRILLIC_ASCII",
    "CYRILLIC_UK",
    "EN_NUMBER_WORDS",
    "LANGS",
    "LATIN_EN",
    "LATIN_UK",
    "LETTERS",
    "MAX_SEQUENCE",
    "MAX_WINDOW",
    "NUMBER_RE",
    "PRIORITY_MARK",
    "SAMPLE_RATE",
    "UK_NUMBER_WORDS",
    "BadAnnouncement",
    "Call",
    "ClipsError",
    "Lang",
    "Speaker",
    "SpeechConfig",
    "VoiceUnavailable",
    "all_clip_names",
    "announcement_text",
    "clip_names",
    "concatenate",
    "hall_chime",
    "letter_clip",
    "letters_en",
    "letters_uk",
    "number_parts",
    "number_words_en",
    "number_words_uk",
    "parse_call",
    "parse_lang",
    "wav_bytes",
    "window_chime",
]
