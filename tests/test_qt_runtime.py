"""The installed PySide6 keeps Python's singletons alive (PySide6 6.12.0 on Python 3.11 did not)."""

from __future__ import annotations

import subprocess
import sys

SNIPPET = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal()

app = QCoreApplication([])
emitter = Emitter()
before = (sys.getrefcount(None), sys.getrefcount(True))
for _ in range(20000):
    emitter.setObjectName("x")  # a void method
    emitter.fired.emit()
after = (sys.getrefcount(None), sys.getrefcount(True))
print(before[0] - after[0], before[1] - after[1])
"""


def test_void_calls_and_signals_do_not_leak_references_to_singletons() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, f"Python aborted: {result.stderr[-500:]}"
    lost_none, lost_true = (int(n) for n in result.stdout.split())
    assert abs(lost_none) < 1000
    assert abs(lost_true) < 1000
