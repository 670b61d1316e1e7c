"""The wheel as a centre installs it: outside the source tree, one role at a time.

Builds the wheel, installs it into a fresh virtual environment in a temporary folder (the bare
client first, then the server role), and runs what an administrator runs: `init --sample`,
`add-device`, `serve`, and a ticket through the API. Needs the package index (as the set-up
scripts do).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.ports import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _has_module(python: Path, name: str, cwd: Path) -> bool:
    probe = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({name!r}) else 1)"
    return subprocess.run([python, "-c", probe], cwd=cwd, check=False).returncode == 0


def test_the_wheel_installs_by_role_and_serves_the_sample_centre(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, ROOT, cwd=tmp_path)
    (wheel,) = wheels.glob("cherha-*.whl")

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    # `--no-compile`: pip byte-compiles every installed module by default, half the CPU of
    # these installs; the commands below import (and so compile) what they use.
    install = (python, "-m", "pip", "install", "-q", "--no-compile")
    # The bare package: the shared client runs without the server's or Qt's dependencies.
    _run(*install, wheel, cwd=tmp_path, env=clean_env)
    bare = (
        "import cherha.client, cherha.core, cherha.wire; "
        "h = cherha.wire.Health.model_validate({'status': 'ok', 'database': 'ok', 'version': '1'}); "
        "print(cherha.wire.__file__, h.status)"
    )
    parsed = _run(python, "-c", bare, cwd=tmp_path, env=clean_env)
    assert parsed.startswith(str(venv)), parsed  # the installed package, not the source tree
    assert parsed.split()[-1] == "ok"
    for absent in ("fastapi", "sqlalchemy", "PySide6"):
        assert not _has_module(python, absent, tmp_path), absent
    refused = subprocess.run(
        [venv / "bin" / "cherha-server", "init"], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 3
    assert "cherha[server]" in refused.stderr

    # The server role: no Qt comes with it.
    _run(*install, f"{wheel}[server]", cwd=tmp_path, env=clean_env)
    assert not _has_module(python, "PySide6", tmp_path)
    version = _run(python, "-c", "import cherha; print(cherha.__version__)", cwd=tmp_path)
    assert version.strip() != "0+unknown"

    port = free_port()
    env = {
        **clean_env,
        "CHERHA_DATABASE_URL": f"sqlite:///{tmp_path / 'centre.db'}",
        "CHERHA_PORT": str(port),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    server = venv / "bin" / "cherha-server"
    # Open around the clock, so the ticket below is issued at any hour of the test run.
    out = _run(server, "init", "--sample", "--always-open", cwd=tmp_path, env=env)
    assert "Зразковий центр" in out
    key = _run(server, "add-device", "kiosk-1", "--kind", "kiosk", cwd=tmp_path, env=env).strip()

    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [server, "serve"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.2)
        services = httpx.get(f"{base}/api/v1/services", timeout=5).json()
        answer = httpx.post(
            f"{base}/api/v1/tickets",
            json={"service_id": services[0]["id"]},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["number"].endswith("001")
        assert httpx.get(f"{base}/", timeout=5).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
