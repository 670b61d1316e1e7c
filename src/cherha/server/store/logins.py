"""Logging in: waits per name and address, the password, the session it opens.

`Logins` is the logging-in half of `Accounts` (a mixin: it uses the accounts' database, clock,
hasher and login gate). A login is checked in two halves so the API can run them apart: the
reads and the hash on a worker thread, the write on the write lane (`cherha.server.api.logins`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import bindparam, delete, select, update

from cherha.core.errors import DomainError
from cherha.core.ratelimit import RateLimited

from ..auth import HashingBusy, Passwords, Principal, Role, digest, new_secret
from . import throttle
from .audit import record_audit
from .clock import Clock
from .db import Database
from .login_gate import LoginGate
from .models import AuthToken, User

LOGIN_POLICIES = {
    # A name is guessed at from anywhere: a few tries, then waits of 1 s, 2 s, 4 s … 15 min.
    "name": throttle.Policy(free=5),
    # An address may be a whole centre behind one NAT: more tries before the waits start.
    "address": throttle.Policy(free=20),
}


def login_keys(username: str, address: str) -> dict[str, str]:
    return {
        "name": f"login:user:{username.strip().casefold()[:100]}",
        "address": f"login:addr:{address[:64]}",
    }


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True, slots=True)
class CheckedLogin:
    """A password checked, its outcome not yet written (`Accounts.finish_login`)."""

    username: str
    address: str
    user: User | None
    """The user, when the password was right (loaded, detached from its session)."""
    known: bool
    """Whether the name exists (for the audit)."""
    new_hash: str | None = None
    """The right password hashed again with the current parameters, when the stored hash was
    made with others (written with the session)."""


def too_many_logins(wait: int) -> RateLimited:
    """The refusal of a try during a wait (HTTP 429 with Retry-After)."""
    return throttle.too_many(
        wait, what_uk="Забагато невдалих спроб входу", what_en="Too many failed login attempts"
    )


class Logins:
    """The logging-in methods of `Accounts`, which sets these attributes."""

    db: Database
    clock: Clock
    passwords: Passwords
    gate: LoginGate
    token_ttl: timedelta

    def attempt(self, username: str, address: str) -> AbstractContextManager[int | None]:
        """One try for this name from this address: yields None, or the seconds to wait when
        this process already knows it must be refused (`LoginGate`), unhashed and unwritten."""
        return self.gate.attempt(login_keys(username, address).values())

    def login(self, username: str, password: str, address: str = "") -> Login:
        """Check a password and open a session; failures are counted per address and name."""
        with self.attempt(username, address) as wait:
            if wait is not None:
                raise too_many_logins(wait)
            return self.finish_login(self.check_login(username, password, address))

    def check_login(self, username: str, password: str, address: str = "") -> CheckedLogin:
        """The reading half of a login: the waits in the database, then the password.

        The password is checked on the hashing pool with no transaction open; an unknown or
        disabled name costs the same time as a wrong password. After `LOGIN_POLICIES`' `free`
        failures for a name or an address each failure doubles the wait before the next try;
        a try during the wait is refused at once, unhashed.
        """
        keys = login_keys(username, address)
        now = self.clock()
        with self.db.read() as session:
            blocked = throttle.blocked_keys(session, list(keys.values()), now)
            user = session.scalars(select(User).where(User.username == username)).first()
        if blocked:
            # Only the keys that must wait: a name's wait must not hold up its address.
            for key, seconds in blocked.items():
                self.gate.remember(key, now + timedelta(seconds=seconds))
            raise too_many_logins(max(blocked.values()))
        new_hash = None
        if user is not None and user.active:
            accepted = self.passwords.verify(user.password_hash, password)
            if accepted and self.passwords.needs_rehash(user.password_hash):
                with suppress(HashingBusy):  # then at a later login
                    new_hash = self.passwords.hash(password)
        else:
            accepted = self.passwords.verify_unknown(password)
        return CheckedLogin(
            username=username,
            address=address,
            user=user if accepted else None,
            known=user is not None,
            new_hash=new_hash,
        )

    def finish_login(self, checked: CheckedLogin) -> Login:
        """The writing half, one write transaction: a session for an accepted password, or
        the failure counted and audited (then `Unauthorized`). The API runs it on the write
        lane, in turn with the queue's writes (`cherha.server.api.logins`)."""
        if checked.user is None:
            self._login_failed(checked)
            raise Unauthorized(
                "Неправильне ім'я користувача або пароль",
                "Wrong username or password",
                code="bad_credentials",
            )
        user = checked.user
        keys = login_keys(checked.username, checked.address)
        with self.db.write(None) as session:
            now = self.clock()
            token = new_secret()
            expires = now + self.token_ttl
            session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
            session.add(
                AuthToken(
                    token_hash=digest(token), user_id=user.id, created_at=now, expires_at=expires
                )
            )
            if checked.new_hash is not None:
                session.execute(
                    update(User).where(User.id == user.id).values(password_hash=checked.new_hash)
                )
            throttle.clear(session, keys["name"])
            self.gate.forget(keys["name"])
            record_audit(
                session,
                at=now,
                actor=f"user:{user.username}",
                action="login",
                target=f"user:{user.username}",
                address=checked.address,
            )
            return Login(token, expires, user_principal(user))

    def _login_failed(self, checked: CheckedLogin) -> None:
        username, address = checked.username, checked.address
        keys = login_keys(username, address)
        with self.db.write(None) as session:
            now = self.clock()
            waits = {
                kind: throttle.note_failure(session, key, LOGIN_POLICIES[kind], now)
                for kind, key in keys.items()
            }
            record_audit(
                session,
                at=now,
                actor="anonymous",
                action="login_failed",
                target=f"user:{username[:80]}",
                address=address,
                data={"known_user": checked.known},
            )
            for kind, wait in waits.items():
                if wait is not None:
                    self.gate.remember(keys[kind], now + wait)
                    record_audit(
                        session,
                        at=now,
                        actor="system",
                        action="login_locked",
                        target=f"user:{username[:80]}" if kind == "name" else f"address:{address}",
                        address=address,
                        data={"by": kind, "seconds": int(wait.total_seconds())},
                    )
            if now.second == 0:  # now and then, forget made-up names tried long ago
                throttle.forget_old(session, now)


STAFF_LOGIN = (
    select(
        AuthToken.expires_at,
        User.id,
        User.username,
        User.role,
        User.may_call_out_of_order,
        User.active,
    )
    .select_from(AuthToken)
    .outerjoin(User, User.id == AuthToken.user_id)
    .where(AuthToken.token_hash == bindparam("hashed"))
)
"""A login's expiry and its user (a missing user reads as NULLs: refused as disabled)."""


class _StaffFields(Protocol):
    """What a principal needs of a user: a `User`, or a row of `STAFF_LOGIN`."""

    @property
    def id(self) -> int: ...
    @property
    def username(self) -> str: ...
    @property
    def role(self) -> Role: ...
    @property
    def may_call_out_of_order(self) -> bool: ...


def user_principal(user: _StaffFields) -> Principal:
    return Principal(
        kind="user",
        id=user.id,
        name=user.username,
        role=user.role,
        may_call_out_of_order=user.may_call_out_of_order,
    )
