"""`cherha-server demo`: the sample centre on SQLite with demo accounts, ready to click through."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from .auth import DeviceKind, Role
from .settings import Settings, default_data_dir
from .store.accounts import Accounts
from .store.centre import SAMPLE_CENTRE, always_open, load_centre, read_centre_file
from .store.db import Database
from .store.migrate import upgrade
from .store.models import Device, User

DEMO_USERS = (
    ("admin", "admin-demo", Role.ADMIN),
    ("olena", "clerk-demo", Role.CLERK),
    ("taras", "clerk-demo", Role.CLERK),
)


@dataclass(frozen=True)
class DemoSetup:
    kiosk_key: str
    display_key: str
    folder: Path


def prepare(settings: Settings, folder: Path | None = None) -> DemoSetup:
    """Load the sample centre (open around the clock) and make demo users and devices once.

    Device keys are only shown once, so the demo keeps them in its folder for the next start.
    """
    folder = folder or default_data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        upgrade(db.engine)
        load_centre(db, always_open(read_centre_file(SAMPLE_CENTRE)))
        accounts = Accounts(db, timedelta(hours=settings.token_ttl_hours))
        with db.read() as session:
            users = set(session.scalars(select(User.username)))
            devices = set(session.scalars(select(Device.name)))
        for name, password, role in DEMO_USERS:
            if name not in users:
                accounts.add_user(name, password, role, display_name=name.capitalize())
        keys_file = folder / "device-keys.json"
        known: dict[str, dict[str, str]] = (
            json.loads(keys_file.read_text()) if keys_file.exists() else {}
        )
        for kind in (DeviceKind.KIOSK, DeviceKind.DISPLAY):
            entry = known.get(kind.value)
            if entry is None or entry["name"] not in devices:
                name = f"demo-{kind.value}"
                while name in devices:  # the key of an older demo device was lost
                    name += "-new"
                _device, key = accounts.add_device(name, kind)
                known[kind.value] = {"name": name, "key": key}
        keys_file.write_text(json.dumps(known, indent=2))
        return DemoSetup(known["kiosk"]["key"], known["display"]["key"], folder)
    finally:
        db.dispose()


def banner(settings: Settings, setup: DemoSetup) -> str:
    base = settings.base_url
    return "\n".join(
        [
            "Cherha demo / демонстрація",
            f"  Табло залу / hall display:   {base}/display",
            f"  API (OpenAPI):               {base}/docs",
            "  Працівники / staff:          admin / admin-demo,  olena / clerk-demo,  taras / clerk-demo",
            f"  Ключ кіоску / kiosk key:     {setup.kiosk_key}",
            f"  Файли демо / demo files:     {setup.folder}",
        ]
    )
