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

import asyncio
import hashlib
import io
import logging
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

Lang = Literal["uk", "en"]
LANGS: tuple[Lang, ...] = ("uk", "en")

PRIORITY_MARK = "П"
APOSTROPHE = "\u02bc"  # «ʼ», the Ukrainian apostrophe (пʼять)
SAMPLE_RATE = 22050  # what espeak-ng writes; clips and chimes use it too
MAX_SEQUENCE = 9999
MAX_WINDOW = 999
CACHE_VERSION = "1"

# -- numbers as words --------------------------------------------------------------------------

_UK_UNITS = [
    "нуль",
    "один",
    "два",
    "три",
    "чотири",
    "пʼять",
    "шість",
    "сім",
    "вісім",
    "девʼять",
    "десять",
    "одинадцять",
    "дванадцять",
    "тринадцять",
    "чотирнадцять",
    "пʼятнадцять",
    "шістнадцять",
    "сімнадцять",
    "вісімнадцять",
    "девʼятнадцять",
]
_UK_TENS = {
    20: "двадцять",
    30: "тридцять",
    40: "сорок",
    50: "пʼятдесят",
    60: "шістдесят",
    70: "сімдесят",
    80: "вісімдесят",
    90: "девʼяносто",
}
_UK_HUNDREDS = {
    100: "сто",
    200: "двісті",
    300: "триста",
    400: "чотириста",
    500: "пʼятсот",
    600: "шістсот",
    700: "сімсот",
    800: "вісімсот",
    900: "девʼятсот",
}
_UK_THOUSANDS = {
    1000: "одна тисяча",
    2000: "дві тисячі",
    3000: "три тисячі",
    4000: "чотири тисячі",
    5000: "пʼять тисяч",
    6000: "шість тисяч",
    7000: "сім тисяч",
    8000: "вісім тисяч",
    9000: "девʼять тисяч",
}
UK_NUMBER_WORDS: dict[int, str] = {
    **dict(enumerate(_UK_UNITS)),
    **_UK_TENS,
    **_UK_HUNDREDS,
    **_UK_THOUSANDS,
}
"""Every part a number 0..9999 is said with: one clip each when clips are recorded."""

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_NUMBER_WORDS: dict[int, str] = {
    **dict(enumerate(_EN_UNITS)),
    **{(i + 2) * 10: w for i, w in enumerate(_EN_TENS)},
    **{h * 100: f"{_EN_UNITS[h]} hundred" for h in range(1, 10)},
    **{t * 1000: f"{_EN_UNITS[t]} thousand" for t in range(1, 10)},
}


def number_parts(n: int) -> list[int]:
    """The parts a number is said in, largest first: 2021 → [2000, 20, 1]; 15 → [15]; 0 → [0]."""
    if not 0 <= n <= MAX_SEQUENCE:
        raise ValueError(f"number out of range 0..{MAX_SEQUENCE}: {n}")
    if n == 0:
        return [0]
    parts: list[int] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        parts.append(thousands * 1000)
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        parts.append(hundreds * 100)
    if rest >= 20:
        tens, rest = divmod(rest, 10)
        parts.append(tens * 10)
    if rest:
        parts.append(rest)
    return parts


def number_words_uk(n: int) -> str:
    """A number 0..9999 in Ukrainian words: 15 → «пʼятнадцять», 101 → «сто один»."""
    return " ".join(UK_NUMBER_WORDS[p] for p in number_parts(n))


def number_words_en(n: int) -> str:
    """A number 0..9999 in English words: 101 → «one hundred one»."""
    return " ".join(EN_NUMBER_WORDS[p] for p in number_parts(n))


# -- letters -----------------------------------------------------------------------------------

