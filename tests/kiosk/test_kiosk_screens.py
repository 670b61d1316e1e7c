"""Every screen, on every screen (issue 13 items 4 and 10; issue 11 part 3).

Real windows on a bare X session (Xvfb, no window manager, as kiosks run) at five panel sizes,
in both looks: each control at least 15 mm on a 21.5" panel, nothing off the screen, no text
cut. Offscreen, the same tour checks that what a page shows is its screen's content, and that
speech reads that same content, with no sentence twice and nothing private aloud.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from cherha.kiosk.content import Content
from cherha.kiosk.spoken import screen_speech, sentence
from tests.helpers.server import ADMIN_PASSWORD

from .conftest import WITH_CATEGORIES, BookingCentre, KioskFactory
from .tour import TOUR_PHONE, every_screen

ROOT = Path(__file__).resolve().parents[2]
SIZES = ["1080x1920", "1920x1080", "1280x1024", "1366x768", "1280x800"]
SCREENS = {
    "start",
    "groups",
    "services",
    "priority",
    "ticket",
    "refused",
    "code",
    "checkin_refused",
    "find_phone",
    "found",
    "find_days",
    "book_services",
    "book_days",
    "book_times",
    "book_phone",
    "book_name",
    "book_confirm",
    "booked",
    "idle",
    "paused",
    "outage",
    "pin",
}


def start_xvfb(size: str) -> tuple[subprocess.Popen[bytes], str]:
    """An X server with one screen of `size` and no window manager; its display name."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    return xvfb, f":{number}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
@pytest.mark.parametrize("size", SIZES)
def test_every_screen_fits_a_real_screen_without_a_window_manager(
    size: str, tmp_path: Path
) -> None:
    xvfb, display = start_xvfb(size)
    try:
        report_path = tmp_path / "report.json"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
        }
        if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:  # the run's printer database (conftest)
            env["ESCPOS_CAPABILITIES_PICKLE_DIR"] = os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]
        result = subprocess.run(
            [sys.executable, "-m", "tests.kiosk.screen_probe", "--out", str(report_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(report_path.read_text())
    width, height = (int(n) for n in size.split("x"))
    assert report["screen"] == [width, height]
    stops = report["stops"]
    for look in ("calm", "large"):
        assert {s["name"] for s in stops if s["look"] == look} == SCREENS, look
    problems = [f"{s['look']} {s['name']}: {p}" for s in stops for p in s["problems"]]
    assert not problems, "\n".join(problems)
    assert sum(s["targets"] for s in stops) > 800
    assert min(s["min_mm"] for s in stops) >= 15
    for s in stops:
        if s["name"] in ("ticket", "booked"):  # large enough to photograph
            assert s["qr_mm"] >= 60, s
            assert s["number_mm"] >= 12, s


def shown_texts(page: Any) -> set[str]:
    return {w.text() for w in page.findChildren(QLabel) if w.isVisible() and w.text()}


def content_texts(content: Content) -> set[str]:
    texts = {line.text for line in content.lines}
    texts |= {c.label for c in content.controls} | {c.detail for c in content.controls}
    return texts | {content.empty}


@WITH_CATEGORIES
def test_what_each_screen_shows_and_says_is_its_content(
    make_booking_kiosk: KioskFactory, booking_server: BookingCentre
) -> None:
    kiosk = make_booking_kiosk()
    c, w = kiosk.c, kiosk.w

    def move(moment: Any) -> None:
        booking_server.clock.now = moment

    visited = set()
    tour = every_screen(
        c,
        w,
        booking_server.url,
        booking_server.kiosk_key,
        move,
        booking_server.clock,
        ADMIN_PASSWORD,
    )
    for name in tour:
        visited.add(name)
        if name == "pin":
            continue
        content = c.content()
        page = w.stack.currentWidget()
        # the page shows its content, and nothing else
        extra = shown_texts(page) - content_texts(content)
        extra = {t for t in extra if not t.endswith("▏") and t != "___-___"}
        assert not extra, f"{name}: shown but not in the content: {extra}"
        for line in content.lines:
            if line.text and line.slot not in ("categories",):
                assert line.text in shown_texts(page) | {c.centre_name}, (name, line)
        # speech reads the same content: every line's words, no sentence twice
        said = screen_speech(content, c.top_bar(), c.language, private_ok=False)
        for line in content.lines:
            spoken = line.spoken(False)
            for part in filter(None, (p.strip() for p in spoken.split("\n"))):
                words = sentence(part).replace("≈ ", "близько ").replace(" · ", ", ")
                assert words.rstrip(".:") in said, (name, part)
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", said) if s]
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated, f"{name}: said twice: {repeated}"
        # nothing private on an open loudspeaker
        assert "67 123" not in said
        assert "Олена" not in said
        assert TOUR_PHONE[1:] not in said.replace(" ", "")
    assert visited == SCREENS
