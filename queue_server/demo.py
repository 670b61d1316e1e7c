"""`cherha-server demo`: the sample centre on SQLite with demo accounts, ready to click through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
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


KIOSK_CONFIG = """# Written by `cherha-server demo`: a kiosk on this computer, printing PNG previews.
[kiosk]
server_url = "{server_url}"
device_key = "{device_key}"
fullscreen = false
admin_pin = "1234"
priority_categories = [
  {{ uk = "Особи з інвалідністю I групи та їхні супровідники", en = "People with group I disability and companions" }},
  {{ uk = "Сімʼї загиблих захисників", en = "Families of fallen defenders" }},
  {{ uk = "Військовослужбовці", en = "Serving military" }},
]

[printer]
device = "preview-dir:{tickets}"
"""


def write_kiosk_config(settings: Settings, setup: DemoSetup) -> Path:
    """The demo kiosk's TOML: this server, the demo key, tickets as previews in a folder."""
    tickets = setup.folder / "tickets"
    tickets.mkdir(exist_ok=True)
    path = setup.folder / "kiosk.toml"
    path.write_text(
        KIOSK_CONFIG.format(
            server_url=settings.base_url, device_key=setup.kiosk_key, tickets=tickets
        ),
        encoding="utf-8",
    )
    return path


def has_screen() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_apps(settings: Settings, kiosk_config: Path) -> list[subprocess.Popen[bytes]]:
    """Once the server answers, the kiosk and a clerk desk in windows of their own."""
    deadline = time.monotonic() + 30
    health = f"{settings.base_url}/api/v1/health"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(health, timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    bin_dir = Path(sys.executable).parent
    return [
        subprocess.Popen(
            [str(bin_dir / "cherha-kiosk"), "--config", str(kiosk_config), "--windowed"]
        ),
        subprocess.Popen([str(bin_dir / "cherha-clerk"), "--server", settings.base_url]),
    ]


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
            f"  Талони (PNG) / tickets:      {setup.folder / 'tickets'}",
            "  Вихід з кіоску / kiosk exit: 5 taps in the top-left corner, PIN 1234",
        ]
    )
