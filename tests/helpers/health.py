"""Waiting for a test server to answer, without paying for an HTTP client per try.

`httpx.get` builds a client (and its TLS context) on every call: about a tenth of a second a
try on a busy machine, several per server start. A plain `http.client` request on loopback
costs next to nothing, so the waits below can look often and return as soon as the server is up.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable

HEALTH_PATH = "/api/v1/health"


def answers(port: int, path: str = HEALTH_PATH, timeout: float = 1.0) -> bool:
    """One GET on 127.0.0.1:`port`: True when it answers 200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def wait_until_answers(
    port: int,
    timeout: float,
    *,
    path: str = HEALTH_PATH,
    ready: Callable[[], bool] = lambda: True,
    alive: Callable[[], bool] = lambda: True,
) -> bool:
    """Poll until the server answers 200 (True), it dies (`alive()` false) or `timeout` passes.

    `ready()` is a cheap look to take first (an in-process uvicorn's `started`), so the HTTP
    request is only made once the server can answer it.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            return False
        if ready() and answers(port, path):
            return True
        time.sleep(0.02)
    return False
