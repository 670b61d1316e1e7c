"""Real-time printer status (``DLE EOT n``) and what it means for a job.

Epson ESC/POS: every status byte has bits 1 and 4 set and bits 0 and 7 clear.
``n = 1`` printer: bit 3 offline. ``n = 2`` offline cause: bit 2 cover open, bit 5 stopped
for paper end. ``n = 4`` roll paper sensor: bits 2-3 (0x0C) near end, bits 5-6 (0x60) out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import CoverOpen, PaperOut, PrinterError, PrinterOffline

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 4)


def query(n: int) -> bytes:
    """``DLE EOT n``."""
    return DLE_EOT + bytes([n])


def is_status_byte(value: int) -> bool:
    """True for a byte shaped like a ``DLE EOT`` answer (fixed bits 0x12 set, 0x81 clear)."""
    return value & 0x93 == 0x12


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer said about itself; ``known`` is False when the transport cannot ask
    (file, CUPS, preview-dir), and then the printer is assumed online."""

    online: bool
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    known: bool = True

    @classmethod
    def unknown(cls) -> PrinterStatus:
        return cls(online=True, known=False)

    @classmethod
    def from_bytes(cls, printer: int, offline_cause: int, paper: int) -> PrinterStatus:
        """Decode the answers to ``DLE EOT 1``, ``2`` and ``4``."""
        return cls(
            online=not printer & 0x08,
            cover_open=bool(offline_cause & 0x04),
            paper_out=bool(paper & 0x60) or bool(offline_cause & 0x20),
            paper_near_end=bool(paper & 0x0C),
        )

    @property
    def ready(self) -> bool:
        return self.online and not (self.cover_open or self.paper_out)

    def describe(self) -> str:
        """One bilingual line for people (``cherha-print status``, admin screens)."""
        if not self.known:
            return (
                "Стан невідомий (вважаємо, що принтер увімкнено) / Status unknown (assumed online)"
            )
        parts: list[str] = []
        if self.cover_open:
            parts.append("кришку відкрито / cover open")
        if self.paper_out:
            parts.append("немає паперу / paper out")
        elif self.paper_near_end:
            parts.append("папір закінчується / paper near end")
        if not self.online and not parts:
            parts.append("не в мережі / offline")
        return "; ".join(parts) if parts else "Готовий / Ready"

    def error(self, after_job: bool = False) -> PrinterError | None:
        """The exception this status means for a job, or None when it may print."""
        if self.ready:
            return None
        tail_uk = " Талон міг не надрукуватися." if after_job else ""
        tail_en = " The ticket may not have been printed." if after_job else ""
        if self.cover_open:
            exc: PrinterError = CoverOpen(detail=repr(self))
        elif self.paper_out:
            exc = PaperOut(detail=repr(self))
        else:
            exc = PrinterOffline(detail=repr(self))
        if after_job:
            exc.message_uk += tail_uk
            exc.message_en += tail_en
            exc.args = (str(exc),)
        return exc
