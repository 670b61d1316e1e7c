"""The web pages the queue server serves, one module per concern:

- `displays` — the hall display /display and the window display /display/counters/{id};
- `phone` — a ticket on a visitor's phone /t/{token};
- `booking` — /book, /book/cancel and the booking's QR code;
- `audio` — the chimes and spoken announcements the displays play (/audio/…);
- `render` — templates, their JSON configuration, security headers, message pages.

The pages are plain HTML templates (cherha/server/web/templates) filled with a small JSON
configuration; the rest is static CSS and vanilla JavaScript (cherha/server/web/static, mounted
at /static) that reads the /api/v1 routes and the /api/v1/events stream.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from . import audio, booking, displays, phone
from .render import STATIC, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    """A small page of links (a person who types the server's address lands here)."""
    return render("index.html")


ROUTERS = (router, displays.router, phone.router, booking.router, audio.router)
"""Every page's router, for the app to add (`cherha.server.routing.add_routes`)."""


def static_files() -> StaticFiles:
    """The /static mount (CSS, JavaScript)."""
    return StaticFiles(directory=STATIC)
