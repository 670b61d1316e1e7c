"""/health says whether a write can commit, and writes come back without a restart: a
read-only filesystem, a full disk (SQLite) and a read-only database (PostgreSQL), for real."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.helpers.ports import free_port
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import prepare_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="mounting and chattr need root"),
]


@contextmanager
def small_filesystem(path: Path, size: str = "8m") -> Iterator[Path]:
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@contextmanager
def server_process(database_url: str, log: Path) -> Iterator[str]:
    """`cherha-server serve`, waited for until it answers at all (health may well be 503)."""
    port = free_port()
    home = log.parent
    env = {
        **os.environ,
        "CHERHA_DATABASE_URL": database_url,
        "CHERHA_PORT": str(port),
        "CHERHA_LOG_LEVEL": "warning",
        "CHERHA_DB_TIMEOUT_SECONDS": "2",
        "CHERHA_SECRET_KEY_FILE": str(home / "secret.key"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    command = [sys.executable, "-m", "cherha.server.cli", "serve"]
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                httpx.get(f"{url}/api/v1/health", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def issue(url: str, key: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/tickets",
        json={"service_id": 1},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )


def health(url: str) -> int:
    return httpx.get(f"{url}/api/v1/health", timeout=30).status_code


def test_sqlite_started_on_a_read_only_file_reports_it_and_recovers(tmp_path: Path) -> None:
    """An immutable file (`chattr +i`): read-only even for root, as a file mode is for the
    ordinary user a server runs as."""
    db_file = tmp_path / "cherha.db"
    url = f"sqlite:///{db_file}"
    prepared = prepare_database(url, clerks=0)
    subprocess.run(["chattr", "+i", str(db_file)], check=True)
    try:
        with server_process(url, tmp_path / "server.log") as server:
            assert health(server) == 503
            refused = issue(server, prepared.kiosk_key)
            assert refused.status_code == 503
            assert refused.json()["error"] == "database_unavailable"
            subprocess.run(["chattr", "-i", str(db_file)], check=True)  # fixed; no restart
            assert health(server) == 200
            assert issue(server, prepared.kiosk_key).json()["number"] == "А001"
    finally:
        subprocess.run(["chattr", "-i", str(db_file)], check=False)
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_sqlite_on_a_full_disk_health_agrees_with_writes(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "fs") as fs:
        url = f"sqlite:///{fs / 'cherha.db'}"
        prepared = prepare_database(url, clerks=0)
        with server_process(url, tmp_path / "server.log") as server:
            assert health(server) == 200
            filler = fs / "filler"
            with filler.open("wb") as handle:  # fill the disk to the last block
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                        handle.flush()
                except OSError:
                    pass
            failed = None
            for _ in range(400):  # until the database needs a block it cannot have
                r = issue(server, prepared.kiosk_key)
                if r.status_code != 201:
                    failed = r
                    break
            assert failed is not None, "the full disk never refused a write"
            assert failed.status_code == 503
            assert health(server) == 503
            filler.unlink()
            assert health(server) == 200
            assert issue(server, prepared.kiosk_key).status_code == 201


@pytest.mark.postgres
def test_postgres_read_only_reports_it_and_recovers(
    postgres_cluster: ThrowawayPostgres, tmp_path: Path
) -> None:
    url = postgres_cluster.create_database("health_ro")
    prepared = prepare_database(url, clerks=0)
    admin = (
        f"host=127.0.0.1 port={postgres_cluster.port} user={postgres_cluster.user} dbname=postgres"
    )

    def set_read_only(on: bool) -> None:
        """As after a fail-over to a replica: new sessions of the database are read-only."""
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "ALTER DATABASE health_ro SET default_transaction_read_only = "
                + ("on" if on else "off")
            )
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = 'health_ro' AND pid <> pg_backend_pid()"
            )

    with server_process(url, tmp_path / "server.log") as server:
        assert health(server) == 200
        set_read_only(True)
        statuses = {health(server) for _ in range(3)}
        assert statuses == {503}
        assert issue(server, prepared.kiosk_key).status_code == 503
        set_read_only(False)
        deadline = time.monotonic() + 30
        while health(server) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert health(server) == 200
        assert issue(server, prepared.kiosk_key).json()["number"] == "А001"
