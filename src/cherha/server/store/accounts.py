"""Users, login tokens and device keys."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from cherha.core.errors import Invalid, NotFound

from ..auth import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    DeviceKind,
    Passwords,
    Principal,
    Role,
    digest,
    new_secret,
)
from . import throttle
from .audit import record_audit
from .clock import Clock, utcnow
from .db import Database
from .login_gate import LoginGate
from .logins import STAFF_LOGIN, Login, Logins, Unauthorized, login_keys, user_principal
from .models import AuthToken, Branch, Device, User
from .user_admin import locked_user, parse_role, refuse_losing_the_last_admin, user_state

CACHE_SECONDS = 5.0
_DEVICE_LOGIN = select(Device.id, Device.name, Device.kind, Device.branch_id, Device.active).where(
    Device.key_hash == bindparam("hashed")
)
NAME_LENGTH = 80
"""Usernames and device names: `user:`/`device:` and the name fit every actor column."""


def check_username(username: str) -> str:
    username = username.strip()
    if not username or len(username) > NAME_LENGTH or any(c.isspace() for c in username):
        raise Invalid(
            f"Ім'я користувача має бути одним словом до {NAME_LENGTH} знаків",
            f"A username is one word of at most {NAME_LENGTH} characters",
        )
    return username


def check_display_name(name: str) -> str:
    name = name.strip()
    if len(name) > 200:
        raise Invalid("Ім'я для показу: до 200 знаків", "A display name has at most 200 characters")
    return name


def check_device_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise Invalid(
            f"Назва пристрою: 1–{NAME_LENGTH} знаків",
            f"A device name has 1 to {NAME_LENGTH} characters",
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"Пароль має містити щонайменше {MIN_PASSWORD_LENGTH} знаків",
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(
            f"Пароль: не більше {MAX_PASSWORD_LENGTH} знаків",
            f"A password has at most {MAX_PASSWORD_LENGTH} characters",
        )
    return password


def _find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise NotFound(f"Користувача «{username}» немає", f"There is no user '{username}'")
    return user


class Accounts(Logins):
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
        # Bumped (under the lock) after a key is revoked: a lookup that began before the
        # revocation committed must not put the old answer back into `_devices`.
        self._devices_lock = threading.Lock()
        self._revocations = 0
        self.gate = LoginGate(clock)

    def add_user(
        self,
        username: str,
        password: str,
        role: Role,
        *,
        display_name: str = "",
        may_call_out_of_order: bool = False,
        actor: str = "cli",
        address: str = "",
    ) -> User:
        username = check_username(username)
        display_name = check_display_name(display_name)
        password_hash = self.passwords.hash(check_password(password))  # outside the lock
        with self.db.write(None) as session:
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise Invalid(f"Користувач «{username}» уже є", f"User '{username}' already exists")
            user = User(
                username=username,
                password_hash=password_hash,
                role=role,
                display_name=display_name or username,
                active=True,
                may_call_out_of_order=may_call_out_of_order or role is Role.ADMIN,
            )
            session.add(user)
            record_audit(
                session,
                at=self.clock(),
                actor=actor,
                action="user_added",
                target=f"user:{username}",
                address=address,
                data={"after": user_state(user)},
            )
        return user

    def add_device(
        self,
        name: str,
        kind: DeviceKind,
        branch_code: str | None = None,
        *,
        actor: str = "cli",
        address: str = "",
    ) -> tuple[Device, str]:
        """A new kiosk or display; returns the key, shown once and stored only as a hash."""
        name = check_device_name(name)
        if branch_code is not None and len(branch_code) > 40:
            raise Invalid("Код центру: до 40 знаків", "A centre code has at most 40 characters")
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
            record_audit(
                session,
                at=self.clock(),
                actor=actor,
                action="device_added",
                target=f"device:{name}",
                branch_id=branch.id,
                address=address,
                data={"kind": kind.value, "after": {"name": name, "kind": kind.value}},
            )
        return device, key

    def logout(self, token: str, address: str = "") -> None:
        with self.db.write(None) as session:
            row = session.get(AuthToken, digest(token))
            if row is None:
                return
            user = session.get(User, row.user_id)
            session.delete(row)
            name = user.username if user else str(row.user_id)
            record_audit(
                session,
                at=self.clock(),
                actor=f"user:{name}",
                action="logout",
                target=f"user:{name}",
                address=address,
            )

    # -- administering accounts and devices (the CLI and the administrator console) ------------

    def disable_user(self, username: str, *, actor: str = "cli", address: str = "") -> None:
        """The user can no longer log in; every open session of theirs ends at once. The last
        active administrator is never disabled (LastAdministrator, nothing changed)."""
        self._set_user_active(username, False, actor, address)

    def enable_user(self, username: str, *, actor: str = "cli", address: str = "") -> None:
        self._set_user_active(username, True, actor, address)

    def _set_user_active(self, username: str, active: bool, actor: str, address: str) -> None:
        with self.db.write(None) as session:
            user = locked_user(session, username)
            refuse_losing_the_last_admin(
                session, user, role=user.role, active=active, doing=("вимкнути", "disable")
            )
            before = user.active
            user.active = active
            if not active:
                session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
            record_audit(
                session,
                at=self.clock(),
                actor=actor,
                action="user_enabled" if active else "user_disabled",
                target=f"user:{user.username}",
                address=address,
                data={"before": {"active": before}, "after": {"active": active}},
            )

    def change_user(
        self,
        username: str,
        *,
        role: str | None = None,
        may_call_out_of_order: bool | None = None,
        actor: str = "cli",
        address: str = "",
    ) -> bool:
        """A new role and/or out-of-order permission, audited with before and after; True when
        something changed. Takes effect at the user's next request (the role is read with every
        token). The last active administrator keeps the role (LastAdministrator)."""
        new_role = parse_role(role) if role is not None else None
        with self.db.write(None) as session:
            user = locked_user(session, username)
            if new_role is not None:
                refuse_losing_the_last_admin(
                    session,
                    user,
                    role=new_role,
                    active=user.active,
                    doing=("змінити роль", "change the role of"),
                )
            before = user_state(user)
            if new_role is not None:
                user.role = new_role
            if may_call_out_of_order is not None:
                user.may_call_out_of_order = may_call_out_of_order
            after = user_state(user)
            if after == before:
                return False
            record_audit(
                session,
                at=self.clock(),
                actor=actor,
                action="user_changed",
                target=f"user:{user.username}",
                address=address,
                data={
                    "before": {k: v for k, v in before.items() if after[k] != v},
                    "after": {k: v for k, v in after.items() if before[k] != v},
                },
            )
            return True

    def set_password(
        self, username: str, password: str, *, actor: str = "cli", address: str = ""
    ) -> None:
        """A new password; the user's open sessions end (log in again with the new one)."""
        password_hash = self.passwords.hash(check_password(password))  # outside the lock
        with self.db.write(None) as session:
            user = _find_user(session, username)
            user.password_hash = password_hash
            session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
            throttle.clear(session, login_keys(user.username, "")["name"])
            record_audit(
                session,
                at=self.clock(),
                actor=actor,
                action="password_set",
                target=f"user:{user.username}",
                address=address,
            )

    def revoke_device(self, name: str, *, actor: str = "cli", address: str = "") -> None:
        """The device's key stops working: in this process at its next request, on other
        instances (and a server when the CLI revokes) within CACHE_SECONDS. A new key needs
        `add-device` under another name."""
        with self.db.write(None) as session:
            device = session.scalars(select(Device).where(Device.name == name.strip())).first()
            if device is None:
                raise NotFound(f"Пристрою «{name}» немає", f"There is no device '{name}'")
            hashed = device.key_hash
            device.active = False
            record_audit(
                session,
                at=self.clock(),
                actor=actor,
                action="device_revoked",
                target=f"device:{device.name}",
                branch_id=device.branch_id,
                address=address,
                data={"kind": device.kind, "before": {"active": True}, "after": {"active": False}},
            )
        # After the commit: a lookup from now on sees the key refused, and one that read the
        # device before the commit finds the count moved and does not remember its answer.
        with self._devices_lock:
            self._revocations += 1
            self._devices.pop(hashed, None)

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
        revocations = self._revocations
        principal = self._lookup(hashed)
        if principal.kind == "device":
            with self._devices_lock:
                if revocations == self._revocations:
                    if len(self._devices) > 10_000:
                        self._devices.clear()
                    self._devices[hashed] = (principal, time.monotonic() + CACHE_SECONDS)
        return principal

    def _lookup(self, hashed: str) -> Principal:
        with self.db.read_connection() as connection:
            # Every staff request: one Core statement, no ORM objects (two gets cost more).
            login = connection.execute(STAFF_LOGIN, {"hashed": hashed}).first()
            if login is not None:
                if login.expires_at <= self.clock():
                    raise Unauthorized(
                        "Сеанс завершився: увійдіть знову",
                        "Your session has expired: log in again",
                        code="token_expired",
                    )
                if login.id is None or not login.active:
                    raise Unauthorized("Обліковий запис вимкнено", "This account is disabled")
                return user_principal(login)
            device = connection.execute(_DEVICE_LOGIN, {"hashed": hashed}).first()
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


__all__ = ["Accounts", "Login", "Unauthorized"]