# Latin letters as Ukrainian names them (school and maths usage); Cyrillic ones by their names.
LATIN_UK = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "а",
            "бе",
            "це",
            "де",
            "е",
            "еф",
            "ге",
            "аш",
            "і",
            "йот",
            "ка",
            "ель",
            "ем",
            "ен",
            "о",
            "пе",
            "ку",
            "ер",
            "ес",
            "те",
            "у",
            "ве",
            "дубль-ве",
            "ікс",
            "ігрек",
            "зет",
        ],
        strict=True,
    )
)
CYRILLIC_UK = dict(
    zip(
        "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
        [
            "а",
            "бе",
            "ве",
            "ге",
            "ґе",
            "де",
            "е",
            "є",
            "же",
            "зе",
            "и",
            "і",
            "ї",
            "йот",
            "ка",
            "ел",
            "ем",
            "ен",
            "о",
            "пе",
            "ер",
            "ес",
            "те",
            "у",
            "еф",
            "ха",
            "це",
            "че",
            "ша",
            "ща",
            "мʼякий-знак",
            "ю",
            "я",
        ],
        strict=True,
    )
)
# ASCII names for the clip files of Cyrillic letters (cyr-zh.wav …).
CYRILLIC_ASCII = dict(
    zip(
        "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "ye",
            "zh",
            "z",
            "y",
            "i",
            "yi",
            "j",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "soft",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
LATIN_EN = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "ay",
            "bee",
            "see",
            "dee",
            "ee",
            "ef",
            "gee",
            "aitch",
            "eye",
            "jay",
            "kay",
            "el",
            "em",
            "en",
            "oh",
            "pee",
            "cue",
            "ar",
            "ess",
            "tee",
            "you",
            "vee",
            "double-you",
            "ex",
            "why",
            "zed",
        ],
        strict=True,
    )
)
LETTERS = set(LATIN_UK) | set(CYRILLIC_UK)

NUMBER_RE = re.compile(r"^(П?)((?!П)[A-ZА-ЩЬЮЯЄІЇҐ]{1,3})([0-9]{1,4})$")
"""«A015», «ПA003»: a prefix never starts with «П», the priority mark (core.numbering)."""


