"""Alembic: a fresh database and an older one both end at the models' schema, data kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from cherha.server.store.db import Database
from cherha.server.store.migrate import (
    MIGRATIONS,
    alembic_config,
    current_revision,
    newest_revision,
    upgrade,
)
from cherha.server.store.models import Base
from tests.helpers.app import make_centre


def test_a_fresh_database_matches_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade(db.engine)
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert current_revision(db.engine) is not None
    finally:
        db.dispose()


def test_an_older_database_is_brought_up_to_date_keeping_its_data(database_url: str) -> None:
    db = Database(database_url)
    try:
        config = alembic_config(database_url)
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO branches (id, code, name_uk, name_en, timezone, paused, pause_reason,"
                    " priority_cap, recall_limit, no_show_return_minutes, returned_keeps_place)"
                    " VALUES (1, 'old', 'Старий', 'Old', 'Europe/Kyiv', false, '', 3, 2, 30, false)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO devices (id, name, kind, key_hash, branch_id, active, created_at)"
                    " VALUES (1, 'kiosk', 'kiosk', 'h', 1, true, '2026-01-01 00:00:00')"
                )
            )
        upgrade(db.engine)
        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT name, printer_status FROM devices")).one()
        assert tuple(row) == ("kiosk", "unknown")
    finally:
        db.dispose()


def test_the_newest_revision_is_read_as_alembic_reads_it() -> None:
    """`newest_revision` (read without Alembic) is Alembic's one head and the revision of the
    highest-numbered file: a new migration numbered out of order fails here."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert scripts.get_heads() == [newest_revision()]
    head = scripts.get_revision(newest_revision())
    assert head is not None
    newest_file = max(MIGRATIONS.glob("versions/[0-9][0-9][0-9][0-9]_*.py"))
    assert Path(head.path) == newest_file


def test_a_server_started_on_an_up_to_date_database_does_not_load_alembic(
    database_url: str, tmp_path: Path
) -> None:
    """Alembic stays out of a server process's memory once the schema is current."""
    make_centre(database_url)
    script = (
        "import sys\n"
        "from cherha.server.app import create_app\n"
        "from tests.helpers.app import settings_for\n"
        f"create_app(settings_for({database_url!r}))\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.stdout.strip() == "[]", done.stderr
