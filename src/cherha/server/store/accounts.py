"""Users, login tokens and device keys."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from cherha.core.errors import DomainError, Invalid

from ..auth import (
    MIN_PASSWORD_LENGTH,
    DeviceKind,
    Passwords,
    Principal,
    Role,
    digest,
    new_secret,
)
from .clock import Clock, utcnow
from .db import Database
from .models import AuthToken, Branch, Device, User

CACHE_SECONDS = 5.0


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    expires_at: datetime
    principal: Principal


class Accounts:
    def __init__(
        self,
        db: Database,
        token_ttl: timedelta,
        clock: Clock = utcnow,
        passwords: Passwords | None = None,
    ) -> None:
        self.db = db
        self.token_ttl = token_ttl
        self.clock = clock
        self.passwords = passwords or Passwords()
        self._devices: dict[str, tuple[Principal, float]] = {}

    def add_user(
        self,
        username: str,
        password: str,
        role: Role,
        *,
        display_name: str = "",
        may_call_out_of_order: bool = False,
    ) -> User:
        username = username.strip()
        if not username or len(username) > 80 or any(c.isspace() for c in username):
            raise Invalid(
                "Ім'я користувача має бути одним словом до 80 знаків",
                "A username is one word of at most 80 characters",
            )
        if len(password) < MIN_PASSWORD_LENGTH:
            raise Invalid(
                f"Пароль має містити щонайменше {MIN_PASSWORD_LENGTH} знаків",
                f"The password must have at least {MIN_PASSWORD_LENGTH} characters",
            )
        with self.db.write(None) as session:
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise Invalid(f"Користувач «{username}» уже є", f"User '{username}' already exists")
            user = User(
                username=username,
                password_hash=self.passwords.hash(password),
                role=role,
                display_name=display_name or username,
                active=True,
                may_call_out_of_order=may_call_out_of_order or role is Role.ADMIN,
            )
            session.add(user)
        return user

    def add_device(
        self, name: str, kind: DeviceKind, branch_code: str | None = None
    ) -> tuple[Device, str]:
        """A new kiosk or display; returns the key, shown once and stored only as a hash."""
        name = name.strip()
        if not name or len(name) > 80:
            raise Invalid("Назва пристрою: 1–80 знаків", "A device name has 1 to 80 characters")
        key = new_secret()
        with self.db.write(None) as session:
            query = select(Branch).order_by(Branch.id)
            if branch_code:
                query = query.where(Branch.code == branch_code)
            branch = session.scalars(query).first()
            if branch is None:
                raise Invalid(
                    "Спершу налаштуйте центр: cherha-server init --sample або load-centre",
                    "Set up a centre first: cherha-server init --sample or load-centre",
                )
            if session.scalar(select(Device.id).where(Device.name == name)) is not None:
                raise Invalid(f"Пристрій «{name}» уже є", f"Device '{name}' already exists")
            device = Device(
                name=name,
                kind=kind,
                key_hash=digest(key),
                branch_id=branch.id,
                active=True,
                created_at=self.clock(),
            )
            session.add(device)
        return device, key

    def login(self, username: str, password: str) -> Login:
        with self.db.write(None) as session:
            user = session.scalars(select(User).where(User.username == username)).first()
            if (
                user is None
                or not user.active
                or not self.passwords.verify(user.password_hash, password)
            ):
                raise Unauthorized(
                    "Неправильне ім'я користувача або пароль",
                    "Wrong username or password",
                    code="bad_credentials",
                )
            now = self.clock()
            token = new_secret()
            expires = now + self.token_ttl
            session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
            session.add(
                AuthToken(
                    token_hash=digest(token), user_id=user.id, created_at=now, expires_at=expires
                )
            )
            return Login(token, expires, _user_principal(user))

    def logout(self, token: str) -> None:
        with self.db.write(None) as session:
            session.execute(delete(AuthToken).where(AuthToken.token_hash == digest(token)))

    def cached(self, secret: str) -> Principal | None:
        """A device key's remembered answer, or None when it must be looked up."""
        return self._remembered(digest(secret))

    def _remembered(self, hashed: str) -> Principal | None:
        entry = self._devices.get(hashed)
        if entry is not None and time.monotonic() < entry[1]:
            return entry[0]
        return None

    def resolve(self, secret: str) -> Principal:
        """Whoever a bearer token or device key belongs to, or 401 saying why not.

        A device key's answer is remembered for a few seconds: a busy kiosk sends the same key
        with every ticket, and the lookup would otherwise be a transaction of its own. A device
        disabled elsewhere stops working within CACHE_SECONDS. Staff tokens are looked up every
        time, so an expired, revoked or disabled login is refused at once.
        """
        hashed = digest(secret)
        remembered = self._remembered(hashed)
        if remembered is not None:
            return remembered
        principal = self._lookup(hashed)
        if principal.kind == "device":
            if len(self._devices) > 10_000:
                self._devices.clear()
            self._devices[hashed] = (principal, time.monotonic() + CACHE_SECONDS)
        return principal

    def _lookup(self, hashed: str) -> Principal:
        with self.db.read() as session:
            row = session.get(AuthToken, hashed)
            if row is not None:
                if row.expires_at <= self.clock():
                    raise Unauthorized(
                        "Сеанс завершився: увійдіть знову",
                        "Your session has expired: log in again",
                        code="token_expired",
                    )
                user = session.get(User, row.user_id)
                if user is None or not user.active:
                    raise Unauthorized("Обліковий запис вимкнено", "This account is disabled")
                return _user_principal(user)
            device = session.scalars(select(Device).where(Device.key_hash == hashed)).first()
            if device is not None:
                if not device.active:
                    raise Unauthorized("Цей пристрій вимкнено", "This device is disabled")
                return Principal(
                    kind="device",
                    id=device.id,
                    name=device.name,
                    role=device.kind,
                    branch_id=device.branch_id,
                )
        raise Unauthorized(
            "Невідомий ключ доступу: увійдіть знову або перевірте ключ пристрою",
            "Unknown access key: log in again or check the device key",
            code="bad_token",
        )


def _user_principal(user: User) -> Principal:
    return Principal(
        kind="user",
        id=user.id,
        name=user.username,
        role=user.role,
        may_call_out_of_order=user.may_call_out_of_order,
    )


__all__ = ["Accounts", "Login", "Unauthorized"]
