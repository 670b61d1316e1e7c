"""The public booking pages: /book (service → day → time → name and phone → the code with
its QR), /book/cancel, and the booking's QR code as a PNG (/book/qr/{code}.png)."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from cherha.core.booking_rules import format_code, parse_code
from cherha.core.grouping import group_in_order

from .. import __version__
from ..api.deps import BackendDep
from ..api.errors import error_body
from ..backend import Backend
from ..store.models import Branch, Service
from .render import message_page, render

router = APIRouter(include_in_schema=False)


def _booking_config(be: Backend) -> dict[str, Any] | None:
    """What the booking page needs up front: the centre, its bookable services, the rules.

    Services come by group, each group once, as on the kiosk (core.grouping).
    """
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
        groups = group_in_order(services, lambda s: s.group_uk)
        named = any(key for key, _items in groups)
        return {
            "branchUk": branch.name_uk,
            "branchEn": branch.name_en or branch.name_uk,
            "groups": [
                {
                    # Services without a group come under «Інші послуги» where others have one.
                    "uk": key or ("Інші послуги" if named else ""),
                    "en": (items[0].group_en or key)
                    if key
                    else ("Other services" if named else ""),
                    "services": [
                        {"id": s.id, "uk": s.name_uk, "en": s.name_en or s.name_uk} for s in items
                    ],
                }
                for key, items in groups
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
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()
