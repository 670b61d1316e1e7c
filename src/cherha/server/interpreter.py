"""How often Python hands the interpreter between threads, in the processes that write."""

from __future__ import annotations

import sys

SWITCH_INTERVAL_SECONDS = 0.001
"""How long a thread keeps the interpreter while another waits for it (Python's default is
5 ms). A request's thread waits for the database several times per request, and after each
wait it queued for up to 5 ms behind any thread doing Python work, such as the reports' fold:
on PostgreSQL the one request holding a branch's lock then took many times as long, and every
write of that branch waited behind it (docs/benchmarks.md: a login flood's p99 +96 and +383 ms
with the fold, +3.5 ms with 1 ms)."""


def hand_over_often() -> None:
    """For the process: `serve`, and the notifications' process (its thread holding SQLite's
    one write lock waited for the interpreter behind the thread talking HTTP, after each
    statement: its transactions took 5.1-5.3 ms at the median, 3.9 ms at 1 ms, and every
    request of the server waited for them)."""
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
