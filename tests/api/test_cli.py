"""cherha-server's commands, run as a user would (a subprocess with its own environment)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cherha.server.store.centre_file import SAMPLE_CENTRE
from cherha.server.store.db import Database
from cherha.server.store.models import Counter, Device, Service, User
from tests.helpers.server import cli


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cherha.server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CHERHA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def test_init_sample_loads_ten_services_and_eight_windows(env: dict[str, str]) -> None:
    out = cli(env, "init", "--sample")
    assert "Зразковий центр" in out
    db = Database(env["CHERHA_DATABASE_URL"])
    with db.read() as session:
        services = session.query(Service).all()
        assert len(services) == 10
        assert all(s.name_uk and s.name_en for s in services)
        assert session.query(Counter).count() == 8
    db.dispose()


def test_add_user_reads_the_password_from_stdin_and_add_device_prints_a_key(
    env: dict[str, str],
) -> None:
    cli(env, "init", "--sample")
    cli(env, "add-user", "olena", "--role", "clerk", stdin="long-password\n")
    key = cli(env, "add-device", "kiosk-hall", "--kind", "kiosk").strip()
    assert len(key) >= 40
    assert "\n" not in key
    db = Database(env["CHERHA_DATABASE_URL"])
    with db.read() as session:
        user = session.query(User).filter_by(username="olena").one()
        assert user.password_hash.startswith("$argon2")
        device = session.query(Device).filter_by(name="kiosk-hall").one()
        assert key not in device.key_hash  # only a hash is kept
    db.dispose()


def test_refusals_are_clear_and_exit_two(env: dict[str, str], tmp_path: Path) -> None:
    cli(env, "init", "--sample")
    short = run(env, "add-user", "x", "--role", "clerk", stdin="short\n")
    assert short.returncode == 2
    assert "щонайменше 8" in short.stderr
    cli(env, "add-user", "olena", "--role", "clerk", stdin="long-password\n")
    again = run(env, "add-user", "olena", "--role", "clerk", stdin="long-password\n")
    assert again.returncode == 2
    assert "already exists" in again.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[centre]\ncode = "x"\nname_uk = "X"\n[[services]]\ncode = "a"\nprefix = "a1"\nname_uk = "A"\n[[windows]]\nnumber = 1\nservices = ["b"]\n'
    )
    loaded = run(env, "load-centre", str(bad))
    assert loaded.returncode == 2
    assert "unknown services" in loaded.stderr


def test_a_command_it_does_not_understand_is_refused_in_ukrainian_and_english(
    env: dict[str, str],
) -> None:
    for args in (("add-user", "x", "--role", "nobody"), ("add-usr", "x"), ("set-role",)):
        refused = run(env, *args)
        assert refused.returncode == 2, args
        assert refused.stderr.startswith("usage: cherha-server"), refused.stderr
        uk, en = refused.stderr.strip().splitlines()[-2:]
        assert uk.startswith("Помилка: команду не розпізнано ("), uk
        assert uk.endswith("--help"), uk
        assert en.startswith("Error: "), en
        assert en.endswith("--help"), en
    assert not Path(env["CHERHA_DATABASE_URL"].removeprefix("sqlite:///")).exists()


def test_add_device_before_any_centre_says_what_to_do(env: dict[str, str]) -> None:
    result = run(env, "add-device", "k", "--kind", "kiosk")
    assert result.returncode == 2
    assert "init --sample" in result.stderr


def test_reloading_a_centre_file_updates_in_place(env: dict[str, str], tmp_path: Path) -> None:
    cli(env, "init", "--sample")
    changed = tmp_path / "centre.toml"
    changed.write_text(
        SAMPLE_CENTRE.read_text(encoding="utf-8").replace(
            'name_uk = "Консультація"', 'name_uk = "Консультація фахівця"'
        )
    )
    cli(env, "load-centre", str(changed))
    db = Database(env["CHERHA_DATABASE_URL"])
    with db.read() as session:
        assert session.query(Service).count() == 10
        assert (
            session.query(Service).filter_by(code="consultation").one().name_uk
            == "Консультація фахівця"
        )
    db.dispose()


def test_demo_preparation_is_repeatable_and_writes_a_kiosk_config(tmp_path: Path) -> None:
    import tomllib

    from cherha.server.demo import prepare, write_kiosk_config
    from cherha.server.settings import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", port=8123)
    first = prepare(settings, tmp_path / "demo")
    again = prepare(settings, tmp_path / "demo")
    assert (again.kiosk_key, again.display_key) == (first.kiosk_key, first.display_key)
    config = tomllib.loads(write_kiosk_config(settings, again).read_text(encoding="utf-8"))
    assert config["kiosk"]["server_url"] == "http://127.0.0.1:8123"
    assert config["kiosk"]["device_key"] == first.kiosk_key
    assert config["printer"]["device"].startswith("preview-dir:")


def test_a_failed_first_command_leaves_no_database_behind(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[centre]\ncode = "x"\n', encoding="utf-8")  # no name, no services
    database = Path(env["CHERHA_DATABASE_URL"].removeprefix("sqlite:///"))
    result = run(env, "load-centre", str(broken))
    assert result.returncode == 2
    assert "name_uk" in result.stderr
    assert not database.exists()
    assert list(tmp_path.glob("cli.db*")) == []


def test_a_failed_command_keeps_an_existing_database(env: dict[str, str], tmp_path: Path) -> None:
    cli(env, "init", "--sample")
    broken = tmp_path / "broken.toml"
    broken.write_text('[centre]\ncode = "x"\n', encoding="utf-8")
    assert run(env, "load-centre", str(broken)).returncode == 2
    db = Database(env["CHERHA_DATABASE_URL"])
    with db.read() as session:
        assert session.query(Service).count() == 10
    db.dispose()


# `serve` up to the point where it would start serving: the collector's state then.
SERVE_PROBE = """
import gc, json, sys
import cherha.server.serving as serving
def serve(app, settings):
    print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
serving.serve = serve
from cherha.server.cli import run
sys.exit(run(["serve"]))
"""


def collector_after_start(env: dict[str, str], probe: str) -> dict[str, Any]:
    """Run a probe script (it prints the collector's state as its last line of JSON)."""
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    state: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return state


def test_serve_collects_garbage_while_serving_and_skips_what_start_up_built(
    env: dict[str, str],
) -> None:
    """Start-up runs with the collector off (~0.25 s less CPU a start); it must be on again."""
    cli(env, "init", "--sample")
    state = collector_after_start(env, SERVE_PROBE)
    assert state["enabled"] is True
    assert state["frozen"] > 100_000  # the libraries and the app, out of the collector's scans


# The notifications' process (the child of `serve`, or `cherha-server notify`) once started.
NOTIFY_PROBE = """
import asyncio, gc, json
from cherha.server.notify.standalone import run_notifier
from cherha.server.settings import Settings
async def main():
    stop = asyncio.Event()
    async def probe(_notify):
        print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
                          "young": gc.get_threshold()[0]}))
        stop.set()
    await run_notifier(Settings(), stop, attach=probe)
asyncio.run(main())
"""


def test_the_notifications_process_skips_what_start_up_built_too(env: dict[str, str]) -> None:
    """What its start-up built (the Telegram library, httpx, SQLAlchemy) is frozen out of the
    collector's scans: with it, issuing's p99 with notifications on was lower in nine of nine
    A/B rounds (docs/benchmarks.md)."""
    cli(env, "init", "--sample")
    state = collector_after_start(env, NOTIFY_PROBE)
    assert state["enabled"] is True
    assert state["frozen"] > 100_000
    assert state["young"] == 50_000
