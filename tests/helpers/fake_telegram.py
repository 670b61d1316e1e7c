"""A fake Telegram Bot API on loopback, and a webhook receiver that checks signatures.

`FakeBotApi` answers what python-telegram-bot calls (getMe, deleteWebhook, getUpdates with long
polling, sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery) and records
every call. A test plays the visitor: `start(chat, payload)` and `press(chat, message, data)`
queue the updates Telegram would send. It can misbehave on purpose: answer 429 or 502 for a
while (`fail`), be down (`down`), or stall each message (`stall_seconds`).

`WebhookReceiver` is another system: it verifies each delivery's HMAC signature and timestamp
as docs/notifications.md tells receivers to, and can fail its first answers (`fail_first`).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cherha.server.notify.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify,
)

from .app import ThreadedServer

TOKEN = "123456:TEST-token-for-the-fake-bot-api"
USERNAME = "cherha_test_bot"
JSON_PARAMS = {"chat_id", "reply_markup", "offset", "timeout", "message_id", "show_alert", "limit"}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int


def wait_until(check: Callable[[], Any], timeout: float = 10.0, what: str = "it") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class FakeBotApi:
    def __init__(self, token: str = TOKEN, username: str = USERNAME) -> None:
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.down = False
        self.stall_seconds = 0.0
        self._failures: deque[tuple[int, int | None]] = deque()
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 1
        self._lock = threading.Lock()
        self.app = self._make_app()
        self.server: ThreadedServer | None = None

    # -- serving ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def start(self, port: int | None = None) -> FakeBotApi:
        self.server = ThreadedServer(self.app, port, health_path="/health").start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def _make_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/health")
        def health() -> dict[str, bool]:
            return {"ok": True}

        @app.api_route("/bot{token}/{method}", methods=["GET", "POST"])
        async def bot_api(token: str, method: str, request: Request) -> JSONResponse:
            params = await _params(request)
            if token != self.token:
                return self._answer(method, params, 401, {"description": "Unauthorized"})
            return await self._dispatch(method, params)

        return app

    def _answer(
        self, method: str, params: dict[str, Any], status: int, body: dict[str, Any]
    ) -> JSONResponse:
        with self._lock:
            self.calls.append(Call(method, params, time.monotonic(), status))
        ok = status == 200
        payload = {"ok": ok, **body} if ok else {"ok": False, "error_code": status, **body}
        return JSONResponse(payload, status_code=status)

    async def _dispatch(self, method: str, params: dict[str, Any]) -> JSONResponse:
        if method == "getMe":
            me = {"id": 42, "is_bot": True, "first_name": "Черга", "username": self.username}
            return self._answer(method, params, 200, {"result": me})
        if method in ("deleteWebhook", "answerCallbackQuery", "setMyCommands"):
            return self._answer(method, params, 200, {"result": True})
        if method == "getUpdates":
            return await self._get_updates(params)
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            if method == "sendMessage":
                if self.stall_seconds:
                    await asyncio.sleep(self.stall_seconds)
                if self.down:
                    return self._answer(method, params, 502, {"description": "Bad Gateway"})
                with self._lock:
                    failure = self._failures.popleft() if self._failures else None
                if failure is not None:
                    status, retry_after = failure
                    extra: dict[str, Any] = {"description": "Too Many Requests"}
                    if retry_after is not None:
                        extra["parameters"] = {"retry_after": retry_after}
                    return self._answer(method, params, status, extra)
            with self._lock:
                message_id = params.get("message_id") or self._next_message
                if method == "sendMessage":
                    self._next_message += 1
            chat = {"id": params.get("chat_id", 0), "type": "private"}
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "text": params.get("text", ""),
            }
            return self._answer(method, params, 200, {"result": result})
        return self._answer(method, params, 404, {"description": "Not Found"})

    async def _get_updates(self, params: dict[str, Any]) -> JSONResponse:
        offset = int(params.get("offset") or 0)
        # Long polling, cut short so the fake stops quickly when a test ends.
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates)
            if ready or time.monotonic() >= deadline:
                return self._answer("getUpdates", params, 200, {"result": ready})
            await asyncio.sleep(0.01)

    # -- the visitor -----------------------------------------------------------------------------

    def _user(self, chat: int, language: str) -> dict[str, Any]:
        return {"id": chat, "is_bot": False, "first_name": "Відвідувач", "language_code": language}

    def _queue(self, update: dict[str, Any]) -> None:
        with self._lock:
            update["update_id"] = self._next_update
            self._next_update += 1
            self._updates.append(update)

    def send_text(self, chat: int, text: str, language: str = "uk") -> None:
        message: dict[str, Any] = {
            "message_id": 10_000 + self._next_update,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": self._user(chat, language),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._queue({"message": message})

    def start_bot(self, chat: int, payload: str | None, language: str = "uk") -> None:
        """The visitor opens t.me/<bot>?start=<payload> and presses Start."""
        self.send_text(chat, f"/start {payload}" if payload else "/start", language)

    def press(self, chat: int, message_id: int, data: str, language: str = "uk") -> None:
        self._queue(
            {
                "callback_query": {
                    "id": f"cb{self._next_update}",
                    "from": self._user(chat, language),
                    "chat_instance": f"ci{chat}",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": {"id": chat, "type": "private"},
                        "text": "…",
                    },
                }
            }
        )

    # -- misbehaving -----------------------------------------------------------------------------

    def fail(self, status: int, times: int, retry_after: int | None = None) -> None:
        """The next `times` sendMessage calls answer `status` (429 with retry_after …)."""
        with self._lock:
            self._failures.extend([(status, retry_after)] * times)

    # -- what happened ---------------------------------------------------------------------------

    def of(self, method: str, status: int | None = 200) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == method and (status is None or c.status == status)
            ]

    def messages(self, chat: int | None = None) -> list[Call]:
        """Messages Telegram accepted (answered 200), oldest first."""
        return [
            c for c in self.of("sendMessage") if chat is None or c.params.get("chat_id") == chat
        ]

    def texts(self, chat: int) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.messages(chat)]

    def wait_message(self, chat: int, contains: str, timeout: float = 10.0) -> Call:
        def found() -> Call | None:
            return next(
                (c for c in self.messages(chat) if contains in str(c.params.get("text", ""))),
                None,
            )

        result: Call = wait_until(found, timeout, f"a message with {contains!r} to {chat}")
        return result


def buttons(call: Call) -> list[str]:
    """The callback data of a message's inline buttons."""
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _params(request: Request) -> dict[str, Any]:
    raw = await request.body()
    values: dict[str, Any] = dict(request.query_params)
    if raw:
        content_type = request.headers.get("content-type", "")
        if "json" in content_type:
            values.update(json.loads(raw))
        else:
            values.update(dict(parse_qsl(raw.decode(), keep_blank_values=True)))
    for key in JSON_PARAMS & values.keys():
        if isinstance(values[key], str):
            with suppress(ValueError):
                values[key] = json.loads(values[key])
    return values


