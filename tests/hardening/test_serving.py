"""`serve` runs uvicorn with the interpreter handed between threads every millisecond."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi import FastAPI

from cherha.server import serving
from tests.helpers.app import settings_for


def test_serve_hands_the_interpreter_over_every_millisecond(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At Python's 5 ms a request's thread, back from each database wait, queued behind the
    reports' fold, and on PostgreSQL every write of its branch waited behind it."""
    seen: list[float] = []

    def run(server: serving.CherhaServer) -> None:  # instead of serving: what it runs with
        seen.append(sys.getswitchinterval())

    monkeypatch.setattr(serving.CherhaServer, "run", run)
    app = FastAPI()
    app.state.backend = None
    before = sys.getswitchinterval()
    try:
        serving.serve(app, settings_for(f"sqlite:///{tmp_path}/cherha.db"))
    finally:
        sys.setswitchinterval(before)
    assert seen == [pytest.approx(serving.SWITCH_INTERVAL_SECONDS)]
    assert before > serving.SWITCH_INTERVAL_SECONDS  # Python's default, 5 ms
