"""The sounds of the displays: the chimes and the spoken announcements (made by `speech`),
at /audio/chime.wav, /audio/chime-window.wav, /audio/announce and /audio/status."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from .. import speech
from ..api.deps import BackendDep, ReaderDep
from ..api.errors import error_body
from ..backend import Backend

router = APIRouter(include_in_schema=False)

WAV_HEADERS = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}


def _chime(be: Backend, kind: Literal["hall", "window"]) -> Response:
    return Response(be.speaker.chime(kind), media_type="audio/wav", headers=WAV_HEADERS)


@router.get("/audio/chime.wav")
def hall_chime(be: BackendDep) -> Response:
    """The hall's two-tone chime before each announcement."""
    return _chime(be, "hall")


@router.get("/audio/chime-window.wav")
def window_chime(be: BackendDep) -> Response:
    """The window display's (and the phone's) own chime."""
    return _chime(be, "window")


@router.get("/audio/status")
def audio_status(be: BackendDep, _who: ReaderDep) -> dict[str, bool]:
    """Which voices this server can speak (for the «no voice» notice)."""
    spk = be.speaker
    return {
        "uk": spk.voice_available("uk"),
        "en": spk.voice_available("en"),
        "clips_uk": spk.has_clips("uk"),
        "clips_en": spk.has_clips("en"),
        "english": be.settings.announce_english,
    }


@router.get("/audio/announce")
async def announce(
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
        audio = await be.speaker.announcement(call, language)
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
