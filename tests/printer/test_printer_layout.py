"""Wrapping, folding and the slip layouts on 58 and 80 mm paper."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.printer.config import PrinterConfig
from cherha.printer.jobs import layout_for
from cherha.printer.layout import Composer, QrBlock, TextLine, fold_for_codepage, wrap_words
from cherha.printer.slips import TestPage
from tests.printer.samples import LONG_SERVICE, booking, ticket

UK_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяʼАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
WIDTHS = [32, 42, 48, 16, 8]  # 384/512/576 dots at 1x, and magnified lines

words = st.lists(st.text(alphabet=UK_LETTERS, min_size=1, max_size=14), max_size=30)


@given(words=words, width=st.sampled_from(WIDTHS))
def test_wrapped_lines_fit_and_keep_every_word(words: list[str], width: int) -> None:
    lines = wrap_words(" ".join(words), width)
    assert all(1 <= len(line) <= width for line in lines)
    if all(len(w) <= width for w in words):
        # No word is split: the lines hold exactly the words, in order.
        assert " ".join(lines).split() == words
    else:
        assert "".join(lines).replace(" ", "") == "".join(words)


@given(words=words, width=st.sampled_from(WIDTHS))
def test_wrapping_is_greedy(words: list[str], width: int) -> None:
    lines = wrap_words(" ".join(words), width)
    for line, following in itertools.pairwise(lines):
        first = following.split()[0]
        if len(first) <= width:
            assert len(line) + 1 + len(first) > width  # it would not have fit


def test_only_an_overlong_word_is_split() -> None:
    assert wrap_words("Так дуже-дуже-довгеслово", 8) == ["Так", "дуже-дуж", "е-довгес", "лово"]
    assert wrap_words("   ", 10) == []


@pytest.mark.parametrize("codepage", ["cp1251", "cp1125"])
def test_folding_keeps_ukrainian_letters_and_replaces_the_rest(codepage: str) -> None:
    text = "і ї є ґ І Ї Є Ґ № мʼята ≈ 5"
    folded = fold_for_codepage(text, codepage)
    assert folded.startswith("і ї є ґ І Ї Є Ґ № м")
    assert len(folded) == len(text)
    folded.encode(codepage)  # everything left is printable in that code page
    assert "≈" not in folded
    assert "ʼ" not in folded
    assert fold_for_codepage(text, None) == text


def test_bilingual_falls_back_to_two_lines_when_narrow() -> None:
    wide, narrow = Composer(576, "cp1251"), Composer(384, "cp1251")
    wide.bilingual("Очікування ≈ 12 хв", "Wait ≈ 12 min")
    narrow.bilingual("Очікування ≈ 12 хв", "Wait ≈ 12 min")
    assert [b.text for b in wide.blocks if isinstance(b, TextLine)] == [
        "Очікування ~ 12 хв / Wait ~ 12 min"
    ]
    assert [b.text for b in narrow.blocks if isinstance(b, TextLine)] == [
        "Очікування ~ 12 хв",
        "Wait ~ 12 min",
    ]


@pytest.mark.parametrize("profile", ["generic-58", "epson-tm-t88", "generic-80"])
@pytest.mark.parametrize("document", [ticket(service_name=LONG_SERVICE), booking(), TestPage()])
def test_every_line_fits_the_paper(profile: str, document: object) -> None:
    config = PrinterConfig(target="x", profile=profile)
    layout = layout_for(document, config)  # type: ignore[arg-type]
    for block in layout.blocks:
        if isinstance(block, TextLine):
            assert len(block.text) * block.width <= layout.columns, block


@pytest.mark.parametrize(("profile", "columns"), [("generic-58", 32), ("generic-80", 48)])
def test_long_service_name_wraps_at_word_boundaries(profile: str, columns: int) -> None:
    config = PrinterConfig(target="x", profile=profile)
    layout = layout_for(ticket(service_name=LONG_SERVICE), config)
    service = [b for b in layout.blocks if isinstance(b, TextLine) and b.height == 2 and b.bold]
    assert len(service) >= 2
    assert " ".join(b.text for b in service).split() == LONG_SERVICE.split()
    assert all(len(b.text) <= columns for b in service)


def test_ticket_has_number_in_largest_type_and_bilingual_labels() -> None:
    layout = layout_for(ticket(priority=True), PrinterConfig(target="x", profile="generic-58"))
    texts = [b.text for b in layout.blocks if isinstance(b, TextLine)]
    number = next(b for b in layout.blocks if isinstance(b, TextLine) and b.text == "A015")
    assert (number.width, number.height) == (8, 8)
    assert "Ваш номер / Your number" in texts
    assert "Перед вами: 3 / People ahead: 3" in texts
    assert "ПРІОРИТЕТ / PRIORITY" in texts
    assert {"Дата / Date", "Час / Time"} <= {t.split("  ")[0] for t in texts}


TELEGRAM = "https://t.me/cherha_bot?start=tAbCdEfGhIjKlMnOpQrStUv"


@pytest.mark.parametrize("profile", ["generic-58", "generic-80"])
@pytest.mark.parametrize("make", [ticket, booking])
def test_the_telegram_link_is_a_second_small_qr_and_one_line(profile: str, make: object) -> None:
    config = PrinterConfig(target="x", profile=profile)
    plain = layout_for(make(), config)  # type: ignore[operator]
    linked = layout_for(make(telegram_url=TELEGRAM), config)  # type: ignore[operator]
    codes = [b for b in linked.blocks if isinstance(b, QrBlock)]
    assert [b.data for b in codes][1:] == [TELEGRAM]
    assert codes[1].module < codes[0].module, "smaller than the main code"
    added = len(linked.blocks) - len(plain.blocks)
    assert added == 2, "the slip grows by the code and one line"
    lines = [b.text for b in linked.blocks if isinstance(b, TextLine)]
    assert any(line.startswith("Telegram") for line in lines)
    assert not [b for b in plain.blocks if isinstance(b, QrBlock) and b.data == TELEGRAM]
