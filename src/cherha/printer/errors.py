"""Typed printer failures, each with a message a kiosk can show as it is.

Every error carries ``message_uk`` and ``message_en``; ``str(exc)`` is ``"uk / en"``.
``detail`` holds the technical cause (for logs), never shown to visitors.
"""

from __future__ import annotations


class PrinterError(Exception):
    """Base of all printer failures."""

    message_uk = "Помилка принтера. Зверніться до працівника центру."
    message_en = "Printer error. Please ask a member of staff."

    def __init__(
        self,
        message_uk: str | None = None,
        message_en: str | None = None,
        *,
        detail: str = "",
    ) -> None:
        if message_uk is not None:
            self.message_uk = message_uk
        if message_en is not None:
            self.message_en = message_en
        self.detail = detail
        super().__init__(f"{self.message_uk} / {self.message_en}")

    def __str__(self) -> str:
        return f"{self.message_uk} / {self.message_en}"


class PrinterOffline(PrinterError):
    """The printer cannot be reached or reports itself offline."""

    message_uk = "Принтер недоступний. Зверніться до працівника центру."
    message_en = "The printer is not available. Please ask a member of staff."


class PaperOut(PrinterError):
    """The paper roll is empty."""

    message_uk = "У принтері закінчився папір. Зверніться до працівника центру."
    message_en = "The printer is out of paper. Please ask a member of staff."


class CoverOpen(PrinterError):
    """The printer cover is open."""

    message_uk = "Кришку принтера відкрито. Зверніться до працівника центру."
    message_en = "The printer cover is open. Please ask a member of staff."


class PrinterTimeout(PrinterError):
    """The printer accepted a connection but did not answer in time."""

    message_uk = "Принтер не відповідає. Зверніться до працівника центру."
    message_en = "The printer is not responding. Please ask a member of staff."


class PrinterConfigError(PrinterError):
    """The printer configuration is invalid (a setup problem, not a visitor's)."""

    def __init__(self, detail_uk: str, detail_en: str) -> None:
        super().__init__(
            f"Неправильні налаштування принтера: {detail_uk}",
            f"Invalid printer settings: {detail_en}",
            detail=detail_en,
        )


class FontNotFoundError(PrinterError):
    """No TrueType font with Cyrillic letters was found for raster mode and previews."""

    def __init__(self, searched: str) -> None:
        super().__init__(
            "Не знайдено шрифт DejaVu Sans Mono (встановіть fonts-dejavu-core"
            " або покладіть TTF у assets/fonts)",
            "DejaVu Sans Mono font not found (install fonts-dejavu-core"
            " or put the TTF files into assets/fonts)",
            detail=f"searched: {searched}",
        )
