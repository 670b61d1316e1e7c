"""Passwords (argon2), login tokens and device keys. Only hashes are ever stored."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from cherha.core.errors import DomainError

from .roles import DeviceKind as DeviceKind  # re-exported: the server names them here
from .roles import Role as Role

T = TypeVar("T")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
HASHING_THREADS = 1
"""Argon2 runs on this many threads at most (it takes a core each, and the queue needs one)."""
HASHING_QUEUE = 4
"""Password checks waiting beyond the running ones; more are refused at once (503)."""


HASHING_NICENESS = 10
"""Argon2 (and the threads it starts for its lanes) yields the cores to the queue's requests.
Not 19: measured no better under a login flood, and a thread that low may wait long for a core
while it holds the interpreter's lock (the requests' threads then wait with it)."""


def _lower_priority() -> None:
    """On Linux a thread has a nice value of its own; argon2's lane threads inherit it."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


DEFAULT_PARAMETERS = dataclasses.replace(profiles.RFC_9106_LOW_MEMORY, parallelism=1)
"""RFC 9106's second recommended option (argon2id, 64 MiB, 3 passes) on one lane: a check
costs a guesser the same memory and passes, and takes one core instead of all of them."""


class HashingBusy(DomainError):
    code = "login_busy"
    status = 503
    retry_after = 2

    def __init__(self) -> None:
        super().__init__(
            "Сервер зараз перевіряє багато паролів. Спробуйте ще раз за кілька секунд",
            "The server is checking many passwords right now. Try again in a few seconds",
        )


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

    def __init__(
        self,
        parameters: Parameters | None = None,
        *,
        threads: int = HASHING_THREADS,
        queue: int = HASHING_QUEUE,
    ) -> None:
        self.parameters = parameters or DEFAULT_PARAMETERS
        self._hasher = PasswordHasher.from_parameters(self.parameters)
        # Hashing runs on a pool of its own, never under a database lock, and at most
        # `threads + queue` checks are in hand at once: a login flood is refused, not queued.
        self._pool = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="cherha-hash", initializer=_lower_priority
        )
        self._slots = threading.BoundedSemaphore(threads + queue)
        self._capacity = threads + queue
        self._in_hand = 0  # an estimate for `saturated`; the semaphore is the real bound
        self._dummy: str | None = None
        self._dummy_lock = threading.Lock()

    @classmethod
    def cheapest(cls) -> Passwords:
        return cls(profiles.CHEAPEST)

    def hash(self, password: str) -> str:
        return self._in_pool(self._hasher.hash, password)

    def verify(self, password_hash: str, password: str) -> bool:
        return self._in_pool(self._verify, password_hash, password)

    def verify_unknown(self, password: str) -> bool:
        """Spend the time a real check takes (a made-up hash), so unknown names cannot be told
        from known ones by the answer's time. Always False."""
        with self._dummy_lock:
            if self._dummy is None:
                self._dummy = self._hasher.hash(new_secret())
            dummy = self._dummy
        self.verify(dummy, password)
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True for a hash made with other parameters than this hasher's (an older default):
        a login with the right password stores a new one."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def saturated(self) -> bool:
        """True when a check now would be refused as busy (a cheap look, no lock taken)."""
        return self._in_hand >= self._capacity

    def _in_pool(self, fn: Callable[[str, str], T] | Callable[[str], T], *args: str) -> T:
        if not self._slots.acquire(blocking=False):
            raise HashingBusy()
        self._in_hand += 1
        try:
            return self._pool.submit(fn, *args).result()  # type: ignore[arg-type]
        finally:
            self._in_hand -= 1
            self._slots.release()

    def close(self) -> None:
        """Stop the hashing thread (a `Passwords` may be shared by several apps in tests, so
        an app's shutdown leaves it alone; its idle thread ends with the process)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def new_secret() -> str:
    """A bearer token or device key: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be misread (no 0/O, 1/l/I) when a password is read aloud."""


def new_password() -> str:
    """A password an administrator hands over once: 12 characters in groups of four
    (about 70 bits), e.g. «x7Kq-m2Pw-9hRt»."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def new_public_token() -> str:
    """The unguessable part of a ticket's status URL (128 bits)."""
    return secrets.token_urlsafe(16)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def load_or_create_secret(path: Path) -> tuple[str, bool]:
    """The server's secret key from `path`, made (readable by its owner only) when missing.

    Returns the key and whether it was just made. It keys the phone-number hashes kept after
    the purge; it lives outside the database, so a copy of the database alone reveals no
    number. Back it up apart from the database (docs/server.md).
    """
    try:
        return path.read_text(encoding="ascii").strip(), False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip(), False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key, True
