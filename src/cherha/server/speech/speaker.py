"""The speaker: clips or espeak-ng, cached on disk, run off the event loop."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cherha.core.words import APOSTROPHE, SAMPLE_RATE, Call, Lang, announcement_text

from .sounds import ClipsError, clip_names, concatenate, hall_chime, wav_bytes, window_chime

log = logging.getLogger(__name__)

CACHE_VERSION = "1"

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
