"""A real queue server in its own process (uvicorn on a free loopback port) for tests.

`ServerProcess` starts `cherha-server serve` on a database (prepare it first with
`make_centre()` or `prepare_database()`), waits for /api/v1/health and stops the process at the
end (or on kill() for crash tests).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx

from cherha.server.auth import Passwords

from .health import wait_until_answers
from .ports import free_port
from .templates import ADMIN_PASSWORD as ADMIN_PASSWORD  # re-exported: tests import them here
from .templates import CLERK_PASSWORD as CLERK_PASSWORD
from .templates import TEST_PASSWORDS, make_centre


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    """Run cherha-server with the given environment; returns stdout, raises on failure."""
    result = subprocess.run(
        [sys.executable, "-m", "cherha.server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"cherha-server {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


@dataclass
class Prepared:
    """A database with the sample centre and the accounts tests use."""

    database_url: str
    kiosk_key: str
    display_key: str
    clerks: list[str] = field(default_factory=list)
    admin: str = "admin"


def prepare_database(
    database_url: str, *, clerks: int = 2, passwords: Passwords = TEST_PASSWORDS
) -> Prepared:
    """What `cherha-server init --sample --always-open`, `add-user` and `add-device` make.

    Copied from the run's template (tests/helpers/templates.py); the commands themselves are
    tested in tests/api/test_cli.py. `passwords`: as in `make_centre`.
    """
    centre = make_centre(database_url, clerks=clerks, passwords=passwords)
    return Prepared(database_url, centre.kiosk_key, centre.display_key, centre.clerks)


class ServerProcess:
    def __init__(
        self,
        database_url: str,
        *,
        extra_env: dict[str, str] | None = None,
        log: Path | None = None,
        port: int | None = None,
        python: str = sys.executable,
    ) -> None:
        """`python`: the interpreter to serve with (a benchmark may use another install's)."""
        self.database_url = database_url
        self.python = python
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CHERHA_DATABASE_URL": database_url,
            "CHERHA_HOST": "127.0.0.1",
            "CHERHA_PORT": str(self.port),
            "CHERHA_LOG_LEVEL": "warning",
            **(extra_env or {}),
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The running server's process id (benchmarks read its CPU time)."""
        if self.process is None:
            raise RuntimeError("the server is not started")
        return self.process.pid

    def start(self, timeout: float = 30.0) -> ServerProcess:
        # The child keeps its own copy of the log handle; ours is closed right away.
        sink = self.log.open("ab") if self.log else contextlib.nullcontext(subprocess.DEVNULL)
        with sink as out:
            self.process = subprocess.Popen(
                [self.python, "-m", "cherha.server.cli", "serve"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        process = self.process
        if wait_until_answers(self.port, timeout, alive=lambda: process.poll() is None):
            return self
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} (log: {self.log})")
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout} s (log: {self.log})")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as in a crash or a power cut of the process."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def login(base_url: str, username: str, password: str = CLERK_PASSWORD) -> str:
    response = httpx.post(
        f"{base_url}/api/v1/auth/login",
        json={"username": username, "password": password},
        timeout=10,
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def notifier_children(server_pid: int) -> list[int]:
    """The notifications' child processes of a running `serve` (src/cherha/server/notify/child.py)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        if ppid == server_pid and b"cherha.server.notify.child" in cmdline:
            found.append(int(entry.name))
    return found
