"""Alembic: a fresh database and an older one both end at the models' schema, data kept."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from cherha.server.store.db import Database
from cherha.server.store.migrate import alembic_config, current_revision, upgrade
from cherha.server.store.models import Base


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
