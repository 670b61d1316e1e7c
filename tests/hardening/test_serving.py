"""`serve` runs uvicorn with the interpreter handed between threads every millisecond, and
idle connections kept open longer than the clients keep them."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from cherha.server import serving
from tests.helpers.app import settings_for


def serve_without_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[uvicorn.Config, float]:
    """What `serve` runs uvicorn with: its config and the switch interval it set."""
    seen: list[tuple[uvicorn.Config, float]] = []

    def run(server: serving.CherhaServer) -> None:  # instead of serving
        seen.append((server.config, sys.getswitchinterval()))

    monkeypatch.setattr(serving.CherhaServer, "run", run)
    app = FastAPI()
    app.state.backend = None
    before = sys.getswitchinterval()
    try:
        serving.serve(app, settings_for(f"sqlite:///{tmp_path}/cherha.db"))
    finally:
        sys.setswitchinterval(before)
    assert before > serving.SWITCH_INTERVAL_SECONDS  # Python's default, 5 ms
    [one] = seen
    return one


def test_serve_hands_the_interpreter_over_every_millisecond(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At Python's 5 ms a request's thread, back from each database wait, queued behind the
    reports' fold, and on PostgreSQL every write of its branch waited behind it."""
    _config, interval = serve_without_serving(tmp_path, monkeypatch)
    assert interval == pytest.approx(serving.SWITCH_INTERVAL_SECONDS)


def test_serve_keeps_an_idle_connection_longer_than_an_httpx_client_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With both at 5 s, a client's request on a connection the server was just closing was
    reset (the twenty-clerks test's clerks, idle at its barrier for about 5 s)."""
    config, _interval = serve_without_serving(tmp_path, monkeypatch)
    client_keeps = httpx.Limits().keepalive_expiry
    assert client_keeps is not None
    assert config.timeout_keep_alive == serving.KEEP_ALIVE_SECONDS
    assert 2 * client_keeps < serving.KEEP_ALIVE_SECONDS
