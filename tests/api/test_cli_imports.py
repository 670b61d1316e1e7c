"""Each `cherha-server` command loads only what it needs (issue 11: the suite starts hundreds).

Importing the whole server costs a process about two seconds of CPU; `--help` and the small
administrative commands need a fraction of it. Nothing here is timed: each case runs a command
in a fresh interpreter, as a user would, and reads which packages it loaded (`sys.modules`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.server import prepare_database

# Runs the command as the console script does (through cherha.launch, which checks the role is
# installed), then prints the modules loaded, whatever the exit code.
PROBE = """
import json, sys
sys.argv = ["cherha-server", *sys.argv[1:]]
from cherha.launch import server
try:
    server()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# Never in any command of the server.
NEVER = ("PySide6", "cherha.kiosk", "cherha.clerk", "cherha.qt", "escpos")
# The web server: only `serve` and `demo`.
WEB = ("fastapi", "starlette", "uvicorn", "jinja2", "cherha.server.app", "cherha.server.api")
# Loaded on demand by the server too: an XLSX report, webhooks and the bot, metrics.
ON_DEMAND = ("openpyxl", "PIL", "qrcode", "telegram")
NOTIFY = ("httpx", "aiohttp", "prometheus_client", "cherha.server.notify")


def _loaded(env: dict[str, str], *args: str, stdin: str = "") -> tuple[object, set[str]]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.stdout, run.stderr
    answer = json.loads(run.stdout.splitlines()[-1])
    return answer["code"], set(answer["modules"])


def _any_of(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The loaded modules that are one of `packages` or inside one."""
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CHERHA_DATABASE_URL": f"sqlite:///{tmp_path / 'imports.db'}",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


def test_help_loads_neither_the_database_nor_the_settings(env: dict[str, str]) -> None:
    code, modules = _loaded(env, "--help")
    assert code == 0
    assert "cherha.server.cli" in modules  # the probe did run the command
    store = ("sqlalchemy", "alembic", "cherha.server.store", "argon2")
    settings = ("pydantic", "pydantic_settings")
    assert _any_of(modules, NEVER + WEB + ON_DEMAND + NOTIFY + store + settings) == []


def test_a_mistake_is_refused_before_anything_is_loaded(env: dict[str, str]) -> None:
    code, modules = _loaded(env, "add-device", "kiosk-1", "--kind", "toaster")
    assert code == 2
    assert _any_of(modules, ("sqlalchemy", "pydantic_settings", *WEB)) == []


def test_init_loads_the_store_and_migrations_but_not_the_web_server(
    env: dict[str, str],
) -> None:
    code, modules = _loaded(env, "init", "--sample")
    assert code == 0
    assert {"sqlalchemy.orm", "alembic", "cherha.server.store.centre"} <= modules
    assert _any_of(modules, NEVER + WEB + ON_DEMAND + NOTIFY) == []


def test_account_commands_load_the_store_only(env: dict[str, str]) -> None:
    prepare_database(env["CHERHA_DATABASE_URL"])  # at the newest revision: no migration to run
    code, modules = _loaded(env, "add-device", "kiosk-9", "--kind", "kiosk")
    assert code == 0
    assert "cherha.server.store.accounts" in modules
    assert _any_of(modules, NEVER + WEB + ON_DEMAND + NOTIFY + ("alembic",)) == []
    code, modules = _loaded(env, "set-password", "clerk1", stdin="another-password\n")
    assert code == 0
    assert _any_of(modules, NEVER + WEB + ON_DEMAND + NOTIFY + ("alembic",)) == []


BUILD_APP = """
import json, sys
from cherha.server.app import create_app
from cherha.server.settings import Settings
create_app(Settings(database_url=sys.argv[1]))
print(json.dumps(sorted(sys.modules)))
"""


def test_the_server_loads_reports_files_and_qt_only_never_or_on_demand(tmp_path: Path) -> None:
    """`serve` needs the web framework, not openpyxl (XLSX reports load it when asked for)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    run = subprocess.run(
        [sys.executable, "-c", BUILD_APP, url], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    modules = set(json.loads(run.stdout.splitlines()[-1]))
    assert {"fastapi", "sqlalchemy.orm", "cherha.server.api.report_files"} <= modules
    assert _any_of(modules, NEVER + ON_DEMAND) == []


BUILD_APP_SENDING_IN_SERVER = BUILD_APP.replace(
    "Settings(database_url=sys.argv[1])",
    "Settings(database_url=sys.argv[1], notify_in_server=True, notify_child=False)",
)
SENDERS = ("httpx", "aiohttp", "cherha.server.notify.delivery", "cherha.server.notify.telegram")


def test_the_server_loads_the_senders_only_where_they_send(tmp_path: Path) -> None:
    """By default the notifications run in a child process: the server writes the outbox and
    carries no HTTP client it would not use; sending in the server loads it."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    loaded = []
    for script in (BUILD_APP, BUILD_APP_SENDING_IN_SERVER):
        run = subprocess.run(
            [sys.executable, "-c", script, url], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
        loaded.append(set(json.loads(run.stdout.splitlines()[-1])))
    in_child, in_server = loaded
    assert "cherha.server.notify.fanout" in in_child  # the outbox is still written
    assert _any_of(in_child, SENDERS) == []
    assert {"aiohttp", "cherha.server.notify.delivery"} <= in_server
