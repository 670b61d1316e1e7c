"""Kiosk speed: touch on a service → ticket bytes handed to the printer; start → first screen.

    cd /work/main && .venv/bin/python bench/bench_kiosk.py --tickets 50 --starts 5

The server runs in this process on a temporary SQLite file (the sample centre), the printer is
a `file:` printer, Qt is offscreen. Touches are real mouse events on the service tile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cherha.kiosk.app import build_controller, build_window, use_kiosk_font
from cherha.kiosk.config import KioskConfig
from cherha.kiosk.printing import PrintOutcome
from cherha.kiosk.speech import NullSpeaker
from cherha.printer.config import PrinterConfig
from scripts.screenshots.kiosk import sample_server


def summary(values_ms: list[float]) -> dict[str, float]:
    ordered = sorted(values_ms)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return {"median": statistics.median(ordered), "p90": p90, "max": ordered[-1]}


def bench_tickets(
    app: QApplication, url: str, key: str, folder: Path, count: int
) -> dict[str, list[float]]:
    def spin(done: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError("timed out")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    config = KioskConfig(
        server_url=url,
        device_key=key,
        printer=PrinterConfig.parse_spec(f"file:{folder / 'job.bin'}"),
        fullscreen=False,
        orientation="landscape",
        speech="off",
    )
    controller = build_controller(config, speaker=NullSpeaker())
    window = build_window(controller)
    window.show()
    controller.start_services()
    spin(lambda: bool(controller.services))
    outcomes: list[PrintOutcome] = []
    controller.printed.connect(outcomes.append)
    issued_ms: list[float] = []
    built_ms: list[float] = []
    sent_ms: list[float] = []
    for i in range(count + 1):  # the first round warms up (connections, fonts, QR tables)
        controller.begin()
        spin(lambda: controller.screen == "groups")
        controller.choose_group(controller.groups[i % len(controller.groups)].key)
        spin(lambda: controller.screen == "services")
        card = window.services_page.cards[0]
        outcomes.clear()
        touched = time.perf_counter()
        QTest.mouseClick(card, Qt.MouseButton.LeftButton)
        spin(lambda: controller.ticket is not None)
        issued = time.perf_counter()
        spin(lambda: bool(outcomes))
        outcome = outcomes[0]
        assert outcome.ok, outcome.error
        if i:
            issued_ms.append((issued - touched) * 1000)
            built_ms.append((outcome.built_at - touched) * 1000)
            sent_ms.append((outcome.sent_at - touched) * 1000)
        controller.done()
    controller.stop()
    window.unlock()
    window.close()
    return {
        "number on screen": issued_ms,
        "job built": built_ms,
        "bytes handed to printer": sent_ms,
    }


def bench_start(url: str, key: str, folder: Path, runs: int) -> list[float]:
    config = folder / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nserver_url = "{url}"\ndevice_key = "{key}"\nspeech = "off"\n'
        f'[printer]\ndevice = "file:{folder / "start.bin"}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times: list[float] = []
    for _ in range(runs):
        began = time.time()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "cherha.kiosk",
                "--config",
                str(config),
                "--report-ready",
                "--quit-when-ready",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        stamp = next(line for line in result.stdout.splitlines() if line.startswith("KIOSK_READY"))
        times.append((float(stamp.split()[1]) - began) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=50)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    use_kiosk_font(app)
    with tempfile.TemporaryDirectory() as tmp, sample_server(Path(tmp)) as (url, key, _stop):
        folder = Path(tmp)
        results = bench_tickets(app, url, key, folder, args.tickets)
        starts = bench_start(url, key, folder, args.starts)
    print(
        f"| from the touch on a service to … ({args.tickets} tickets) | median, ms | p90, ms | max, ms |"
    )
    print("| --- | ---: | ---: | ---: |")
    for name, values in results.items():
        s = summary(values)
        print(f"| {name} | {s['median']:.1f} | {s['p90']:.1f} | {s['max']:.1f} |")
    s = summary(starts)
    print()
    print(
        f"| process start → first screen shown ({args.starts} runs) | median, ms | p90, ms | max, ms |"
    )
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| `cherha-kiosk` (python -m cherha.kiosk) | {s['median']:.0f} | {s['p90']:.0f} | {s['max']:.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
