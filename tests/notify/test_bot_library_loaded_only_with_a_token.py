"""The Telegram library is loaded only where the bot runs: a centre without the bot, and a
server whose bot runs in its child process (the default), do not carry it in the server's
memory (~8 MB of ~110; issue 19's memory target)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BUILD_APP = """
import sys
from cherha.server.app import create_app
from cherha.server.settings import Settings
bot = {"telegram_bot_token": "1:x"} if sys.argv[2] != "none" else {}
create_app(Settings(database_url=sys.argv[1], notify_child=sys.argv[2] != "bot-on-loop", **bot))
print("telegram" in sys.modules)
"""


@pytest.mark.parametrize(
    ("bot", "loaded"), [("none", "False"), ("bot-in-child", "False"), ("bot-on-loop", "True")]
)
def test_the_bot_library_is_imported_only_where_the_bot_runs(
    tmp_path: Path, bot: str, loaded: str
) -> None:
    url = f"sqlite:///{tmp_path / 'lazy.db'}"
    run = subprocess.run(
        [sys.executable, "-c", BUILD_APP, url, bot], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[-1] == loaded
