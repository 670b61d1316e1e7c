"""A throwaway PostgreSQL cluster for the test run (initdb + pg_ctl on a free loopback port).

As root, initdb refuses to run, so the cluster is made and started as the `postgres` user.
The cluster lives in a temporary folder and is stopped and deleted at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .ports import free_port


def find_pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class ThrowawayPostgres:
    def __init__(self) -> None:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed: run ./scripts/test, which installs it")
        self.bin = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="cherha-pg-"))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else os.environ.get("USER", "postgres")

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> ThrowawayPostgres:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self._pg_start()
        return self

    def restart(self) -> None:
        """Start the stopped cluster again on the same port (after a simulated outage)."""
        self._pg_start()

    def _pg_start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> bool:
        """Drop a test's database when it is done; False where it cannot be dropped now (a
        connection is still open, or the cluster is down): it then goes with the cluster.

        Dropped at once, its files are gone before they are written out: ~7.5 MB a database,
        hundreds per worker, were a few GB per run and a slow `rmtree` at the end.
        """
        import psycopg

        try:
            with psycopg.connect(
                f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres",
                autocommit=True,
                connect_timeout=5,
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        except psycopg.Error:
            return False
        return True

    def halt(self) -> None:
        """Stop the server abruptly but keep its data (a database outage)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        try:
            with contextlib.suppress(subprocess.CalledProcessError):  # already down
                self.halt()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
