"""The sounds of the displays: the chimes and the spoken announcements (made by `speech`),
at /audio/chime.wav, /audio/chime-window.wav, /audio/announce and /audio/status."""

from __future__ import annotations

import threading
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from .. import speech
from ..api.deps import BackendDep, ReaderDep
from ..api.errors import error_body
from ..backend import Backend
from ..settings import default_data_dir

router = APIRouter(include_in_schema=False)

WAV_HEADERS = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}

_speaker_lock = threading.Lock()


def speaker_for(be: Backend, request: Request) -> speech.Speaker:
    """The app's one speaker (made on first use: espeak-ng is looked for then)."""
    state = request.app.state
    with _speaker_lock:
        found: speech.Speaker | None = getattr(state, "cherha_speaker", None)
        if found is None:
            s = be.settings
            found = speech.Speaker(
                speech.SpeechConfig(
                    cache_dir=s.speech_cache_dir or default_data_dir() / "audio-cache",
                    clips_dir=s.announcement_clips_dir,
                    espeak=s.espeak_command,
                    rate=s.speech_rate,
                    english=s.announce_english,
                )
            )
            state.cherha_speaker = found
        return found


def _chime(be: Backend, request: Request, kind: Literal["hall", "window"]) -> Response:
    return Response(
        speaker_for(be, request).chime(kind), media_type="audio/wav", headers=WAV_HEADERS
    )


@router.get("/audio/chime.wav")
def hall_chime(be: BackendDep, request: Request) -> Response:
    """The hall's two-tone chime before each announcement."""
    return _chime(be, request, "hall")


@router.get("/audio/chime-window.wav")
def window_chime(be: BackendDep, request: Request) -> Response:
    """The window display's (and the phone's) own chime."""
    return _chime(be, request, "window")


@router.get("/audio/status")
def audio_status(be: BackendDep, request: Request, _who: ReaderDep) -> dict[str, bool]:
    """Which voices this server can speak (for the «no voice» notice)."""
    spk = speaker_for(be, request)
    return {
        "uk": spk.voice_available("uk"),
        "en": spk.voice_available("en"),
        "clips_uk": spk.has_clips("uk"),
        "clips_en": spk.has_clips("en"),
        "english": be.settings.announce_english,
    }


@router.get("/audio/announce")
async def announce(
    request: Request,
    be: BackendDep,
    _who: ReaderDep,
    number: str = "",
    window: str = "",
    lang: str = "uk",
) -> Response:
    """«Талон А пʼятнадцять, вікно три» as audio/wav (made once, then from the cache)."""
    try:
        call = speech.parse_call(number, window)
        language = speech.parse_lang(lang)
    except speech.BadAnnouncement as exc:
        return JSONResponse(error_body("bad_announcement", exc.message, exc.message_en), 400)
    try:
        audio = await speaker_for(be, request).announcement(call, language)
    except speech.VoiceUnavailable:
        return JSONResponse(
            error_body(
                "no_voice",
                "Голосові оголошення недоступні: немає espeak-ng і записаних фрагментів",
                "Spoken announcements are unavailable: no espeak-ng and no recorded clips",
            ),
            503,
        )
    return Response(audio, media_type="audio/wav", headers=WAV_HEADERS)
