"""Can a write commit? /health asks by writing one small row of this instance's own."""

from __future__ import annotations

import os
import socket

from .clock import Clock, utcnow
from .db import Database
from .models import HealthProbe


class HealthCheck:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.instance = f"{socket.gethostname()}:{os.getpid()}"[:100]

    def probe(self) -> None:
        """Commit a write; raises the database's error (read-only, disk full, gone) if not."""
        with self.db.write(None) as session:
            row = session.get(HealthProbe, self.instance)
            if row is None:
                session.add(HealthProbe(instance=self.instance, at=self.clock()))
            else:
                row.at = self.clock()
