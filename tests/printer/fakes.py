"""Hand-written fake printers for the printer tests (no mocks of Cherha's own code).

``FakeNetworkPrinter`` is a real TCP server on 127.0.0.1 that records every byte and answers
``DLE EOT n`` like an Epson printer would; ``FakeSerialPrinter`` does the same on a pty.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
from collections.abc import Callable
from types import TracebackType

from PIL import Image

HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline; stopped by paper end; roll sensor: out
PAPER_NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}

Answers = Callable[[int, bool], int | None]  # (n, job bytes seen) -> status byte or silence


def always(table: dict[int, int]) -> Answers:
    return lambda n, _seen: table.get(n)


def silent(n: int, seen: bool) -> int | None:
    return None


def paper_out_after_job(n: int, seen: bool) -> int | None:
    return (PAPER_OUT if seen else HEALTHY).get(n)


class _Recorder:
    """Splits the incoming stream into status queries and job bytes."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.raw = bytearray()
        self.job = bytearray()
        self.queries: list[int] = []
        self._pending = b""

    def feed(self, data: bytes) -> bytes:
        """Record ``data``; return the replies to send."""
        self.raw += data
        buf = self._pending + data
        replies = bytearray()
        i = 0
        while i < len(buf):
            if buf[i] == 0x10 and i + 1 < len(buf) and buf[i + 1] == 0x04:
                if i + 2 >= len(buf):
                    break  # incomplete query: wait for more bytes
                n = buf[i + 2]
                self.queries.append(n)
                reply = self.answers(n, bool(self.job))
                if reply is not None:
                    replies.append(reply)
                i += 3
            elif buf[i] == 0x10 and i + 1 == len(buf):
                break
            else:
                self.job.append(buf[i])
                i += 1
        self._pending = bytes(buf[i:])
        return bytes(replies)


class FakeNetworkPrinter:
    """A raw-9100 printer on a free loopback port; use as a context manager."""

    def __init__(self, answers: Answers | None = None) -> None:
        self.recorder = _Recorder(answers or always(HEALTHY))
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port: int = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.connections = 0

    @property
    def spec(self) -> str:
        return f"network:127.0.0.1:{self.port}"

    @property
    def job(self) -> bytes:
        return bytes(self.recorder.job)

    @property
    def queries(self) -> list[int]:
        return list(self.recorder.queries)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(0.2)
                while True:  # read to the client's EOF, so no sent byte goes unrecorded
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        if self._stop.is_set():
                            break
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    replies = self.recorder.feed(data)
                    if replies:
                        with contextlib.suppress(OSError):
                            conn.sendall(replies)

    def __enter__(self) -> FakeNetworkPrinter:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


class FakeSerialPrinter:
    """A printer on the far end of a pseudo-terminal; ``device`` is the port to open."""

    def __init__(self, answers: Answers | None = None) -> None:
        self.recorder = _Recorder(answers or always(HEALTHY))
        self._master, self._slave = os.openpty()
        self.device = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def job(self) -> bytes:
        return bytes(self.recorder.job)

    def _serve(self) -> None:
        while True:
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                if self._stop.is_set():
                    return  # stopped and nothing left to read
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            replies = self.recorder.feed(data)
            if replies:
                os.write(self._master, replies)

    def __enter__(self) -> FakeSerialPrinter:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        os.close(self._master)
        os.close(self._slave)


def free_closed_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port: int = sock.getsockname()[1]
    return port


def decode_raster(job: bytes) -> Image.Image:
    """Reassemble the ``GS v 0`` bands of a job into one 1-bit image (for comparisons)."""
    bands: list[Image.Image] = []
    i = job.find(b"\x1dv0")
    while i != -1:
        x_bytes = int.from_bytes(job[i + 4 : i + 6], "little")
        rows = int.from_bytes(job[i + 6 : i + 8], "little")
        data = job[i + 8 : i + 8 + x_bytes * rows]
        inverted = bytes(255 - b for b in data)  # ESC/POS 1 = black; Pillow "1" 1 = white
        bands.append(Image.frombytes("1", (x_bytes * 8, rows), inverted))
        i = job.find(b"\x1dv0", i + 8 + len(data))
    width = max(b.width for b in bands)
    image = Image.new("1", (width, sum(b.height for b in bands)), 1)
    top = 0
    for band in bands:
        image.paste(band, (0, top))
        top += band.height
    return image
