"""What the kiosk knows from the server and its configuration, as read-only properties.

`Known` is the controller's base: the branch and its services (from the watch's last
snapshot), whether a pause or the printer stops tickets, the centre's name and time zone, and
the centre's priority categories (the server's list, the one the hall display shows). It reads,
never changes; the screens' content is built from it.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cherha.core.numbering import DEFAULT_TIMEZONE
from cherha.wire import Branch, PriorityCategory, Service

from .config import KioskConfig
from .i18n import tr
from .model import Group, group_services
from .printing import PrinterWatch
from .server_watch import ServerWatch

log = logging.getLogger(__name__)


class Known:
    config: KioskConfig
    watch: ServerWatch
    printer_watch: PrinterWatch
    language: str
    group_key: str | None
    _paused_hint: str | None

    @property
    def branch(self) -> Branch | None:
        return self.watch.snapshot.branch if self.watch.snapshot else None

    @property
    def services(self) -> tuple[Service, ...]:
        return self.watch.snapshot.services if self.watch.snapshot else ()

    @property
    def groups(self) -> list[Group]:
        return group_services(self.services)

    @property
    def group(self) -> Group | None:
        return next((g for g in self.groups if g.key == self.group_key), None)

    @property
    def paused(self) -> bool:
        return self._paused_hint is not None or bool(self.branch and self.branch.paused)

    @property
    def pause_reason(self) -> str:
        if self.branch and self.branch.paused:
            return self.branch.pause_reason
        return self._paused_hint or ""

    @property
    def printer_fault(self) -> bool:
        return self.printer_watch.fault

    @property
    def key_refused(self) -> bool:
        return self.watch.refused

    @property
    def bookings_enabled(self) -> bool:
        return self.config.bookings

    @property
    def priority_categories(self) -> tuple[PriorityCategory, ...]:
        """The centre's legal categories as the server sends them (empty: no priority question).

        One list for the kiosk's question and the hall's legend: the centre's configuration.
        """
        return self.branch.priority_categories if self.branch else ()

    @property
    def timezone(self) -> ZoneInfo:
        """The branch's time zone (the server's word), for the time printed on a slip."""
        name = self.branch.timezone if self.branch else DEFAULT_TIMEZONE
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            log.error("unknown time zone %r from the server; printing Kyiv time", name)
            return ZoneInfo(DEFAULT_TIMEZONE)

    @property
    def centre_name(self) -> str:
        if self.config.centre_name:
            return self.config.centre_name
        if self.branch is None:
            return tr("centre_default", self.language)
        return (
            self.branch.name_en
            if self.language == "en" and self.branch.name_en
            else self.branch.name_uk
        )

    @property
    def private_ok(self) -> bool:
        """A phone number or a name may be read aloud: only into headphones."""
        return self.config.speech_output == "headphones"


__all__ = ["Known"]
