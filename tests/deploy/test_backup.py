"""`cherha-server backup` while tickets are being issued, and a restore that serves them again."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ServerProcess, cli, prepare_database

pytestmark = pytest.mark.slow


def _issue_until(url: str, key: str, stop: threading.Event, issued: list[str]) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        while not stop.is_set():
            answer = client.post("/api/v1/tickets", json={"service_id": 1}, timeout=10)
            assert answer.status_code == 201, answer.text
            issued.append(answer.json()["number"])


def _backup_under_load(database_url: str, folder: Path, *, keep: int = 0) -> tuple[Path, int]:
    """A backup taken while a kiosk issues tickets; returns it and how many were issued before."""
    prepared = prepare_database(database_url)
    env = {**os.environ, "CHERHA_DATABASE_URL": database_url}
    with ServerProcess(database_url) as server:
        stop = threading.Event()
        issued: list[str] = []
        kiosk = threading.Thread(
            target=_issue_until, args=(server.url, prepared.kiosk_key, stop, issued)
        )
        kiosk.start()
        try:
            while len(issued) < 20:
                stop.wait(0.05)
            before = len(issued)
            args = ["backup", str(folder)] + (["--keep", str(keep)] if keep else [])
            out = cli(env, *args)
        finally:
            stop.set()
            kiosk.join(timeout=30)
    path = Path(out.rsplit(": ", 1)[1].strip())
    assert path.exists()
    return path, before


def test_sqlite_backup_is_consistent_and_restores(tmp_path: Path) -> None:
    database = tmp_path / "live.db"
    backup, issued_before = _backup_under_load(f"sqlite:///{database}", tmp_path / "backups")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tickets = copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
        events = copy.execute(
            "SELECT count(*) FROM events WHERE type = 'ticket_issued'"
        ).fetchone()[0]
    assert tickets >= issued_before
    assert events == tickets  # every ticket's event is in the same copy: a transaction is whole

    # Restore: the copy in place of the database; the server serves its tickets again.
    restored = tmp_path / "restored.db"
    shutil.copy(backup, restored)
    with ServerProcess(f"sqlite:///{restored}") as server:
        board = httpx.get(f"{server.url}/api/v1/services", timeout=10).json()
    waiting = {s["id"]: s["waiting"] for s in board}
    assert waiting[1] == tickets


def test_old_copies_beyond_keep_are_removed(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'live.db'}"
    cli({**os.environ, "CHERHA_DATABASE_URL": database_url}, "init", "--sample")
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (folder / f"cherha-{stamp}.db").write_bytes(b"old")
    out = cli(
        {**os.environ, "CHERHA_DATABASE_URL": database_url}, "backup", str(folder), "--keep", "2"
    )
    newest = Path(out.rsplit(": ", 1)[1].strip())
    assert sorted(p.name for p in folder.iterdir()) == ["cherha-20260103-000000.db", newest.name]


def test_backing_up_a_missing_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "CHERHA_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "cherha.server.cli", "backup", str(tmp_path / "b")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "none.db").exists()


@pytest.mark.postgres
def test_postgres_backup_restores_with_pg_restore(
    postgres_cluster: ThrowawayPostgres, tmp_path: Path
) -> None:
    url = postgres_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")
    backup, issued_before = _backup_under_load(url, tmp_path / "backups")
    assert backup.suffix == ".dump"
    target = postgres_cluster.create_database(f"r_{uuid.uuid4().hex[:12]}")
    dsn = target.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={dsn}", str(backup)], check=True, timeout=120
    )
    with ServerProcess(target) as server:
        services = httpx.get(f"{server.url}/api/v1/services", timeout=10).json()
    assert {s["id"]: s["waiting"] for s in services}[1] >= issued_before
