"""Filling the page templates: the JSON configuration a page starts from, the security headers,
and the plain message page (unknown ticket, missing display key, no centre yet)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template
from typing import Any

from fastapi.responses import HTMLResponse

from .. import __version__

WEB = Path(__file__).resolve().parent.parent / "web"
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

_templates: dict[str, Template] = {}


def _template(name: str) -> Template:
    if name not in _templates:
        _templates[name] = Template((TEMPLATES / name).read_text(encoding="utf-8"))
    return _templates[name]


def json_for_html(value: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/json"> (no «</script>» breaking out)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(
    name: str, *, status: int = 200, config: dict[str, Any] | None = None, **values: str
) -> HTMLResponse:
    """A template with `$config` (JSON for the page's script) and `$name` values, escaped."""
    body = _template(name).substitute(
        version=__version__,
        config=json_for_html(config or {}),
        **{k: html.escape(v) for k, v in values.items()},
    )
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def message_page(
    status: int, title_uk: str, title_en: str, text_uk: str, text_en: str
) -> HTMLResponse:
    """A plain page that says what is wrong, Ukrainian first, English beside."""
    return render(
        "message.html",
        status=status,
        title_uk=title_uk,
        title_en=title_en,
        text_uk=text_uk,
        text_en=text_en,
    )
