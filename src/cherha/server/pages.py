"""The web pages the queue server serves: hall display, window display, a ticket on a phone,
and the public booking pages (/book, /book/cancel, the booking's QR code).

The pages are plain HTML templates (cherha/server/web/templates) filled with a small JSON
configuration; the rest is static CSS and vanilla JavaScript (cherha/server/web/static, mounted
at /static) that reads /api/v1/board and the /api/v1/events stream. The announcement sounds
are made here (see speech.py): /audio/announce, /audio/chime.wav, /audio/chime-window.wav.

Where the centre requires display keys (`require_display_key`), /display pages take
`?key=DEVICE_KEY` and hand it on to the API calls, the event stream and the audio; a missing key
gets a 401 page, a wrong one a 403 page. The phone page is always open: its token is its key.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from cherha.core.errors import DomainError

from . import __version__, speech
from .api.deps import BackendDep, ReaderDep
from .api.errors import error_body
from .backend import Backend

WEB = Path(__file__).resolve().parent / "web"
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"

router = APIRouter(include_in_schema=False)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def static_files() -> StaticFiles:
    """The /static mount (CSS, JavaScript)."""
    return StaticFiles(directory=STATIC)


# -- templates ---------------------------------------------------------------------------------

_templates: dict[str, Template] = {}


def _template(name: str) -> Template:
    if name not in _templates:
        _templates[name] = Template((TEMPLATES / name).read_text(encoding="utf-8"))
    return _templates[name]


def _json_for_html(value: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/json"> (no «</script>» breaking out)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(
    name: str, *, status: int = 200, config: dict[str, Any] | None = None, **values: str
) -> HTMLResponse:
    body = _template(name).substitute(
        version=__version__,
        config=_json_for_html(config or {}),
        **{k: html.escape(v) for k, v in values.items()},
    )
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def message_page(
    status: int, title_uk: str, title_en: str, text_uk: str, text_en: str
) -> HTMLResponse:
    return render(
        "message.html",
        status=status,
        title_uk=title_uk,
        title_en=title_en,
        text_uk=text_uk,
        text_en=text_en,
    )


# -- display keys ------------------------------------------------------------------------------


def _key_refusal(be: Backend, key: str | None) -> HTMLResponse | None:
    """None when the display may open; else the page that says why not."""
    if not be.settings.require_display_key:
        return None
    if not key:
        return message_page(
            401,
            "Потрібен ключ дисплея",
            "A display key is needed",
            "Цей центр вимагає ключ пристрою. Відкрийте адресу з ?key=КЛЮЧ "
            "(ключ видає адміністратор: cherha-server add-device НАЗВА --kind display).",
            "This centre requires a device key. Open the address with ?key=KEY "
            "(an administrator makes one: cherha-server add-device NAME --kind display).",
        )
    try:
        be.accounts.resolve(key)
    except DomainError:
        return message_page(
            403,
            "Ключ дисплея не підходить",
            "The display key is not valid",
            "Ключ невідомий або вимкнений. Перевірте адресу або попросіть адміністратора "
            "видати новий ключ.",
            "The key is unknown or disabled. Check the address or ask an administrator "
            "for a new key.",
        )
    return None


KeyQuery = Annotated[str | None, Query(max_length=200)]


def _display_config(be: Backend, key: str | None) -> dict[str, Any]:
    s = be.settings
    spk = be.speaker
    return {
        "key": key if s.require_display_key else None,
        "lastCalls": s.board_last_calls,
        "english": s.announce_english,
        "voice": spk.voice_available("uk"),
        "voiceEn": s.announce_english and spk.voice_available("en"),
        "announceMaxAgeSeconds": 300,
        "version": __version__,
    }


# -- pages -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    """A small page of links (a person who types the server's address lands here)."""
    return render("index.html")


@router.get("/display", response_class=HTMLResponse)
def hall_display(be: BackendDep, key: KeyQuery = None) -> HTMLResponse:
    """The hall display: last calls, announcements, waiting per service, pause banner."""
    refusal = _key_refusal(be, key)
    if refusal is not None:
        return refusal
    return render("hall.html", config=_display_config(be, key))


@router.get("/display/counters/{counter_id}", response_class=HTMLResponse)
def window_display(counter_id: str, be: BackendDep, key: KeyQuery = None) -> HTMLResponse:
    """The small display over one window: the ticket called there, big."""
    refusal = _key_refusal(be, key)
    if refusal is not None:
        return refusal
    number = None
    if counter_id.isascii() and counter_id.isdigit() and len(counter_id) <= 9:
        cid = int(counter_id)
        try:
            branch_id = be.views.counter_branch(cid)
            number = next(
                v.counter.number for v in be.views.counters(branch_id) if v.counter.id == cid
            )
        except (DomainError, StopIteration):
            number = None
    if number is None:
        return message_page(
            404,
            "Такого вікна немає",
            "No such window",
            f"Вікна з номером «{counter_id[:20]}» немає. Перевірте адресу дисплея.",
            f"There is no window with id '{counter_id[:20]}'. Check the display's address.",
        )
    config = _display_config(be, key) | {"counterId": cid, "counterNumber": number}
    return render("counter.html", config=config, counter_number=str(number))


@router.get("/t/{public_token}", response_class=HTMLResponse)
def ticket_page(public_token: str, be: BackendDep) -> HTMLResponse:
    """A ticket on a visitor's phone (the QR code on the ticket): number, place, the call."""
    view = None
    if 8 <= len(public_token) <= 64 and public_token.isascii():
        view = be.views.ticket(public_token)
    if view is None:
        return message_page(
            404,
            "Талон не знайдено",
            "Ticket not found",
            "Перевірте посилання або QR-код на талоні. Талони дійсні лише в день видачі.",
            "Check the link or the QR code on your ticket. Tickets are valid on the day issued.",
        )
    config = {
        "token": public_token,
        # Phones hold no device key: where keys are required they follow the ticket by polling.
        "stream": not be.settings.require_display_key,
        "version": __version__,
    }
    return render("ticket.html", config=config, number=view.ticket.number)


# -- booking -----------------------------------------------------------------------------------


def _booking_config(be: Backend) -> dict[str, Any] | None:
    """What the booking page needs up front: the centre, its bookable services, the rules."""
    from sqlalchemy import select

    from .store.models import Branch, Service

    with be.db.read() as session:
        branch = session.scalars(select(Branch).order_by(Branch.id).limit(1)).first()
        if branch is None:
            return None
        services = session.scalars(
            select(Service)
            .where(
                Service.branch_id == branch.id,
                Service.active.is_(True),
                Service.bookable.is_(True),
            )
            .order_by(Service.position, Service.id)
        ).all()
        return {
            "branchUk": branch.name_uk,
            "branchEn": branch.name_en or branch.name_uk,
            "services": [
                {
                    "id": s.id,
                    "uk": s.name_uk,
                    "en": s.name_en or s.name_uk,
                    "groupUk": s.group_uk,
                    "groupEn": s.group_en or s.group_uk,
                }
                for s in services
            ],
            "early": branch.check_in_early_minutes,
            "late": branch.check_in_late_minutes,
            "quota": branch.booking_monthly_quota,
            "version": __version__,
        }


def _no_centre() -> HTMLResponse:
    return message_page(
        503,
        "Запис ще не налаштовано",
        "Booking is not set up yet",
        "Центр ще не налаштовано. Спробуйте пізніше або зателефонуйте до центру.",
        "The centre is not set up yet. Try again later or call the centre.",
    )


@router.get("/book", response_class=HTMLResponse)
def book_page(be: BackendDep) -> HTMLResponse:
    """Book a visit on a phone: service → day → time → name and phone → the code and a QR."""
    config = _booking_config(be)
    if config is None:
        return _no_centre()
    return render("book.html", config=config | {"mode": "book"}, quota=str(config["quota"]))


@router.get("/book/cancel", response_class=HTMLResponse)
def book_cancel_page(be: BackendDep) -> HTMLResponse:
    """Cancel a booking with its code and the phone number."""
    config = _booking_config(be)
    if config is None:
        return _no_centre()
    return render("book-cancel.html", config=config | {"mode": "cancel"})


@router.get("/book/qr/{name}")
def booking_qr(name: str) -> Response:
    """The booking's code as a QR code (PNG), made here: the kiosk scans it to check in."""
    from cherha.core.booking_rules import format_code, parse_code

    code = parse_code(name.removesuffix(".png")) if name.endswith(".png") else None
    if code is None:
        return JSONResponse(
            error_body("not_found", "Такого коду запису немає", "No such booking code"), 404
        )
    return Response(
        _qr_png(format_code(code)),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


def _qr_png(text: str) -> bytes:
    import io

    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


# -- sounds ------------------------------------------------------------------------------------

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