class BadAnnouncement(ValueError):
    """An announcement request that makes no sense; the message is for a person."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class Call:
    """A call as it is heard: priority mark, the prefix letters, the sequence, the window."""

    priority: bool
    letters: str
    sequence: int
    window: int

    @property
    def number(self) -> str:
        return f"{PRIORITY_MARK if self.priority else ''}{self.letters}{self.sequence:03d}"


def parse_call(number: str, window: str | int) -> Call:
    """Validate a ticket number («A015», «ПA003») and a window number (1..999) strictly."""
    number = number.strip()
    match = NUMBER_RE.match(number) if len(number) <= 8 else None
    if match is None:
        raise BadAnnouncement(
            f"Номер талона «{number[:20]}» не схожий на номер талона (напр. A015 або ПA003)",
            f"'{number[:20]}' is not a ticket number (e.g. A015 or ПA003)",
        )
    mark, letters, digits = match.groups()
    sequence = int(digits)
    if sequence < 1:
        raise BadAnnouncement(
            "Номер талона починається з 1", "Ticket numbers start at 1 (e.g. A001)"
        )
    text = str(window).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= MAX_WINDOW):
        raise BadAnnouncement(
            f"Номер вікна має бути числом від 1 до {MAX_WINDOW}",
            f"The window must be a number from 1 to {MAX_WINDOW}",
        )
    return Call(
        priority=mark == PRIORITY_MARK, letters=letters, sequence=sequence, window=int(text)
    )


def parse_lang(lang: str) -> Lang:
    if lang == "uk":
        return "uk"
    if lang == "en":
        return "en"
    raise BadAnnouncement(
        "Мова оголошення: uk або en", "The announcement language must be uk or en"
    )


def letters_uk(letters: str) -> str:
    return " ".join(
        LATIN_UK[ch] if ch in LATIN_UK else CYRILLIC_UK[ch] for ch in letters
    ).capitalize()


def letters_en(letters: str) -> str:
    spelled: list[str] = []
    for ch in letters:
        if ch in LATIN_EN:
            spelled.append(LATIN_EN[ch])
        else:  # a Cyrillic prefix: spell its transliteration
            spelled.extend(LATIN_EN[c.upper()] for c in CYRILLIC_ASCII[ch] if c.upper() in LATIN_EN)
    return " ".join(spelled)


def announcement_text(call: Call, lang: Lang) -> str:
    """What is said: «Пільговий талон А пʼятнадцять, вікно три.» / «Ticket ay 15, window 3.»"""
    if lang == "uk":
        head = "Пільговий талон" if call.priority else "Талон"
        return (
            f"{head} {letters_uk(call.letters)} {number_words_uk(call.sequence)}, "
            f"вікно {number_words_uk(call.window)}."
        )
    head = "Priority ticket" if call.priority else "Ticket"
    return (
        f"{head} {letters_en(call.letters)} {number_words_en(call.sequence)}, "
        f"window {number_words_en(call.window)}."
    )


# -- recorded clips ----------------------------------------------------------------------------


def letter_clip(ch: str) -> str:
    if ch in LATIN_UK:
        return f"latin-{ch.lower()}.wav"
    return f"cyr-{CYRILLIC_ASCII[ch]}.wav"


def clip_names(call: Call) -> list[str]:
    """The clip files that say this call, in order (silence goes between them)."""
    names = ["priority-ticket.wav" if call.priority else "ticket.wav"]
    names += [letter_clip(ch) for ch in call.letters]
    names += [f"n-{p}.wav" for p in number_parts(call.sequence)]
    names += ["window.wav"]
    names += [f"n-{p}.wav" for p in number_parts(call.window)]
    return names


def all_clip_names() -> list[str]:
    """Every file a complete clips folder (per language) has; documented in docs/displays.md."""
    names = ["ticket.wav", "priority-ticket.wav", "window.wav"]
    names += [f"latin-{ch.lower()}.wav" for ch in LATIN_UK]
    names += [f"cyr-{CYRILLIC_ASCII[ch]}.wav" for ch in CYRILLIC_UK]
    names += [f"n-{n}.wav" for n in sorted(UK_NUMBER_WORDS)]
    return names


class ClipsError(RuntimeError):
    pass


def concatenate(paths: Iterable[Path], gap_ms: int = 90) -> bytes:
    """One WAV from several of the same format, with a short silence between them."""
    params: tuple[int, int, int] | None = None
    chunks: list[bytes] = []
    for path in paths:
        if not path.is_file():
            raise ClipsError(f"missing clip {path}")
        try:
            with wave.open(str(path), "rb") as clip:
                these = (clip.getnchannels(), clip.getsampwidth(), clip.getframerate())
                frames = clip.readframes(clip.getnframes())
        except (wave.Error, EOFError) as exc:
            raise ClipsError(f"not a PCM WAV file: {path} ({exc})") from exc
        if params is None:
            params = these
        elif these != params:
            raise ClipsError(
                f"{path} has channels/width/rate {these}, the first clip {params}: "
                "record all clips in one format"
            )
        if chunks:
            channels, width, rate = params
            chunks.append(b"\x00" * (rate * gap_ms // 1000) * channels * width)
        chunks.append(frames)
    if params is None:
        raise ClipsError("no clips")
    channels, width, rate = params
    return wav_bytes(b"".join(chunks), channels=channels, width=width, rate=rate)


def wav_bytes(
    frames: bytes, *, channels: int = 1, width: int = 2, rate: int = SAMPLE_RATE
) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


# -- chimes ------------------------------------------------------------------------------------


def _tones(notes: list[tuple[float, float, float]], total: float, volume: float = 0.5) -> bytes:
    """Bell-like tones (start s, frequency Hz, decay s) mixed into 16-bit mono PCM."""
    n = int(total * SAMPLE_RATE)
    mix = [0.0] * n
    for start, freq, decay in notes:
        first = int(start * SAMPLE_RATE)
        for i in range(first, n):
            t = (i - first) / SAMPLE_RATE
            attack = min(1.0, t / 0.008)
            envelope = attack * math.exp(-t / decay)
            if envelope < 1e-4 and t > 0.05:
                break
            w = 2 * math.pi * freq * t
            mix[i] += envelope * (
                math.sin(w) + 0.35 * math.sin(2 * w) + 0.12 * math.sin(3 * w) * math.exp(-t / 0.1)
            )
    peak = max(1e-9, max(abs(v) for v in mix))
    fade = int(0.02 * SAMPLE_RATE)
    samples = []
    for i, v in enumerate(mix):
        tail = min(1.0, (n - i) / fade)
        samples.append(int(32767 * volume * tail * v / peak))
    return wav_bytes(struct.pack(f"<{n}h", *samples))


def hall_chime() -> bytes:
    """The hall's two-tone «ding-dong» (E5 then C5), about 1.5 s."""
    return _tones([(0.0, 659.25, 0.45), (0.45, 523.25, 0.55)], total=1.6)


def window_chime() -> bytes:
    """The window display's own short rising triad (C5 E5 G5), about 1 s."""
    return _tones([(0.0, 523.25, 0.25), (0.16, 659.25, 0.25), (0.32, 783.99, 0.4)], total=1.1)


# -- the speaker -------------------------------------------------------------------------------


class VoiceUnavailable(RuntimeError):
    """Neither clips nor espeak-ng can say this; the page shows a «no voice» notice."""


@dataclass(frozen=True)
class SpeechConfig:
    cache_dir: Path
    clips_dir: Path | None = None
    espeak: str = "espeak-ng"
    voice_uk: str = "uk"
    voice_en: str = "en"
    rate: int = 140
    english: bool = False
    max_cache_files: int = 5000


