"""How long a sender's pass holds the database's write lock (`cherha.server.notify.outbox`).

On SQLite the notifications' process and the server share one writer: while a sender writes
what became of its last pass and claims the next rows (`outbox.settle`), the server's requests
wait. This times that transaction in-process: from `BEGIN IMMEDIATE` having taken the lock to
the `COMMIT` (the commit itself, an fsync, is left out: the same for any code), and the whole
`settle` call in CPU; with 3,000 delivered rows in the log and 50 rows delivered and 50 claimed a
pass, as under a webhook taking every event. Compare versions in one run by pointing PYTHONPATH
at another checkout's `src` (interleave A B A B):

    .venv/bin/python bench/bench_outbox.py
    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_outbox.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from cherha.server.notify import outbox
from cherha.server.notify.webhooks import WebhookRegistry
from cherha.server.store.clock import utcnow
from cherha.server.store.db import Database
from tests.helpers.app import make_centre

BATCH = 50
BODY = {"event_id": 1, "data": {"number": "A012", "service_id": 1, "status": "waiting"}}


def add(db: Database, hook: int, rows: int) -> None:
    with db.write(None) as session:
        for _ in range(rows):
            outbox.add_webhook(
                session,
                webhook_id=hook,
                kind="ticket_issued",
                body=BODY,
                now=utcnow(),
                event_id=None,
                branch_id=1,
            )


def measure(passes: int, logged: int) -> tuple[list[float], list[float]]:
    """Per pass: the lock held (ms, commit excluded) and the settle's CPU (ms)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'outbox.db'}"
        make_centre(url)
        db = Database(url)
        try:
            hook = WebhookRegistry(db).add("http://127.0.0.1:9/hook", ["*"])[0].id
            add(db, hook, logged)
            with db.write(None) as session:
                session.execute(text("UPDATE outbox SET state = 'sent'"))  # the delivery log
            began: list[float] = []
            held: list[float] = []

            def on_begin(_conn: Any) -> None:  # after the engine's own BEGIN IMMEDIATE
                began.append(time.perf_counter())

            def on_commit(_conn: Any) -> None:  # before the COMMIT is sent
                held.append((time.perf_counter() - began[-1]) * 1000)

            event.listen(db.engine, "begin", on_begin)
            event.listen(db.engine, "commit", on_commit)
            cpu: list[float] = []
            locked: list[float] = []
            outcomes: list[outbox.Outcome] = []
            for _ in range(passes + 5):  # the first five warm up
                add(db, hook, BATCH)
                due = [w.id for w in outbox.waiting(db, outbox.WEBHOOK, utcnow(), BATCH)]
                held.clear()
                started = time.process_time()
                claimed = outbox.settle(db, outcomes, due, utcnow())
                cpu.append((time.process_time() - started) * 1000)
                assert len(claimed) == BATCH, len(claimed)
                locked.append(held[0])  # the write; a read after it may follow
                outcomes = [outbox.Outcome(r.id, sent=True, status=200) for r in claimed]
            return locked[-passes:], cpu[-passes:]
        finally:
            db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=200)
    parser.add_argument("--logged", type=int, default=3000, help="delivered rows in the log")
    args = parser.parse_args()
    held, cpu = measure(args.passes, args.logged)
    print(
        f"settle of {BATCH} outcomes and {BATCH} claims, {args.passes} passes, "
        f"{args.logged} rows in the log:"
    )
    print(
        f"  write lock held (commit excluded): median {statistics.median(held):.3f} ms, "
        f"p90 {sorted(held)[int(len(held) * 0.9)]:.3f} ms"
    )
    print(f"  CPU of the whole settle: median {statistics.median(cpu):.3f} ms")


if __name__ == "__main__":
    main()
