"""`cherha-server demo`: the sample centre on SQLite with demo accounts, ready to click through."""

from __future__ import annotations

import json
import os
import socket
import stat
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
from .store.centre import load_centre
from .store.centre_file import SAMPLE_CENTRE, always_open, read_centre_file
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
            entry = known.get(kind)
            if entry is None or entry["name"] not in devices:
                name = f"demo-{kind}"
                while name in devices:  # the key of an older demo device was lost
                    name += "-new"
                _device, key = accounts.add_device(name, kind)
                known[kind] = {"name": name, "key": key}
        write_private(keys_file, json.dumps(known, indent=2))
        return DemoSetup(known["kiosk"]["key"], known["display"]["key"], folder)
    finally:
        db.dispose()


KIOSK_CONFIG = """# Written by `cherha-server demo`: a kiosk on this computer, printing PNG previews.
[kiosk]
server_url = "{server_url}"
device_key = "{device_key}"
fullscreen = false
admin_pin = "1234"
# The priority question lists the centre's categories, sent by the server.

[printer]
device = "preview-dir:{tickets}"
"""


def write_kiosk_config(settings: Settings, setup: DemoSetup) -> Path:
    """The demo kiosk's TOML: this server, the demo key, tickets as previews in a folder."""
    tickets = setup.folder / "tickets"
    tickets.mkdir(exist_ok=True)
    path = setup.folder / "kiosk.toml"
    write_private(
        path,
        KIOSK_CONFIG.format(
            server_url=settings.base_url, device_key=setup.kiosk_key, tickets=tickets
        ),
    )
    return path


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read: it holds device keys."""
    path.touch(mode=stat.S_IRUSR | stat.S_IWUSR, exist_ok=True)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    path.write_text(text, encoding="utf-8")


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


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on host:port (checked before printing addresses)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def free_port_near(host: str, port: int) -> int:
    """The first free port after `port` (a suggestion for --port)."""
    for candidate in range(port + 1, min(port + 200, 65535)):
        if not port_taken(host, candidate):
            return candidate
    return 0


def banner(settings: Settings, setup: DemoSetup) -> str:
    base = settings.base_url
    return "\n".join(
        [
            "Cherha demo / демонстрація",
            f"  Початкова сторінка / start page:   {base}/",
            f"  Табло залу / hall display:         {base}/display",
            f"  Табло вікна 1 / window 1 display:  {base}/display/counters/1",
            f"  Запис на прийом / book a visit:    {base}/book",
            f"  Скасувати запис / cancel booking:  {base}/book/cancel",
            f"  Адміністрування / admin console:   {base}/admin",
            f"  API (OpenAPI):                     {base}/docs",
            "  Працівники / staff:                admin / admin-demo,  olena / clerk-demo,"
            "  taras / clerk-demo",
            f"  Ключ кіоску / kiosk key:           {setup.kiosk_key}",
            f"  Ключ табло / display key:          {setup.display_key}",
            f"  Файли демо / demo files:           {setup.folder}",
            f"  Талони (PNG) / printed tickets:    {setup.folder / 'tickets'}",
        ]
    )


def apps_line(started: list[str], why_not: str = "") -> str:
    """Which of the demo's apps run, said plainly."""
    if started:
        return (
            f"Запущено / started: {', '.join(started)} "
            "(кіоск у вікні закривається як звичайне вікно; на чергуванні, з --kiosk, вихід — "
            "5 дотиків у лівому верхньому куті і PIN 1234 / the kiosk's window closes as any "
            "window; on duty, with --kiosk, the exit is 5 taps in the top-left corner and "
            "PIN 1234)"
        )
    return f"Кіоск і робоче місце не запущено / kiosk and desk not started: {why_not}"
