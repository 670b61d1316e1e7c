"""The scanner's key presses: collected until Enter, a pause starts again, layouts read back."""

from __future__ import annotations

from cherha.kiosk.scanner import MAX_LENGTH, ScanBuffer, latin


def test_characters_until_enter() -> None:
    now = [0.0]
    buffer = ScanBuffer(lambda: now[0])
    for ch in "ABC-DEF":
        assert buffer.feed(ch) is None
        now[0] += 0.01
    assert buffer.feed("", enter=True) == "ABC-DEF"
    assert buffer.feed("", enter=True) is None  # nothing more


def test_a_pause_forgets_a_half_scan_and_control_characters_are_dropped() -> None:
    now = [0.0]
    buffer = ScanBuffer(lambda: now[0], gap=1.0)
    buffer.feed("XY")
    now[0] += 2
    buffer.feed("K7M\x1bP2Q\t")
    assert buffer.feed("", enter=True) == "K7MP2Q"
    buffer.feed("A" * (MAX_LENGTH + 50))
    assert len(buffer.text) == MAX_LENGTH
    buffer.clear()
    assert buffer.text == ""


def test_ukrainian_layout_letters_are_read_back() -> None:
    assert latin("ФИС-ВУА") == "ABC-DEF"
    assert latin("https://cnap.example/book/qr/ABC-DEF.png") == (
        "https://cnap.example/book/qr/ABC-DEF.png"
    )
