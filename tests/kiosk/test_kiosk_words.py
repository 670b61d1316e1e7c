"""Ticket letters (issue 13 item 8): the kiosk says exactly the letter printed, in the hall's
words, and the sample centre's numbers — the priority series too — are in one alphabet."""

from __future__ import annotations

import pytest

from cherha.core.numbering import PRIORITY_MARK
from cherha.core.words import CYRILLIC_UK, announcement_text, parse_call
from cherha.kiosk.queue_content import said_number
from cherha.server.store.centre_file import SAMPLE_CENTRE, read_centre_file

PREFIXES = [s.prefix for s in read_centre_file(SAMPLE_CENTRE).services]


def test_the_sample_centre_prints_cyrillic_letters_only() -> None:
    assert PREFIXES
    for prefix in PREFIXES:
        assert all(ch in CYRILLIC_UK for ch in prefix), prefix  # «В», never a Latin «B»
    assert PRIORITY_MARK in CYRILLIC_UK  # «ПА001»: the priority mark is Cyrillic as well


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("language", ["uk", "en"])
@pytest.mark.parametrize("priority", [False, True])
def test_the_kiosk_says_a_ticket_as_the_hall_calls_it(
    prefix: str, language: str, priority: bool
) -> None:
    number = f"{PRIORITY_MARK if priority else ''}{prefix}017"
    hall = announcement_text(parse_call(number, 3), "en" if language == "en" else "uk")
    kiosk = said_number(number, language)
    words = kiosk.split(". ")[0]  # «Ве сімнадцять» before the spelling
    assert words in hall, (hall, kiosk)


def test_each_printed_sign_is_spelled_by_its_own_name() -> None:
    assert said_number("В002", "uk") == "Ве два. По буквах і цифрах: ве, нуль, нуль, два."
    assert said_number("Б002", "uk").startswith("Бе два.")  # «Б» and «В» no longer sound alike
    assert said_number("ПА001", "uk") == "А один. По буквах і цифрах: пе, а, нуль, нуль, один."
    assert said_number("Ж015", "en").startswith("zed aitch fifteen.")
    assert said_number("odd", "uk") == "odd"  # not a ticket number: read as it is
