"""Bring a database up to date with Alembic: `cherha-server migrate`, or on server start.

A database already at the newest revision is recognised with one query and without loading
Alembic, which a server process would otherwise keep in memory all day (about 10 MB).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def newest_revision() -> str:
    """The newest migration's revision, as its file declares it: the history is one line and
    each new migration takes the next number, so it is the highest-numbered file
    (tests/api/test_migrations.py checks this against Alembic's own reading)."""
    newest = max((MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    declared = _REVISION.search(newest.read_text(encoding="utf-8"))
    if declared is None:
        raise RuntimeError(f"{newest.name} declares no revision")
    return declared.group(1)


_REVISION = re.compile(r'^revision(?:: str)? = "([^"]+)"$', re.MULTILINE)


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied (a fresh database gets the whole schema)."""
    if current_revision(engine) == newest_revision():
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: no schema yet)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        found = list(versions)
    return found[0] if len(found) == 1 else None
