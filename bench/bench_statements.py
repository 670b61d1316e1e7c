"""What single statements of the call path cost on SQLite, each in the store's own way (issue 19).

Run by hand (not in the test suite; this machine is shared and noisy):

    .venv/bin/python bench/bench_statements.py
    .venv/bin/python bench/bench_statements.py --waiting 1000 --rounds 2000

A fresh SQLite database (the server's settings) gets the sample centre and `--waiting`
tickets waiting today. Then, on one thread, each statement runs `--rounds` times, each time in
a read transaction of its own as a call runs it: `lines.heads` (the head of every line window
1 calls from) and `lines.tickets_at` (who is at window 1); and a clerk's login looked up as the
write lane does it for call-next and start (`Accounts.resolve`, inside a group commit).
Reports the median wall time (`bench_hot_paths.timed`) and the process's CPU time per run.

Compare versions in one run by pointing PYTHONPATH at another checkout's `src` (interleave
A B A B):

    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_statements.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.orm import Session

from bench.bench_hot_paths import fill_line, timed
from cherha.server.backend import Backend
from cherha.server.store.lines import heads, tickets_at
from cherha.server.store.models import Counter
from cherha.server.store.records import served_service_ids
from tests.helpers.app import make_centre, settings_for
from tests.helpers.templates import CLERK_PASSWORD, TEST_PASSWORDS


def in_a_read(backend: Backend, run: Callable[[Session], object]) -> Callable[[], object]:
    def read() -> object:
        with backend.db.read() as session:
            return run(session)

    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=1000, help="tickets waiting today")
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/statements.db"
        make_centre(url, clerks=8)
        backend = Backend.create(settings_for(url), passwords=TEST_PASSWORDS)
        try:
            fill_line(backend, args.waiting)
            with backend.db.read() as session:
                counter = session.get(Counter, 1)
                assert counter is not None
                served = served_service_ids(session, counter.id)
                session.expunge(counter)
            print(f"{args.waiting} waiting; window 1 serves {len(served)} services")
            print("| statement | p50 ms | CPU ms |")
            print("| --- | ---: | ---: |")
            for name, run in (
                ("lines.heads", lambda session: heads(session, counter, served)),
                ("lines.tickets_at", lambda session: tickets_at(session, counter.id)),
            ):
                figures = timed(in_a_read(backend, run), args.rounds)
                print(f"| {name} | {figures['p50_ms']:.3f} | {figures['cpu_ms']:.3f} |")
            token = backend.accounts.login("clerk1", CLERK_PASSWORD).token
            with backend.db.group():  # as the write lane runs call-next and start
                figures = timed(lambda: backend.accounts.resolve(token), args.rounds)
            login = "a clerk's login in a group (Accounts.resolve)"
            print(f"| {login} | {figures['p50_ms']:.3f} | {figures['cpu_ms']:.3f} |")
        finally:
            backend.db.dispose()


if __name__ == "__main__":
    main()
