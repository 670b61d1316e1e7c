"""The bot's words in both languages, and its links' payloads."""

from __future__ import annotations

from datetime import datetime

import pytest

from cherha.server.notify.links import Links, make_payload, parse_payload
from cherha.server.notify.texts import RENDERERS, language_of, render

FACTS = {
    "number": "A015",
    "status": "waiting",
    "ahead": 3,
    "wait": 12,
    "service_uk": "Паспорт",
    "service_en": "Passport",
    "counter_number": 3,
    "counter_name_uk": "Реєстрація",
    "counter_name_en": "Registration",
    "branch_uk": "ЦНАП",
    "branch_en": "Service centre",
    "code": "ABC-DEF",
    "start": datetime(2026, 11, 26, 10, 0).isoformat(),
    "check_in_from": datetime(2026, 11, 26, 9, 45).isoformat(),
    "check_in_until": datetime(2026, 11, 26, 10, 5).isoformat(),
    "until": "10:05",
    "reason": "тривога",
    "follower": 7,
}


@pytest.mark.parametrize("kind", sorted(RENDERERS))
@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_message_reads_in_both_languages(kind: str, language: str) -> None:
    message = render(kind, language, FACTS)
    assert message.text.strip()
    assert "{" not in message.text, "every placeholder filled"
    cyrillic = any("а" <= ch <= "я" for ch in message.text.lower())
    names = ("Паспорт", "Реєстрація", "ЦНАП", "тривога")
    if language == "en":
        assert not cyrillic or any(n in message.text for n in names), message.text
    else:
        assert cyrillic
    assert all(len(b.data) <= 64 for b in message.buttons), "Telegram's callback data limit"


def test_the_call_names_the_window_and_its_name() -> None:
    assert "вікна 3 «Реєстрація»" in render("called", "uk", FACTS).text
    assert "window 3 (Registration)" in render("called", "en", FACTS).text
    plain = {k: v for k, v in FACTS.items() if not k.startswith("counter_name")}
    assert render("called", "uk", plain).text.endswith("до вікна 3.")


def test_english_only_for_english_speakers() -> None:
    assert language_of("en") == language_of("en-GB") == "en"
    assert language_of("uk") == language_of("ru") == language_of(None) == "uk"


def test_payloads_fit_telegram_and_refuse_anything_else() -> None:
    payload = make_payload("ticket", "AbCdEfGhIjKlMnOpQrStUv")
    assert len(payload) <= 64
    assert parse_payload(payload) is not None
    assert parse_payload("bAbCdEfGhIjKlMnOpQrStUv") is not None
    for bad in [
        "",
        "t",
        "tshort",
        "x" + "A" * 22,
        "t" + "A" * 41,
        "tAbCd EfGhIjKlMnOpQrS",
        "t../../etc",
    ]:
        assert parse_payload(bad) is None, bad
    links = Links()
    assert links.ticket("AbCdEfGhIjKlMnOpQrStUv") is None, "no link before the username is known"
    links.learn("cherha_bot")
    assert links.ticket("AbCdEfGhIjKlMnOpQrStUv") == (
        "https://t.me/cherha_bot?start=tAbCdEfGhIjKlMnOpQrStUv"
    )
