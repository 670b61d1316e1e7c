"""/docs: Swagger UI served by this server (the swagger-ui-bundle package), no CDN at run time.

`CHERHA_API_DOCS=false` turns it off. The page's script is a static file, so the page keeps a
Content-Security-Policy without inline scripts.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGE = """<!doctype html>
<html lang="uk"><head><meta charset="utf-8">
<title>Cherha API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body></html>
"""
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


def install(app: FastAPI) -> None:
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    app.add_api_route("/docs", docs, include_in_schema=False)


def docs() -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": CSP})
