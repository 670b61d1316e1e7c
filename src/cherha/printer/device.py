"""``Printer``: send a job, ask the status, and say clearly when the slip was not printed."""

from __future__ import annotations

from .config import PrinterConfig
from .errors import PrinterError
from .jobs import build_job
from .preview_dir import PreviewDirTransport
from .slips import Document
from .status import QUERIES, PrinterStatus, is_status_byte, query
from .transports import (
    Channel,
    CupsTransport,
    Deadline,
    FileTransport,
    NetworkTransport,
    SerialTransport,
    Transport,
    UsbTransport,
)

MAX_SKIPPED = 16  # unsolicited bytes tolerated before an answer (e.g. automatic status)


def open_transport(config: PrinterConfig) -> Transport:
    """The transport the configuration names (nothing is opened yet)."""
    kind = config.transport
    if kind == "network":
        return NetworkTransport(config.target, config.port)
    if kind == "usb":
        return UsbTransport(config.usb_vendor, config.usb_product)
    if kind == "serial":
        return SerialTransport(config.target, config.baudrate)
    if kind == "cups":
        return CupsTransport(config.target)
    if kind == "preview-dir":
        return PreviewDirTransport(config.target, config)
    return FileTransport(config.target)


def read_status(channel: Channel, deadline: Deadline) -> PrinterStatus:
    """Ask ``DLE EOT 1``, ``2`` and ``4`` and decode the answers."""
    channel.drain()
    answers: list[int] = []
    for n in QUERIES:
        channel.write(query(n), deadline)
        for _ in range(MAX_SKIPPED):
            value = channel.read_byte(deadline)
            if is_status_byte(value):
                answers.append(value)
                break
        else:
            raise PrinterError(detail=f"no valid answer to DLE EOT {n}")
    return PrinterStatus.from_bytes(*answers)


class Printer:
    """One configured printer. Thread-safe in the sense that each call opens its own
    connection; call from a worker thread, never from a GUI thread."""

    def __init__(self, config: PrinterConfig, transport: Transport | None = None) -> None:
        self.config = config
        self.transport = transport or open_transport(config)

    def _asks_status(self, channel: Channel) -> bool:
        return channel.can_read and self.config.query_status

    def status(self) -> PrinterStatus:
        """The printer's real-time status (``known=False`` where the transport cannot ask).

        Raises ``PrinterOffline`` / ``PrinterTimeout`` when the printer cannot be reached.
        """
        deadline = Deadline(self.config.timeout_seconds)
        with self.transport.connect(deadline) as channel:
            if not self._asks_status(channel):
                return PrinterStatus.unknown()
            return read_status(channel, deadline)

    def print_job(self, job: bytes, document: Document | None = None) -> PrinterStatus:
        """Send a built job; return the status after it (check ``paper_near_end``).

        Success means the printer took every byte and then reported itself ready. Raises
        ``CoverOpen``, ``PaperOut`` or ``PrinterOffline`` (before or after the job) and
        ``PrinterTimeout``; a dead printer fails within ``timeout_seconds``.
        """
        timeout = self.config.timeout_seconds
        with self.transport.connect(Deadline(timeout), document) as channel:
            asks = self._asks_status(channel)
            if asks and (problem := read_status(channel, Deadline(timeout)).error()):
                raise problem
            # Large jobs on slow links get extra time in proportion to their size.
            budget = timeout + len(job) / self.transport.min_bytes_per_second
            channel.write(job, Deadline(budget))
            if not asks:
                return PrinterStatus.unknown()
            after = read_status(channel, Deadline(timeout))
            if problem := after.error(after_job=True):
                raise problem
            return after

    def print(self, document: Document) -> PrinterStatus:
        """Build the job for ``document`` in the configured mode and print it."""
        return self.print_job(build_job(document, self.config), document)
