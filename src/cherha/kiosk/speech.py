"""Reading the screen aloud, offline: espeak-ng in its own process (QProcess, never blocking).

`Speaker` is the interface the controller uses; tests give it a fake that records the text.
Ticket numbers are spelled the way the hall display announces them (cherha.core.words),
so a visitor hears the same words at the kiosk and when called.
"""

from __future__ import annotations

import logging
import shutil
from typing import Protocol

from PySide6.QtCore import QObject, QProcess

from cherha.core.words import letters_en, letters_uk, number_words_en, number_words_uk

from .i18n import tr

log = logging.getLogger(__name__)

PRIORITY_MARK = "П"
DIGITS_UK = ("нуль", "один", "два", "три", "чотири", "пʼять", "шість", "сім", "вісім", "девʼять")
DIGITS_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


class Speaker(Protocol):
    def say(self, text: str, language: str) -> None: ...

    def stop(self) -> None: ...


class NullSpeaker:
    """No speech (configured off, or no synthesiser installed)."""

    def say(self, text: str, language: str) -> None:
        log.info("speech off; would say (%s): %s", language, text)

    def stop(self) -> None:
        pass


class EspeakSpeaker(QObject):
    """espeak-ng voices `uk` and `en`; a new text interrupts the one being read."""

    def __init__(
        self, command: str = "espeak-ng", rate: int = 140, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.command = command
        self.rate = rate
        self._process: QProcess | None = None

    @staticmethod
    def available(command: str = "espeak-ng") -> bool:
        return shutil.which(command) is not None

    def say(self, text: str, language: str) -> None:
        self.stop()
        process = QProcess(self)
        process.setProgram(self.command)
        voice = "en" if language == "en" else "uk"
        process.setArguments(["-v", voice, "-s", str(self.rate), text])
        process.errorOccurred.connect(
            lambda err: (
                log.warning("speech failed: %s", err)
                if err != QProcess.ProcessError.Crashed
                else None
            )
        )
        process.finished.connect(process.deleteLater)
        process.start()
        self._process = process

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(1000)


def split_number(number: str) -> tuple[bool, str, str]:
    """«ПА015» -> (priority, "А", "015")."""
    priority = number.startswith(PRIORITY_MARK)
    body = number[1:] if priority else number
    digits_at = len(body) - len(
        body.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ")
    )
    return priority, body[:digits_at], body[digits_at:]


def _letters(letters: str, language: str) -> str:
    try:
        return letters_en(letters) if language == "en" else letters_uk(letters)
    except KeyError:  # an odd prefix: let the voice read it as it is
        return letters


def spoken_number(number: str, language: str) -> str:
    """«А пʼятнадцять» / «ay fifteen», as the hall display says it."""
    priority, letters, digits = split_number(number)
    words = number_words_en if language == "en" else number_words_uk
    said = f"{_letters(letters, language)} {words(int(digits))}" if digits else number
    if priority:
        said = f"{'priority' if language == 'en' else 'пільговий'} {said}"
    return said


def spelled_number(number: str, language: str) -> str:
    """Letter by letter and digit by digit: «а, нуль, один, пʼять»."""
    priority, letters, digits = split_number(number)
    names = DIGITS_EN if language == "en" else DIGITS_UK
    parts = [_letters(ch, language).lower() for ch in letters]
    parts += [names[int(d)] for d in digits if d.isdigit()]
    if priority:
        parts.insert(0, "пе" if language != "en" else "pee")
    return ", ".join(parts)


def ticket_speech(number: str, language: str) -> str:
    return " ".join(
        (
            tr("say_ticket", language, spoken=spoken_number(number, language)),
            tr("say_spelled", language, spelled=spelled_number(number, language)),
        )
    )


__all__ = [
    "EspeakSpeaker",
    "NullSpeaker",
    "Speaker",
    "spelled_number",
    "spoken_number",
    "ticket_speech",
]
