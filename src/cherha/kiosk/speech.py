"""Reading aloud, offline: espeak-ng in its own process (QProcess, never blocking the screen).

`Speaker` is what the controller uses; tests give it a fake that records the text. One
QProcess is kept for the kiosk's life and started again for each text: a new text stops the
one being read. (Deleting the process when a text had been read to the end, as an earlier
version did, left a dangling object that made every second screen fail to speak.)
The text goes in on standard input, so a text starting with «-» is never taken for an option.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject, QProcess, Signal

log = logging.getLogger(__name__)

STOP_WAIT_MS = 1000


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

    started = Signal(str)  # the text now being read
    finished = Signal(int)  # espeak-ng's exit code, once a text was read to its end

    def __init__(
        self,
        command: str = "espeak-ng",
        rate: int = 140,
        *,
        extra_args: Sequence[str] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.command = command
        self.rate = rate
        self.extra_args = tuple(extra_args)  # e.g. ("--stdout",) to write WAV instead of playing
        self.process = QProcess(self)
        self.process.setProgram(command)
        self.process.setStandardOutputFile(QProcess.nullDevice())
        self.process.setStandardErrorFile(QProcess.nullDevice())
        self.process.errorOccurred.connect(self._failed)
        self.process.finished.connect(self._finished)
        self._stopping = False

    @staticmethod
    def available(command: str = "espeak-ng") -> bool:
        return shutil.which(command) is not None

    def say(self, text: str, language: str) -> None:
        self.stop()
        voice = "en" if language == "en" else "uk"
        self.process.setArguments(["-v", voice, "-s", str(self.rate), *self.extra_args, "--stdin"])
        self.process.start()
        self.process.write(text.encode("utf-8"))
        self.process.closeWriteChannel()
        self.started.emit(text)

    def stop(self) -> None:
        if self.process.state() == QProcess.ProcessState.NotRunning:
            return
        self._stopping = True
        try:
            self.process.kill()
            self.process.waitForFinished(STOP_WAIT_MS)
        finally:
            self._stopping = False

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        if not self._stopping and status == QProcess.ExitStatus.NormalExit:
            if code != 0:
                log.warning("espeak-ng ended with %d", code)
            self.finished.emit(code)

    def _failed(self, error: QProcess.ProcessError) -> None:
        if not self._stopping and error != QProcess.ProcessError.Crashed:
            log.warning("speech failed: %s", error)


__all__ = ["EspeakSpeaker", "NullSpeaker", "Speaker"]
