"""Byte channels to printers: network (port 9100), USB, serial, CUPS, file, preview folder.

Every blocking step is bounded by a ``Deadline``; failures become typed ``PrinterError``s.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType

from .errors import PrinterOffline, PrinterTimeout
from .slips import Document

CHUNK = 4096


class Deadline:
    """A point in time (monotonic clock) that blocking calls must not pass."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises ``PrinterTimeout`` once the time is up."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise PrinterTimeout(detail="deadline passed")
        return left


class Channel(ABC):
    """An open connection for one job. ``can_read``: the printer can answer ``DLE EOT``."""

    can_read = False

    @abstractmethod
    def write(self, data: bytes, deadline: Deadline) -> None: ...

    def read_byte(self, deadline: Deadline) -> int:
        """One byte from the printer; ``PrinterTimeout`` if none comes in time."""
        raise NotImplementedError

    def drain(self) -> None:  # noqa: B027 - optional hook, nothing to drain by default
        """Discard bytes already waiting (unsolicited status) before a query."""

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release the connection; safe to call twice."""

    def __enter__(self) -> Channel:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Transport(ABC):
    """Knows how to reach one printer; ``connect`` opens a ``Channel`` for one job."""

    #: Slowest acceptable transfer rate; large jobs get ``len / rate`` extra seconds.
    min_bytes_per_second = 10_000.0

    @abstractmethod
    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        """Open a channel; ``document`` is what the job shows (used by preview-dir)."""

    @abstractmethod
    def describe(self) -> str: ...


# Network ---------------------------------------------------------------------------


class SocketChannel(Channel):
    can_read = True

    def __init__(self, sock: socket.socket, where: str) -> None:
        self.sock = sock
        self.where = where

    def write(self, data: bytes, deadline: Deadline) -> None:
        view = memoryview(data)
        try:
            for start in range(0, len(view), CHUNK):
                self.sock.settimeout(deadline.remaining())
                self.sock.sendall(view[start : start + CHUNK])
        except TimeoutError as exc:
            raise PrinterTimeout(detail=f"{self.where}: send timed out") from exc
        except OSError as exc:
            raise PrinterOffline(detail=f"{self.where}: send failed: {exc}") from exc

    def read_byte(self, deadline: Deadline) -> int:
        try:
            self.sock.settimeout(deadline.remaining())
            data = self.sock.recv(1)
        except TimeoutError as exc:
            raise PrinterTimeout(detail=f"{self.where}: no status answer") from exc
        except OSError as exc:
            raise PrinterOffline(detail=f"{self.where}: {exc}") from exc
        if not data:
            raise PrinterOffline(detail=f"{self.where}: connection closed")
        return data[0]

    def drain(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.setblocking(False)
            while self.sock.recv(256):
                pass
        self.sock.setblocking(True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class NetworkTransport(Transport):
    """Raw TCP ("JetDirect", port 9100)."""

    def __init__(self, host: str, port: int = 9100) -> None:
        self.host, self.port = host, port

    def describe(self) -> str:
        return f"network:{self.host}:{self.port}"

    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=deadline.remaining())
        except (TimeoutError, PrinterTimeout) as exc:
            # No answer at all to a connection is a dead or absent printer.
            raise PrinterOffline(detail=f"{self.describe()}: connect timed out") from exc
        except OSError as exc:
            raise PrinterOffline(detail=f"{self.describe()}: {exc}") from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return SocketChannel(sock, self.describe())


# Device files: /dev/usb/lpN, serial ports, plain files ---------------------------------


class FdChannel(Channel):
    """A file descriptor used with ``select`` so that a stuck device cannot block forever."""

    def __init__(self, fd: int, where: str, can_read: bool) -> None:
        self.fd = fd
        self.where = where
        self.can_read = can_read

    def write(self, data: bytes, deadline: Deadline) -> None:
        view = memoryview(data)
        while view:
            try:
                _, ready, _ = select.select([], [self.fd], [], deadline.remaining())
            except PrinterTimeout:
                raise PrinterTimeout(detail=f"{self.where}: write timed out") from None
            if not ready:
                continue
            try:
                view = view[os.write(self.fd, view[:CHUNK]) :]
            except BlockingIOError:
                continue
            except OSError as exc:
                raise PrinterOffline(detail=f"{self.where}: write failed: {exc}") from exc

    def read_byte(self, deadline: Deadline) -> int:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], deadline.remaining())
            except PrinterTimeout:
                raise PrinterTimeout(detail=f"{self.where}: no status answer") from None
            if not ready:
                continue
            try:
                data = os.read(self.fd, 1)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise PrinterOffline(detail=f"{self.where}: read failed: {exc}") from exc
            if data:
                return data[0]
            time.sleep(0.01)  # a tty with no data in non-canonical mode; poll again

    def drain(self) -> None:
        with contextlib.suppress(OSError):
            while select.select([self.fd], [], [], 0)[0] and os.read(self.fd, 256):
                pass

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def open_device(path: str, where: str, *, readable: bool) -> int:
    flags = (os.O_RDWR if readable else os.O_WRONLY) | os.O_NONBLOCK | os.O_NOCTTY
    try:
        return os.open(path, flags)
    except OSError as exc:
        raise PrinterOffline(detail=f"{where}: {exc}") from exc


class AtomicFileChannel(Channel):
    """A regular file written whole on success (temp file, then rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, data: bytes, deadline: Deadline) -> None:
        # Unique per thread: two kiosk workers must not share a temp file.
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise PrinterOffline(detail=f"file:{self.path}: {exc}") from exc


