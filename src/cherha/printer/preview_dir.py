"""The demo transport: each job is saved as ``.bin`` plus a ``.png`` preview in a folder."""

from __future__ import annotations

import itertools
import re
import threading
from datetime import datetime
from pathlib import Path

from .config import PrinterConfig
from .errors import PrinterOffline
from .jobs import render_preview
from .slips import BookingSlip, Document, TicketSlip
from .transports import AtomicFileChannel, Channel, Deadline, Transport

_counter = itertools.count(1)
_lock = threading.Lock()


def _label(document: Document | None) -> str:
    if isinstance(document, TicketSlip):
        name = f"ticket-{document.number}"
    elif isinstance(document, BookingSlip):
        name = f"booking-{document.code}"
    elif document is not None:
        name = "test-page"
    else:
        name = "job"
    return re.sub(r"[^\w.-]+", "_", name)


class PreviewDirChannel(AtomicFileChannel):
    def __init__(self, path: Path, document: Document | None, config: PrinterConfig) -> None:
        super().__init__(path)
        self.document = document
        self.config = config

    def write(self, data: bytes, deadline: Deadline) -> None:
        super().write(data, deadline)
        if self.document is not None:
            png = self.path.with_suffix(".png")
            try:
                render_preview(self.document, self.config).save(png, optimize=True)
            except OSError as exc:
                raise PrinterOffline(detail=f"preview-dir: {png}: {exc}") from exc


class PreviewDirTransport(Transport):
    """Writes ``YYYYmmdd-HHMMSS-NNNN-ticket-A015.bin`` (+ ``.png``) into ``folder``.

    Status is unknown (assumed online); no printer is involved.
    """

    def __init__(self, folder: str, config: PrinterConfig) -> None:
        self.folder = Path(folder)
        self.config = config

    def describe(self) -> str:
        return f"preview-dir:{self.folder}"

    def connect(self, deadline: Deadline, document: Document | None = None) -> Channel:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        with _lock:
            while True:  # another kiosk process may share the folder: never overwrite
                path = self.folder / f"{stamp}-{next(_counter):04d}-{_label(document)}.bin"
                if not path.exists():
                    break
        return PreviewDirChannel(path, document, self.config)
