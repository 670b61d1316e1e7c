"""Devices report their health (a kiosk's printer); a change is an event an administrator sees."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from cherha.core.errors import Forbidden, Invalid, NotFound
from cherha.core.model import EventType

from ..auth import Principal
from .audit import record_audit
from .clock import Clock, utcnow
from .db import Database
from .models import Device
from .records import record_event

SEEN_EVERY_SECONDS = 60.0
"""A device's last-seen time is written at most this often (it uses its key for every ticket)."""

PRINTER_STATES = ("ok", "paper_near_end", "paper_out", "cover_open", "offline", "error")


@dataclass(frozen=True, slots=True)
class DeviceView:
    id: int
    name: str
    kind: str
    active: bool
    printer_status: str
    status_message: str
    status_at: datetime | None
    last_seen_at: datetime | None = None
    app_version: str = ""


def app_version_of(user_agent: str) -> str:
    """«cherha-queue-client/0.1 …» → «cherha-queue-client/0.1»; a browser's says nothing useful."""
    first = user_agent.split(" ", 1)[0]
    return first[:80] if first.startswith("cherha") else ""


class DeviceOps:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._seen_lock = threading.Lock()
        self._written: dict[int, tuple[float, str]] = {}

    def seen_due(self, principal: Principal, app_version: str) -> bool:
        """Whether this device's last-seen time should be written now (cheap; no database)."""
        if principal.kind != "device":
            return False
        with self._seen_lock:
            written = self._written.get(principal.id)
        return (
            written is None
            or time.monotonic() - written[0] >= SEEN_EVERY_SECONDS
            or written[1] != app_version
        )

    def mark_seen(self, principal: Principal, app_version: str) -> None:
        """Write when the device was last seen, and the app version it says it runs."""
        with self._seen_lock:
            self._written[principal.id] = (time.monotonic(), app_version)
        with self.db.write(None) as session:
            device = session.get(Device, principal.id)
            if device is not None:
                device.last_seen_at = self.clock()
                if app_version:
                    device.app_version = app_version[:80]

    def report(
        self, principal: Principal, printer: str, message: str, ticket_id: int | None
    ) -> bool:
        """Record the device's printer state; True when it changed (and an event was written)."""
        if principal.kind != "device" or principal.branch_id is None:
            raise Forbidden("Стан повідомляє лише пристрій", "Only a device reports its state")
        with self.db.write(principal.branch_id) as session:
            device = session.get(Device, principal.id)
            assert device is not None
            now = self.clock()
            changed = (device.printer_status, device.status_message) != (printer, message)
            device.printer_status, device.status_message, device.status_at = printer, message, now
            if changed:
                record_event(
                    session,
                    branch_id=principal.branch_id,
                    type_=EventType.DEVICE_STATUS,
                    at=now,
                    actor=principal.actor,
                    ticket_id=ticket_id,
                    data={
                        "device": device.name,
                        "kind": device.kind,
                        "printer": printer,
                        "message": message,
                    },
                )
            return changed

    def name_of(self, device_id: int) -> str:
        with self.db.read() as session:
            device = session.get(Device, device_id)
            if device is None:
                raise NotFound(f"Пристрою {device_id} немає", f"No device {device_id}")
            return device.name

    def rename(self, who: Principal, device_id: int, name: str, address: str = "") -> None:
        """A new name for a kiosk or display (its key stays); audited with the old name."""
        name = name.strip()
        if not name or len(name) > 80:
            raise Invalid("Назва пристрою: 1–80 знаків", "A device name has 1 to 80 characters")
        with self.db.write(None) as session:
            device = session.get(Device, device_id)
            if device is None:
                raise NotFound(f"Пристрою {device_id} немає", f"No device {device_id}")
            taken = session.scalar(
                select(Device.id).where(Device.name == name, Device.id != device_id)
            )
            if taken is not None:
                raise Invalid(f"Пристрій «{name}» уже є", f"Device '{name}' already exists")
            before = device.name
            device.name = name
            record_audit(
                session,
                at=self.clock(),
                actor=who.actor,
                action="device_renamed",
                target=f"device:{name}",
                branch_id=device.branch_id,
                address=address,
                data={"before": {"name": before}, "after": {"name": name}},
            )

    def list(self) -> list[DeviceView]:
        with self.db.read() as session:
            return [
                DeviceView(
                    d.id,
                    d.name,
                    d.kind,
                    d.active,
                    d.printer_status,
                    d.status_message,
                    d.status_at,
                    d.last_seen_at,
                    d.app_version,
                )
                for d in session.scalars(select(Device).order_by(Device.name))
            ]
