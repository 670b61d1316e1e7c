"""ASGI guards around the whole app: body size caps, security headers, who may read /metrics.

Plain ASGI middlewares (not BaseHTTPMiddleware): event streams pass through untouched.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .api.addresses import in_networks, parse_networks
from .api.errors import error_body
from .settings import Settings

SECURITY_HEADERS = [
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]
API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")


class BodyTooLarge(HTTPException):
    """Raised while a body streams in past the cap; an HTTPException, so FastAPI's body
    reading passes it on as it is (a 413), instead of calling it a parse error."""

    def __init__(self) -> None:
        super().__init__(413)


class Guards:
    """Refuses a body over the cap before reading it (by Content-Length, or while it streams
    in), adds the security headers to every response, and keeps /metrics to its readers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.metrics_networks = parse_networks(settings.metrics_allow)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["path"] == "/metrics" and not self._may_read_metrics(scope, headers):
            await _refuse(send, 404, "http_404", "Такої адреси немає", "No such address")
            return
        limit = (
            self.settings.body_limit
            if b"authorization" in headers
            else self.settings.public_body_limit
        )
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in SECURITY_HEADERS if h[0] not in present]
                if b"content-security-policy" not in present:
                    extra.append(API_CSP)
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)

    def _may_read_metrics(self, scope: Scope, headers: dict[bytes, bytes]) -> bool:
        client = scope.get("client")
        if client and in_networks(client[0], self.metrics_networks):
            return True
        key = self.settings.metrics_key
        if not key:
            return False
        import hmac
        from urllib.parse import parse_qs

        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("key", [""])[0]
        bearer = headers.get(b"authorization", b"").decode("latin-1").removeprefix("Bearer ")
        return any(hmac.compare_digest(key, g) for g in (given, bearer) if g)


async def _too_large(send: Send, limit: int) -> None:
    await _refuse(
        send,
        413,
        "body_too_large",
        f"Запит завеликий: не більше {limit} байтів",
        f"The request is too large: at most {limit} bytes",
    )


async def _refuse(send: Send, status: int, code: str, uk: str, en: str) -> None:
    body = json.dumps(error_body(code, uk, en), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
                API_CSP,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