class Speaker:
    """Makes and caches the announcement sounds of one server."""

    def __init__(self, config: SpeechConfig) -> None:
        self.config = config
        self._espeak = shutil.which(config.espeak)
        self._make_lock = threading.Lock()
        self._chimes: dict[str, bytes] = {}
        self.synth_runs = 0
        if self._espeak is None:
            log.warning(
                "espeak-ng (%r) not found: calls are shown and chimed but not spoken "
                "unless recorded clips are configured",
                config.espeak,
            )

    # what can be said
    def has_clips(self, lang: Lang) -> bool:
        return self.config.clips_dir is not None and (self.config.clips_dir / lang).is_dir()

    def voice_available(self, lang: Lang) -> bool:
        return self._espeak is not None or self.has_clips(lang)

    def chime(self, kind: Literal["hall", "window"]) -> bytes:
        if kind not in self._chimes:
            recorded = (
                self.config.clips_dir / f"chime-{kind}.wav" if self.config.clips_dir else None
            )
            if recorded is not None and recorded.is_file():
                self._chimes[kind] = recorded.read_bytes()
            else:
                self._chimes[kind] = hall_chime() if kind == "hall" else window_chime()
        return self._chimes[kind]

    async def announcement(self, call: Call, lang: Lang) -> bytes:
        """The WAV saying this call (made in a worker thread, then cached)."""
        return await asyncio.to_thread(self.announcement_sync, call, lang)

    def announcement_sync(self, call: Call, lang: Lang) -> bytes:
        text = announcement_text(call, lang)
        if self.has_clips(lang):
            try:
                return self._cached(self._clips_key(call, lang), lambda: self._clips(call, lang))
            except ClipsError as exc:
                log.warning("announcement clips unusable, falling back to espeak-ng: %s", exc)
        if self._espeak is None:
            raise VoiceUnavailable(text)
        voice = self.config.voice_uk if lang == "uk" else self.config.voice_en
        return self._cached(
            f"espeak|{voice}|{self.config.rate}|{text}", lambda: self._synth(text, voice)
        )

    # cache
    def cache_path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{CACHE_VERSION}|{key}".encode()).hexdigest()
        return self.config.cache_dir / f"{digest[:40]}.wav"

    def _cached(self, key: str, make: Callable[[], bytes]) -> bytes:
        path = self.cache_path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        with self._make_lock:  # one synthesis at a time: the displays need little, quickly
            try:
                return path.read_bytes()
            except FileNotFoundError:
                pass
            data = make()
            self.config.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.config.cache_dir, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        self._prune()
        return data

    def _prune(self) -> None:
        files = list(self.config.cache_dir.glob("*.wav"))
        if len(files) <= self.config.max_cache_files:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for old in files[: len(files) - self.config.max_cache_files]:
            old.unlink(missing_ok=True)

    def _clips_key(self, call: Call, lang: Lang) -> str:
        """The clips a call needs, with their sizes and times: a re-recorded clip is used at once."""
        assert self.config.clips_dir is not None
        parts = []
        for name in clip_names(call):
            try:
                st = (self.config.clips_dir / lang / name).stat()
            except OSError as exc:
                raise ClipsError(f"missing clip {lang}/{name}") from exc
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        return f"clips|{lang}|{','.join(parts)}"

    # makers
    def _clips(self, call: Call, lang: Lang) -> bytes:
        assert self.config.clips_dir is not None
        folder = self.config.clips_dir / lang
        return concatenate(folder / name for name in clip_names(call))

    def _synth(self, text: str, voice: str) -> bytes:
        assert self._espeak is not None
        self.synth_runs += 1
        spoken = text.replace(APOSTROPHE, "'").replace("-", " ")
        try:
            result = subprocess.run(
                [self._espeak, "-v", voice, "-s", str(self.config.rate), "--stdout", spoken],
                capture_output=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("espeak-ng failed to run: %s", exc)
            raise VoiceUnavailable(text) from exc
        if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
            log.error(
                "espeak-ng exited with %s: %s", result.returncode, result.stderr.decode()[:300]
            )
            raise VoiceUnavailable(text)
        return _fix_stream_header(result.stdout)


def _fix_stream_header(data: bytes) -> bytes:
    """espeak-ng --stdout writes 0xFFFFFFFF sizes (it cannot seek); rewrite a proper header."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            params = (w.getnchannels(), w.getsampwidth(), w.getframerate())
    except (wave.Error, EOFError):
        params = (1, 2, SAMPLE_RATE)
    # The PCM data starts after the "data" chunk header.
    at = data.find(b"data")
    frames = data[at + 8 :] if at >= 0 else b""
    channels, width, rate = params
    frames = frames[: len(frames) - len(frames) % (channels * width)]
    return wav_bytes(frames, channels=channels, width=width, rate=rate)
