"""Prepared centres, built once per test run and copied for every test that asks for one.

Preparing a centre means migrating an empty database, loading the sample centre and adding the
accounts. Done for every test it was most of the suite's time; a copy costs milliseconds:
SQLite copies the template's file, PostgreSQL makes the database with `CREATE DATABASE …
TEMPLATE …`. Templates are kept per process (each pytest-xdist worker has its own) and per
kind of centre: the centre file and the number of clerks. Each kind's template starts as a copy
of one migrated empty database, so the migrations run once per process and place.

Passwords are hashed with `Passwords.cheapest()`: argon2 with the smallest parameters, the same
code path. argon2 reads the parameters from the stored hash, so every server logging these users
in (in-process or a `cherha-server serve` subprocess) checks them cheaply too.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine.url import URL, make_url

from cherha.server.auth import DeviceKind, Passwords, Role
from cherha.server.store.accounts import Accounts
from cherha.server.store.centre import load_centre
from cherha.server.store.centre_file import (
    SAMPLE_CENTRE,
    CentreFile,
    always_open,
    read_centre_file,
)
from cherha.server.store.db import Database, normalise_url
from cherha.server.store.migrate import upgrade

CLERK_PASSWORD = "clerk-pass-1"
ADMIN_PASSWORD = "admin-pass-1"

TEST_PASSWORDS = Passwords.cheapest()
"""The password hasher of every server and account the test helpers make (never production's)."""


@dataclass
class Centre:
    """A prepared database: the centre, `admin`, `clerk1`…`clerkN`, a kiosk and a display."""

    database_url: str
    kiosk_key: str
    display_key: str
    clerks: list[str] = field(default_factory=list)


def sample_centre() -> CentreFile:
    """The sample ЦНАП, open every day around the clock (tests run at any hour)."""
    return always_open(read_centre_file(SAMPLE_CENTRE))


def build_centre(
    database_url: str,
    *,
    clerks: int = 3,
    spec: CentreFile | None = None,
    passwords: Passwords = TEST_PASSWORDS,
    migrate: bool = True,
) -> Centre:
    """Prepare the centre in `database_url` step by step (what a template is made of); without
    `migrate` the database already has the newest schema."""
    db = Database(database_url)
    try:
        if migrate:
            upgrade(db.engine)
        load_centre(db, spec or sample_centre())
        accounts = Accounts(db, timedelta(hours=12), passwords=passwords)
        accounts.add_user("admin", ADMIN_PASSWORD, Role.ADMIN)
        names = [f"clerk{i}" for i in range(1, clerks + 1)]
        for name in names:
            accounts.add_user(name, CLERK_PASSWORD, Role.CLERK)
        _k, kiosk = accounts.add_device("kiosk-1", DeviceKind.KIOSK)
        _d, display = accounts.add_device("display-1", DeviceKind.DISPLAY)
        return Centre(database_url, kiosk, display, names)
    finally:
        db.dispose()


def make_centre(
    database_url: str,
    *,
    clerks: int = 3,
    spec: CentreFile | None = None,
    passwords: Passwords = TEST_PASSWORDS,
) -> Centre:
    """The centre in `database_url`, copied from this run's template when the database is empty.

    A database that already holds something is prepared step by step instead, as before, and
    so is a centre whose passwords are hashed by another hasher than the tests' cheap one (a
    test of what a real hash costs passes `Passwords()`: argon2 takes its cost from the hash).
    """
    if passwords is not TEST_PASSWORDS:
        return build_centre(database_url, clerks=clerks, spec=spec, passwords=passwords)
    return TEMPLATES.centre(database_url, clerks, spec or sample_centre())


class Templates:
    """This process's template databases, by where they live and what centre they hold."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._made: dict[tuple[str, str], Centre] = {}
        self._migrated_at: set[str] = set()

    def centre(self, database_url: str, clerks: int, spec: CentreFile) -> Centre:
        url = make_url(normalise_url(database_url))
        kind = f"{clerks}-{hashlib.sha256(spec.model_dump_json().encode()).hexdigest()[:16]}"
        if url.get_backend_name() == "sqlite" and _blank_sqlite(url):
            template = self._template(self._sqlite_template(kind), clerks, spec, kind)
            target = Path(str(url.database))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(str(make_url(template.database_url).database), target)
            return replace(template, database_url=database_url, clerks=list(template.clerks))
        if url.get_backend_name() == "postgresql" and _blank_postgres(url):
            source = url.set(database=f"cherha_template_{kind.replace('-', '_')}")
            template = self._template(source, clerks, spec, kind)
            if _copy_postgres(source, url):
                return replace(template, database_url=database_url, clerks=list(template.clerks))
        return build_centre(database_url, clerks=clerks, spec=spec)

    def _sqlite_template(self, kind: str) -> URL:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="cherha-templates-"))
            atexit.register(shutil.rmtree, self._folder, True)
        return make_url(f"sqlite:///{self._folder / kind}.db")

    def _template(self, url: URL, clerks: int, spec: CentreFile, kind: str) -> Centre:
        """A kind's template: a copy of the migrated one, with the centre and accounts added."""
        where = url.render_as_string(hide_password=False)
        key = (where, kind)
        if key not in self._made:
            migrated = self._migrated(url)
            if url.get_backend_name() == "postgresql":
                _admin(url, f'DROP DATABASE IF EXISTS "{url.database}"')
                _admin(url, f'CREATE DATABASE "{url.database}" TEMPLATE "{migrated.database}"')
            else:
                shutil.copyfile(str(migrated.database), str(url.database))
            self._made[key] = build_centre(where, clerks=clerks, spec=spec, migrate=False)
        return self._made[key]

    def _migrated(self, url: URL) -> URL:
        """An empty database at the newest schema, beside `url`'s templates: the migrations run
        once per process and place, not once per kind of centre (a py-spy of a whole run found
        them at 4 % of the workers' CPU)."""
        if url.get_backend_name() == "postgresql":
            migrated = url.set(database="cherha_template_migrated")
        else:
            migrated = url.set(database=str(Path(str(url.database)).with_name("migrated.db")))
        where = migrated.render_as_string(hide_password=False)
        if where not in self._migrated_at:
            if url.get_backend_name() == "postgresql":
                _admin(url, f'DROP DATABASE IF EXISTS "{migrated.database}"')
                _admin(url, f'CREATE DATABASE "{migrated.database}"')
            db = Database(where)
            try:
                upgrade(db.engine)
            finally:
                db.dispose()
            self._migrated_at.add(where)
        return migrated


def _blank_sqlite(url: URL) -> bool:
    database = url.database
    if not database or database == ":memory:" or url.query:
        return False
    path = Path(database)
    return not path.exists() or (path.stat().st_size == 0 and not Path(f"{database}-wal").exists())


def _connect(url: URL, database: str | None = None) -> psycopg.Connection[tuple[Any, ...]]:
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=database or url.database,
        autocommit=True,
    )


def _blank_postgres(url: URL) -> bool:
    """The database exists and has no tables (what the `database_url` fixture hands out)."""
    try:
        with _connect(url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.OperationalError:
        return False
    return row is not None and row[0] == 0


def _admin(url: URL, statement: str) -> None:
    with _connect(url, "postgres") as conn:
        conn.execute(statement.encode())


def _copy_postgres(source: URL, target: URL) -> bool:
    """Replace the empty `target` with a copy of `source`; False if `target` is in use.

    (PostgreSQL itself waits a few seconds for connections that are just closing.)
    """
    try:
        _admin(target, f'DROP DATABASE "{target.database}"')
    except psycopg.errors.ObjectInUse:
        return False  # the test holds a connection to it: it is prepared in place
    try:
        _admin(target, f'CREATE DATABASE "{target.database}" TEMPLATE "{source.database}"')
    except psycopg.Error:
        _admin(target, f'CREATE DATABASE "{target.database}"')  # as the test was given it
        raise
    return True


TEMPLATES = Templates()
