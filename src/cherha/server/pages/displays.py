"""The hall display (/display) and the window display (/display/counters/{id}).

Both start from a small JSON configuration: the display key (where the centre requires one),
the voices, and the viewing setup their text is sized from — the centre's screens and
distances (the centre file's [displays]), overridden by the address:
`?diagonal=75&distance=8&english=0.8&calls=12` (docs/displays.md). A value out of range gets a
400 page that says which and why. A missing display key gets a 401 page, a wrong one a 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from cherha.core.errors import DomainError, Invalid
from cherha.core.legibility import Viewing

from .. import __version__
from ..api.deps import BackendDep
from ..auth import Principal
from ..backend import Backend
from ..store.displays import DisplayKind, viewing_for
from .render import message_page, render

router = APIRouter(include_in_schema=False)

KeyQuery = Annotated[str | None, Query(max_length=200)]
SettingQuery = Annotated[str | None, Query(max_length=20)]


class _Refused(Exception):
    def __init__(self, page: HTMLResponse) -> None:
        self.page = page


def _check_key(be: Backend, key: str | None) -> Principal | None:
    """The display's device, where the centre requires keys; raises _Refused if it may not."""
    if not be.settings.require_display_key:
        return None
    if not key:
        raise _Refused(
            message_page(
                401,
                "Потрібен ключ дисплея",
                "A display key is needed",
                "Цей центр вимагає ключ пристрою. Відкрийте адресу з ?key=КЛЮЧ "
                "(ключ видає адміністратор: cherha-server add-device НАЗВА --kind display).",
                "This centre requires a device key. Open the address with ?key=KEY "
                "(an administrator makes one: cherha-server add-device NAME --kind display).",
            )
        )
    try:
        return be.accounts.resolve(key)
    except DomainError:
        raise _Refused(
            message_page(
                403,
                "Ключ дисплея не підходить",
                "The display key is not valid",
                "Ключ невідомий або вимкнений. Перевірте адресу або попросіть адміністратора "
                "видати новий ключ.",
                "The key is unknown or disabled. Check the address or ask an administrator "
                "for a new key.",
            )
        ) from None


def _viewing(
    be: Backend, branch_id: int, kind: DisplayKind, overrides: dict[str, str | None]
) -> Viewing:
    try:
        return viewing_for(be.db, branch_id, kind).overridden(**overrides)
    except Invalid as exc:
        raise _Refused(
            message_page(
                400,
                "Неправильне налаштування дисплея",
                "A display setting is wrong",
                f"В адресі дисплея: {exc.message_uk}. Виправте адресу або приберіть цей параметр.",
                f"In the display's address: {exc.message_en}. Fix the address or remove it.",
            )
        ) from None


def _no_centre() -> HTMLResponse:
    return message_page(
        503,
        "Центр ще не налаштовано",
        "The centre is not set up yet",
        "Завантажте налаштування центру: cherha-server init --sample або load-centre ФАЙЛ.",
        "Load the centre's configuration: cherha-server init --sample or load-centre FILE.",
    )


def viewing_config(v: Viewing) -> dict[str, Any]:
    """What the page sizes its text from (static/js/common.js `Cherha.applyViewing`)."""
    return {
        "diagonalInches": v.diagonal_inches,
        "distanceM": v.distance_m,
        "englishScale": v.english_scale,
        "lastCalls": v.last_calls,
        "textMm": v.text_mm,
        "englishMm": v.english_mm,
        "numberMm": v.number_mm,
        "minimumMm": v.minimum_mm,
    }


def _display_config(be: Backend, key: str | None, viewing: Viewing) -> dict[str, Any]:
    s = be.settings
    spk = be.speaker
    return {
        "key": key if s.require_display_key else None,
        "lastCalls": viewing.last_calls,
        "viewing": viewing_config(viewing),
        "english": s.announce_english,
        "voice": spk.voice_available("uk"),
        "voiceEn": s.announce_english and spk.voice_available("en"),
        "announceMaxAgeSeconds": 300,
        "version": __version__,
    }


@router.get("/display", response_class=HTMLResponse)
def hall_display(
    be: BackendDep,
    key: KeyQuery = None,
    diagonal: SettingQuery = None,
    distance: SettingQuery = None,
    english: SettingQuery = None,
    calls: SettingQuery = None,
) -> HTMLResponse:
    """The hall display: last calls, announcements, waiting per service, pause banner."""
    try:
        device = _check_key(be, key)
        try:
            branch_id = (
                device.branch_id
                if device is not None and device.branch_id is not None
                else be.views.default_branch_id()
            )
        except DomainError:
            return _no_centre()
        overrides = {"diagonal": diagonal, "distance": distance, "english": english}
        viewing = _viewing(be, branch_id, "hall", overrides | {"calls": calls})
    except _Refused as refused:
        return refused.page
    return render("hall.html", config=_display_config(be, key, viewing))


@router.get("/display/counters/{counter_id}", response_class=HTMLResponse)
def window_display(
    counter_id: str,
    be: BackendDep,
    key: KeyQuery = None,
    diagonal: SettingQuery = None,
    distance: SettingQuery = None,
    english: SettingQuery = None,
) -> HTMLResponse:
    """The small display over one window: the ticket called there, big."""
    try:
        _check_key(be, key)
    except _Refused as refused:
        return refused.page
    number = branch_id = None
    if counter_id.isascii() and counter_id.isdigit() and len(counter_id) <= 9:
        cid = int(counter_id)
        try:
            branch_id = be.views.counter_branch(cid)
            number = next(
                v.counter.number for v in be.views.counters(branch_id) if v.counter.id == cid
            )
        except (DomainError, StopIteration):
            number = None
    if number is None or branch_id is None:
        return message_page(
            404,
            "Такого вікна немає",
            "No such window",
            f"Вікна з номером «{counter_id[:20]}» немає. Перевірте адресу дисплея.",
            f"There is no window with id '{counter_id[:20]}'. Check the display's address.",
        )
    try:
        overrides = {"diagonal": diagonal, "distance": distance, "english": english}
        viewing = _viewing(be, branch_id, "window", overrides)
    except _Refused as refused:
        return refused.page
    config = _display_config(be, key, viewing) | {
        "counterId": cid,
        "counterNumber": number,
    }
    return render("counter.html", config=config, counter_number=str(number))
