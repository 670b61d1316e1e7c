"""Who may use the server: users' roles and devices' kinds.

Apart from `auth` (which re-exports them) so that `cherha-server --help` offers the choices
without loading the password hashing.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    """Everything, users and devices included."""
    HEAD = "head"
    """The centre head (керівник центру): the console without users and devices."""
    CLERK = "clerk"


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
