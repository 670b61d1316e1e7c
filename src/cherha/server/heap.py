"""The garbage collector in a long-running process (`serve`, the notifications' process)."""

from __future__ import annotations

import gc


def started() -> None:
    """Start-up is done: what it imported and built lives as long as the process.

    Keep it out of the collector's scans (`gc.freeze`), collect young objects less often, and
    turn the collector (back) on. Full collections over the whole SQLAlchemy/FastAPI heap were
    the long tail of request latency; in `serve` the collector is off during start-up, whose
    passes over the growing heap were ~15 % of its CPU.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    gc.enable()
