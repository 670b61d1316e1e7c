"""A ticket on the visitor's phone (/t/{public_token}, the QR code on every ticket).

The page is laid out as a column of sections (static/js/ticket.js): the number, the state of
the ticket, and below them what a visitor may add — sound and vibration now, a Telegram link
later — each a section of its own, so a new one is one more block in ticket.html.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .. import __version__
from ..api.deps import BackendDep
from .render import message_page, render

router = APIRouter(include_in_schema=False)


@router.get("/t/{public_token}", response_class=HTMLResponse)
def ticket_page(public_token: str, be: BackendDep) -> HTMLResponse:
    """Number, place in line and wait, live; the call; thanks. Numbers and windows only."""
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
        "telegram": be.notify.ticket_link(public_token),
        # Phones hold no device key: where keys are required they follow the ticket by polling.
        "stream": not be.settings.require_display_key,
        # Times on the page are the server's, in the centre's zone (not the phone's own).
        "timezone": view.branch.timezone,
        "version": __version__,
    }
    return render("ticket.html", config=config, number=view.ticket.number)
