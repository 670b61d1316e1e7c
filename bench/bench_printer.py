"""Benchmark: bytes per ticket and time to build a job, text and raster mode, 58 and 80 mm.

Run: ``.venv/bin/python bench/bench_printer.py [--tickets N]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile
from cherha.printer.config import PrinterConfig
from cherha.printer.jobs import build_job
from cherha.printer.profiles import Mode
from cherha.printer.slips import TicketSlip

KYIV = timezone(timedelta(hours=3))
CASES: list[tuple[str, str, Mode]] = [
    ("58 mm / 384", "generic-58", "text"),
    ("58 mm / 384", "generic-58", "raster"),
    ("80 mm / 512", "epson-tm-t88", "text"),
    ("80 mm / 512", "epson-tm-t88", "raster"),
    ("80 mm / 576", "generic-80", "text"),
    ("80 mm / 576", "generic-80", "raster"),
]


def ticket(i: int) -> TicketSlip:
    """A realistic ticket; the number and the URL change so no cache hides the work."""
    return TicketSlip(
        centre_name="ЦНАП Дніпровської районної в місті Києві державної адміністрації",
        number=f"A{i % 1000:03d}",
        service_name="Реєстрація місця проживання та зняття з реєстрації місця проживання",
        service_name_en="Registration and deregistration of residence",
        issued_at=datetime(2025, 5, 12, 9, 41, tzinfo=KYIV) + timedelta(minutes=i),
        people_ahead=i % 40,
        estimated_wait_minutes=(i % 40) * 4,
        priority=i % 7 == 0,
        status_url=f"https://cherha.example/t/{i:012d}",
        footer="Дякуємо, що обрали ЦНАП! / Thank you!",
    )


def run(tickets: int) -> list[tuple[str, str, int, float, float]]:
    rows: list[tuple[str, str, int, float, float]] = []
    for paper, profile, mode in CASES:
        config = PrinterConfig(target="bench", profile=profile, mode=mode)
        build_job(ticket(0), config)  # warm up fonts and caches, as a kiosk does at start
        times: list[float] = []
        sizes: list[int] = []
        for i in range(1, tickets + 1):
            started = time.perf_counter()
            job = build_job(ticket(i), config)
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(len(job))
        rows.append(
            (
                paper,
                mode,
                int(statistics.median(sizes)),
                statistics.median(times),
                percentile(times, 0.99),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=300)
    args = parser.parse_args()
    rows = run(args.tickets)
    print(f"Python {platform.python_version()}, {platform.platform()}, {args.tickets} tickets")
    print("| paper | mode | bytes per ticket (median) | build median, ms | build p99, ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    for paper, mode, size, median, p99 in rows:
        print(f"| {paper} | {mode} | {size:,} | {median:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main()
