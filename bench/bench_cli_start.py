"""CPU time of `cherha-server` commands, this tree against another source tree (A B A B …).

Each command runs in a fresh interpreter, as a user (and the test suite) runs it; the figure is
the child's user + system CPU time (`os.wait4`), so other load on the machine slows the runs but
hardly changes it. `serve` counts up to its first answer to /api/v1/health, then its shutdown.

    git archive main src | tar -x -C /tmp/base   # the baseline: main's code
    python bench/bench_cli_start.py --compare-src /tmp/base/src --rounds 10
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Through cherha.launch, as the installed console script starts (it checks the role first).
CONSOLE = "import sys; from cherha.launch import server; sys.argv[0] = 'cherha-server'; server()"


def _cpu(process: subprocess.Popen[bytes]) -> float:
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped here; Popen must not wait for it again
    return usage.ru_utime + usage.ru_stime


def _command(env: dict[str, str], *args: str, stdin: bytes = b"") -> float:
    process = subprocess.Popen(
        [sys.executable, "-m", "cherha.server.cli", *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    return _cpu(process)


def _console_help(env: dict[str, str]) -> float:
    process = subprocess.Popen(
        [sys.executable, "-c", CONSOLE, "--help"], env=env, stdout=subprocess.DEVNULL
    )
    return _cpu(process)


def _serve(env: dict[str, str], port: int) -> float:
    process = subprocess.Popen(
        [sys.executable, "-m", "cherha.server.cli", "serve"],
        env={**env, "CHERHA_PORT": str(port), "CHERHA_HOST": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1):
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError("the server did not answer")
    process.terminate()
    return _cpu(process)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cases(folder: Path) -> dict[str, Callable[[dict[str, str]], float]]:
    """The commands measured, each given the environment of the tree it runs."""
    fresh = iter(range(10_000))

    def init(env: dict[str, str]) -> float:
        url = f"sqlite:///{folder / f'init{next(fresh)}.db'}"
        return _command({**env, "CHERHA_DATABASE_URL": url}, "init", "--sample", "--always-open")

    return {
        "--help": lambda env: _command(env, "--help"),
        "console --help": _console_help,
        "init --sample": init,
        "migrate": lambda env: _command(env, "migrate"),
        "add-device": lambda env: _command(
            env, "add-device", f"kiosk-{next(fresh)}", "--kind", "kiosk"
        ),
        "add-user": lambda env: _command(
            env, "add-user", f"user{next(fresh)}", "--role", "clerk", stdin=b"long-password\n"
        ),
        "webhook list": lambda env: _command(env, "webhook", "list"),
        "backup": lambda env: _command(env, "backup", str(folder / "backups"), "--keep", "1"),
        "serve (to first answer)": lambda env: _serve(env, _free_port()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare-src", metavar="DIR", help="the baseline's src/ (B)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--only", nargs="+", help="these commands only (names as printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cherha-cli-") as tmp:
        folder = Path(tmp)
        base_env = {
            **os.environ,
            "CHERHA_DATABASE_URL": f"sqlite:///{folder / 'centre.db'}",
            "CHERHA_LOG_LEVEL": "warning",
            "XDG_DATA_HOME": str(folder / "data"),
        }
        trees = {"this": str(ROOT / "src")}
        if args.compare_src:
            trees["base"] = str(Path(args.compare_src).resolve())
        envs = {name: {**base_env, "PYTHONPATH": src} for name, src in trees.items()}
        _command(envs["this"], "init", "--sample")  # the shared database, at the newest schema
        chosen = {k: v for k, v in cases(folder).items() if not args.only or k in args.only}
        print(f"CPU seconds (user+system) per run, median of {args.rounds} rounds; {trees}")
        print(f"{'command':26} " + " ".join(f"{name:>8}" for name in trees) + "   this/base")
        for name, case in chosen.items():
            seen: dict[str, list[float]] = {tree: [] for tree in trees}
            for _round in range(args.rounds):
                for tree in trees:  # A B A B …: both trees see the same moments of the machine
                    seen[tree].append(case(envs[tree]))
            medians = {tree: statistics.median(values) for tree, values in seen.items()}
            ratio = f"{medians['this'] / medians['base']:9.2f}" if "base" in medians else ""
            print(f"{name:26} " + " ".join(f"{m:8.3f}" for m in medians.values()) + ratio)


if __name__ == "__main__":
    main()