class FileTransport(Transport):
    """A file (written whole) or a device node such as ``/dev/usb/lp0`` (written as a stream).

    Status is unknown: the job is assumed printed once written.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        return f"file:{self.path}"

    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        if self.path.exists() and not self.path.is_file():
            fd = open_device(str(self.path), self.describe(), readable=False)
            return FdChannel(fd, self.describe(), can_read=False)
        return AtomicFileChannel(self.path)


class SerialTransport(Transport):
    """A serial port, raw 8N1 without flow control, set up with ``termios`` (no pyserial)."""

    def __init__(self, device: str, baudrate: int = 19200) -> None:
        self.device, self.baudrate = device, baudrate
        # 10 bits per byte on the wire, and leave a margin for the printer's pauses.
        self.min_bytes_per_second = baudrate / 10 * 0.8

    def describe(self) -> str:
        return f"serial:{self.device}:{self.baudrate}"

    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        import termios  # POSIX only; imported here so the package loads on other systems

        fd = open_device(self.device, self.describe(), readable=True)
        try:
            speed = getattr(termios, f"B{self.baudrate}")
            attrs = termios.tcgetattr(fd)
            attrs[0] = 0  # iflag: no XON/XOFF, no CR/NL mapping
            attrs[1] = 0  # oflag: raw output
            attrs[2] = termios.CS8 | termios.CREAD | termios.CLOCAL
            attrs[3] = 0  # lflag: no echo, non-canonical
            attrs[4] = attrs[5] = speed
            attrs[6][termios.VMIN] = 0
            attrs[6][termios.VTIME] = 0
            termios.tcsetattr(fd, termios.TCSANOW, attrs)
        except (AttributeError, termios.error, OSError) as exc:
            os.close(fd)
            raise PrinterOffline(detail=f"{self.describe()}: cannot configure: {exc}") from exc
        return FdChannel(fd, self.describe(), can_read=True)


class UsbTransport(Transport):
    """A USB printer by vendor and product id, through the kernel's usblp driver
    (``/dev/usb/lpN``), which also carries ``DLE EOT`` answers back."""

    SYSFS = Path("/sys/class/usbmisc")
    DEV = Path("/dev/usb")

    def __init__(self, vendor: int, product: int) -> None:
        self.vendor, self.product = vendor, product

    def describe(self) -> str:
        return f"usb:{self.vendor:04x}:{self.product:04x}"

    def find_device(self) -> Path | None:
        """The ``/dev/usb/lpN`` node of the first matching printer, if any."""
        if not self.SYSFS.is_dir():
            return None
        for entry in sorted(self.SYSFS.glob("lp*")):
            usb_device = (entry / "device").resolve().parent
            try:
                vendor = int((usb_device / "idVendor").read_text(), 16)
                product = int((usb_device / "idProduct").read_text(), 16)
            except (OSError, ValueError):
                continue
            if (vendor, product) == (self.vendor, self.product):
                return self.DEV / entry.name
        return None

    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        node = self.find_device()
        if node is None:
            raise PrinterOffline(detail=f"{self.describe()}: no /dev/usb/lp device found")
        fd = open_device(str(node), self.describe(), readable=True)
        return FdChannel(fd, f"{self.describe()} ({node})", can_read=True)


class CupsChannel(Channel):
    """Hands the job to ``lp -o raw``; success means CUPS queued it."""

    def __init__(self, queue: str) -> None:
        self.queue = queue

    def write(self, data: bytes, deadline: Deadline) -> None:
        where = f"cups:{self.queue}"
        try:
            done = subprocess.run(
                ["lp", "-d", self.queue, "-o", "raw"],
                input=data,
                capture_output=True,
                timeout=deadline.remaining(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PrinterTimeout(detail=f"{where}: lp timed out") from exc
        except OSError as exc:
            code = "lp not installed" if exc.errno == errno.ENOENT else str(exc)
            raise PrinterOffline(detail=f"{where}: {code}") from exc
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip()
            raise PrinterOffline(detail=f"{where}: lp failed: {message}")


class CupsTransport(Transport):
    def __init__(self, queue: str) -> None:
        self.queue = queue

    def describe(self) -> str:
        return f"cups:{self.queue}"

    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        return CupsChannel(self.queue)
