"""Sounds made without a voice: recorded clips joined into one WAV, the chimes."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Iterable
from pathlib import Path

from cherha.core.words import (
    CYRILLIC_ASCII,
    CYRILLIC_UK,
    LATIN_UK,
    SAMPLE_RATE,
    UK_NUMBER_WORDS,
    Call,
    number_parts,
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