@contextmanager
def fake_bot_api(port: int | None = None) -> Iterator[FakeBotApi]:
    api = FakeBotApi().start(port)
    try:
        yield api
    finally:
        api.stop()


# -- webhooks --------------------------------------------------------------------------------------


@dataclass
class Delivery:
    id: str
    event: str
    body: dict[str, Any]
    valid: bool
    status: int


@dataclass(frozen=True)
class Raw:
    """A delivery as received: its headers and its body's bytes."""

    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    secret: str = ""
    fail_first: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    raw: list[Raw] = field(default_factory=list)
    server: ThreadedServer | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        app = FastAPI()

        @app.get("/health")
        def health() -> dict[str, bool]:
            return {"ok": True}

        @app.post("/hook")
        async def hook(request: Request) -> JSONResponse:
            body = await request.body()
            headers = request.headers
            valid = verify(
                self.secret,
                headers.get(TIMESTAMP_HEADER, ""),
                body,
                headers.get(SIGNATURE_HEADER, ""),
                time.time(),
            )
            with self._lock:
                status = 500 if self.fail_first > 0 else (200 if valid else 401)
                self.fail_first = max(0, self.fail_first - 1)
                self.raw.append(Raw({k.title(): v for k, v in headers.items()}, body))
                self.deliveries.append(
                    Delivery(
                        headers.get(DELIVERY_HEADER, ""),
                        headers.get(EVENT_HEADER, ""),
                        json.loads(body),
                        valid,
                        status,
                    )
                )
            return JSONResponse({"ok": status == 200}, status_code=status)

        self.app = app

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"{self.server.url}/hook"

    def start(self) -> WebhookReceiver:
        self.server = ThreadedServer(self.app, health_path="/health").start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def accepted(self) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.status == 200]
