"""Background work that must outlive its failures (the booking sweeper, the notification
senders and their upkeep): what a pass raises is logged, and the loop goes on to try again."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError


@contextmanager
def log_failures(log: logging.Logger, what: str) -> Iterator[None]:
    """Run the `with` body; log what it raises instead of raising it.

    A database that is away (`OperationalError`: stopped, unreachable, a read-only file) is
    one line without a traceback — it repeats every pass until the database is back, and the
    driver's message says all there is. Anything else is a bug: logged with its traceback.
    """
    try:
        yield
    except OperationalError as exc:
        # PostgreSQL's driver adds a hint on a line of its own: folded, it stays one line.
        log.error("%s: database unavailable: %s", what, " ".join(str(exc.orig).split()))
    except Exception:
        log.exception("%s failed", what)
