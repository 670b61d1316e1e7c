"""The systemd unit files shipped for a centre's machines pass `systemd-analyze verify`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

UNITS = files("cherha.assets") / "deploy"
NAMES = sorted(p.name for p in UNITS.iterdir() if p.name.endswith((".service", ".timer")))


def test_every_role_has_a_unit() -> None:
    assert NAMES == [
        "cherha-backup.service",
        "cherha-backup.timer",
        "cherha-display.service",
        "cherha-kiosk.service",
        "cherha-server.service",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_unit_verifies(name: str, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # The units name the install folder a centre uses (/opt/cherha/venv); point them at this
    # environment's scripts so verify can check that every command it starts exists.
    here = Path(sys.executable).parent
    for unit in UNITS.iterdir():
        if unit.name.startswith("cherha-"):
            text = unit.read_text(encoding="utf-8").replace("/opt/cherha/venv/bin", str(here))
            (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / name)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    ours = [line for line in result.stderr.splitlines() if "cherha-" in line]
    assert result.returncode == 0, result.stderr
    assert ours == [], "\n".join(ours)
