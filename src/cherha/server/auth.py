"""Passwords (argon2), login tokens and device keys. Only hashes are ever stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8


class Role(StrEnum):
    ADMIN = "admin"
    """Everything, users and devices included."""
    HEAD = "head"
    """The centre head (керівник центру): the console without users and devices."""
    CLERK = "clerk"


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a logged-in user or a device."""

    kind: str  # "user" or "device"
    id: int
    name: str
    role: str  # Role for users, DeviceKind for devices
    branch_id: int | None = None
    may_call_out_of_order: bool = False

    @property
    def actor(self) -> str:
        """How the event log names this principal."""
        return f"{self.kind}:{self.name}"

    @property
    def is_admin(self) -> bool:
        return self.kind == "user" and self.role == Role.ADMIN

    @property
    def runs_centre(self) -> bool:
        """An administrator or the centre head: the console, the pause, the set-up."""
        return self.kind == "user" and self.role in (Role.ADMIN, Role.HEAD)

    @property
    def is_user(self) -> bool:
        return self.kind == "user"


class Passwords:
    """Hashing and checking passwords with argon2; one per server, made in `Backend.create`.

    The default parameters are argon2-cffi's RFC 9106 low-memory profile. Tests pass
    `Passwords.cheapest()`: the same code path at a fraction of the cost (never in production).
    """

    def __init__(self, parameters: Parameters | None = None) -> None:
        self.parameters = parameters or profiles.RFC_9106_LOW_MEMORY
        self._hasher = PasswordHasher.from_parameters(self.parameters)

    @classmethod
    def cheapest(cls) -> Passwords:
        return cls(profiles.CHEAPEST)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def new_secret() -> str:
    """A bearer token or device key: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_public_token() -> str:
    """The unguessable part of a ticket's status URL (128 bits)."""
    return secrets.token_urlsafe(16)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
