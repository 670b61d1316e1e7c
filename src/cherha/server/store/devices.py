"""Devices report their health (a kiosk's printer); a change is an event an administrator sees."""

from __future__ import annotations

from sqlalchemy import select

from cherha.core.errors import Forbidden
from cherha.core.model import EventType

from ..auth import Principal
from .clock import Clock, utcnow
from .db import Database
from .models import Device
from .records import record_event


class DeviceOps:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

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

    def list(self) -> list[Device]:
        """Every device, by name (rows read whole; they stay readable after the session)."""
        with self.db.read() as session:
            return list(session.scalars(select(Device).order_by(Device.name)))
