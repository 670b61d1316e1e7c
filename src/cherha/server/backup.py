"""`cherha-server backup`: a consistent copy of the database while the server keeps running.

SQLite: the online backup API (pages copied under SQLite's own locking, so a write in the middle
of the copy is either in it or not, never half). PostgreSQL: `pg_dump --format=custom`, restored
with `pg_restore`. Old copies beyond `keep` are removed, newest kept.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine.url import make_url

from cherha.core.errors import Invalid

PREFIX = "cherha-"


def backup(database_url: str, folder: Path, *, now: datetime, keep: int = 0) -> Path:
    """Write one backup into `folder` (made if missing); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    url = make_url(database_url)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise Invalid("Немає файлу бази для копії", "There is no database file to back up")
        source = Path(url.database)
        if not source.exists():
            raise Invalid(
                f"Файлу бази {source} немає", f"The database file {source} does not exist"
            )
        target = folder / f"{PREFIX}{stamp}.db"
        _sqlite_backup(source, target)
        suffix = ".db"
    elif url.get_backend_name() == "postgresql":
        target = folder / f"{PREFIX}{stamp}.dump"
        _pg_dump(url.set(drivername="postgresql").render_as_string(hide_password=False), target)
        suffix = ".dump"
    else:  # pragma: no cover - settings only accept the two
        raise Invalid("Невідома база даних", "Unknown database")
    if keep > 0:
        old = sorted(folder.glob(f"{PREFIX}*{suffix}"))[:-keep]
        for path in old:
            path.unlink()
    return target


def _sqlite_backup(source: Path, target: Path) -> None:
    partial = target.with_suffix(".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)
        finally:
            dst.close()
    finally:
        src.close()
    partial.rename(target)  # a copy is only ever seen whole


def _pg_dump(dsn: str, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise Invalid(
            "Для копії PostgreSQL потрібен pg_dump (пакет postgresql-client)",
            "Backing up PostgreSQL needs pg_dump (package postgresql-client)",
        )
    partial = target.with_suffix(".partial")
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", dsn],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise Invalid(
            f"pg_dump не вдався: {result.stderr.strip()[:300]}",
            f"pg_dump failed: {result.stderr.strip()[:300]}",
        )
    partial.rename(target)
